// The node side of `weft serve`: instantiates a transpiled wasi:http handler component
// with the WASI shims and serves it on loopback until interrupted: a WASI 0.3
// `wasi:http/handler` through the 0.3 shims' fetch-style handler, a WASI 0.2
// `wasi:http/incoming-handler` through the 0.2 shims' server.
//
//   WEFT_RUN_CONFIG='{"p3":bool,"preopens":{},"env":[[k,v]]}' node serve.mjs <dir> <port> [host]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const [dir, port, host = '127.0.0.1'] = process.argv.slice(2);
const config = JSON.parse(process.env.WEFT_RUN_CONFIG ?? '{"p3":false,"preopens":{},"env":[]}');
const shim = config.p3 ? await import('./wasi/p3-node.js') : await import('./wasi/p2/node.js');
const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);
const imports = shim.wasiImports({ args: ['serve'], env: Object.fromEntries(config.env), preopens: config.preopens });
const instance = await instantiate((p) => WebAssembly.compile(readFileSync(join(dir, p))), imports);

/** Answers node requests with a fetch-style handler `(Request) => Promise<Response>`. */
function fetchServer(handle) {
  return createServer(async (req, res) => {
    try {
      const url = `http://${req.headers.host ?? `${host}:${port}`}${req.url}`;
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half',
      });
      const response = await handle(request);
      res.writeHead(response.status, [...response.headers]);
      if (response.body) for await (const chunk of response.body) res.write(chunk);
      res.end();
    } catch (e) {
      console.error(e);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
}

let server;
const p3Handler = Object.keys(instance).find((k) => /^wasi:http\/handler@0\.3\./.test(k));
const p2Handler = Object.keys(instance).find((k) => /^wasi:http\/incoming-handler@0\.2\./.test(k));
if (config.p3 && p3Handler) {
  server = fetchServer(shim.toFetchHandler(instance[p3Handler]));
  await new Promise((resolve) => server.listen(Number(port), host, resolve));
} else if (p2Handler) {
  const { serve } = await import('./wasi/p2/serve.js');
  server = await serve(instance, { port: Number(port), host });
} else {
  console.error('error: the component exports no `wasi:http/handler@0.3.x` or `wasi:http/incoming-handler@0.2.x`');
  process.exit(2);
}
const address = server.address();
console.error(`serving on http://${address.address}:${address.port}/`);
