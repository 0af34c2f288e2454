// The default configuration of the WASI 0.2 shims in browsers (`#p2-defaults`), for the
// ES modules that import WASI interfaces by name (iface/p2/*): no arguments or
// environment, no preopens, output to the console.
import { wasiImports } from '../p2/browser.js';

export const wasi = wasiImports({});
