// The node side of `weft serve`: instantiates a transpiled `wasi:http/incoming-handler`
// component with the WASI shims and serves it on loopback until interrupted.
//
//   WEFT_RUN_CONFIG='{"preopens":{},"env":[[k,v]]}' node serve.mjs <dir> <port> [host]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { wasiImports } from './wasi/p2/node.js';
import { serve } from './wasi/p2/serve.js';

const [dir, port, host = '127.0.0.1'] = process.argv.slice(2);
const config = JSON.parse(process.env.WEFT_RUN_CONFIG ?? '{"preopens":{},"env":[]}');
const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);
const imports = wasiImports({ args: ['serve'], env: Object.fromEntries(config.env), preopens: config.preopens });
const instance = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports);
const server = await serve(instance, { port: Number(port), host });
const address = server.address();
console.error(`serving on http://${address.address}:${address.port}/`);
