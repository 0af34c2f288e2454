// The default configuration of the WASI 0.2 shims in browsers, for ES modules that
// import WASI interfaces by name (src/p2/iface/*): no arguments or environment, no
// preopens, output to the console.
import { wasiImports } from './browser.js';

export const wasi = wasiImports({});
