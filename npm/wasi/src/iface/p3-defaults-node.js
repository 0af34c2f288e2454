// The default configuration of the WASI 0.3 shims in node (`#p3-defaults`), for the ES
// modules that import WASI interfaces by name (iface/p3/*): the process's arguments and
// environment, the current directory preopened as `.`, the real terminal.
import { wasiImports } from '../p3-node.js';

export const wasi = wasiImports({
  args: process.argv.slice(1),
  env: { ...process.env },
  cwd: '.',
  preopens: { '.': process.cwd() },
});
