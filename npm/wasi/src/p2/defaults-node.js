// The default configuration of the WASI 0.2 shims in node, for ES modules that
// import WASI interfaces by name (src/p2/iface/*): the process's arguments and
// environment, the current directory preopened as `.`, the real terminal.
import { wasiImports } from './node.js';

export const wasi = wasiImports({
  args: process.argv.slice(1),
  env: { ...process.env },
  cwd: '.',
  preopens: { '.': process.cwd() },
});
