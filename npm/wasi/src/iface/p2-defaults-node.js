// The default configuration of the WASI 0.2 shims in node (`#p2-defaults`), for the ES
// modules that import WASI interfaces by name (iface/p2/*): the process's arguments and
// environment, the current directory preopened as `.`, the real terminal.
import { wasiImports } from '../p2/node.js';

export const wasi = wasiImports({
  args: process.argv.slice(1),
  env: { ...process.env },
  cwd: '.',
  preopens: { '.': process.cwd() },
});
