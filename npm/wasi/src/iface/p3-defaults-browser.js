// The default configuration of the WASI 0.3 shims in browsers (`#p3-defaults`), for the
// ES modules that import WASI interfaces by name (iface/p3/*): no arguments or
// environment, no preopens, output to the console.
import { wasiImports } from '../p3-browser.js';

export const wasi = wasiImports({});
