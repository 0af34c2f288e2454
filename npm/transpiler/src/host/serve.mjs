// The node side of `weft serve`: serves a transpiled wasi:http handler component on
// loopback with the WASI shims until interrupted: a WASI 0.3 `wasi:http/handler`
// through the 0.3 shims' fetch-style handler, a WASI 0.2 `wasi:http/incoming-handler`
// through the 0.2 shims' server. The instances come from an `InstancePool`: a request
// that traps is logged (method, path, the trap) and its instance replaced by a fresh
// one for the next request; `maxInstanceReuseCount` (`--max-instance-reuse-count`)
// bounds the requests one instance serves (1: an instance per request).
//
//   WEFT_RUN_CONFIG='{"p3":bool,"preopens":{},"env":[[k,v]],"args":[argv0,...],"maxInstanceReuseCount":n|null,"shims":{…}}' node serve.mjs <dir> <port> [host]
//
// Used by both CLIs, as run.mjs is: `shims` names the @weft/wasi modules as URLs (`p2`:
// `@weft/wasi/p2/node`, `p3`: `@weft/wasi/p3/node`, `p2Serve`: `@weft/wasi/p2/serve`),
// which `npx weft serve` resolves in the installed package; without it, the copies the
// native `weft serve` writes next to this file (`./wasi/`).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

const [dir, port, host = '127.0.0.1'] = process.argv.slice(2);
const config = JSON.parse(process.env.WEFT_RUN_CONFIG ?? '{"p3":false,"preopens":{},"env":[]}');
const shims = { p2: './wasi/p2/node.js', p3: './wasi/p3-node.js', p2Serve: './wasi/p2/serve.js', ...config.shims };
const load = (/** @type {string} */ which) => import(new URL(shims[which], import.meta.url).href);
const shim = await load(config.p3 ? 'p3' : 'p2');
const { InstancePool } = config.p3 ? shim : await load('p2Serve');
const { instantiate } = await import(pathToFileURL(join(dir, 'component.js')).href);

// Each core module is compiled once; every instance instantiates the same modules.
/** @type {Map<string, Promise<WebAssembly.Module>>} */
const modules = new Map();
const getCoreModule = (/** @type {string} */ p) => {
  if (!modules.has(p)) modules.set(p, WebAssembly.compile(readFileSync(join(dir, p))));
  return /** @type {Promise<WebAssembly.Module>} */ (modules.get(p));
};
/** A fresh instance with fresh WASI state. */
const fresh = () => instantiate(getCoreModule, shim.wasiImports({ args: config.args ?? ['serve'], env: Object.fromEntries(config.env), preopens: config.preopens }));

// The first instance is made now, so that a component that cannot be instantiated or
// serves nothing fails at once; the pool hands it out first.
/** @type {any} */
let first = await fresh();
const exported = Object.keys(first);
const pool = new InstancePool(
  () => {
    const made = first ?? fresh();
    first = null;
    return made;
  },
  {
    maxInstanceReuseCount: config.maxInstanceReuseCount ?? undefined,
    onTrap(/** @type {any} */ error, /** @type {{ method: string, path: string } | null} */ request) {
      const what = request === null ? 'a trap outside any request' : `${request.method} ${request.path} trapped`;
      console.error(`weft serve: ${what}; the next request gets a fresh instance: ${error?.stack ?? error}`);
    },
  },
);
// The runtime reports a trap no call waits for (a task streaming a response body after
// `handle` returned) through `reportError`: the instances serving requests then are
// retired, and what those requests still wait for fails.
/** @type {any} */ (globalThis).reportError = (/** @type {unknown} */ e) => pool.trappedOutside(e);

/** Answers node requests with a fetch-style handler `(Request) => Promise<Response>`. */
function fetchServer(/** @type {(r: Request) => Promise<Response>} */ handle) {
  return createServer(async (req, res) => {
    // A client that went away: writes to it fail quietly (node reports them as events).
    res.on('error', () => {});
    /** @type {ReadableStreamDefaultReader<Uint8Array> | null} */
    let reader = null;
    res.on('close', () => {
      // The client left before the body ended: stop reading the guest's body.
      if (!res.writableFinished) reader?.cancel().catch(() => {});
    });
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
      if (response.body) {
        reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          res.write(value);
        }
      }
      res.end();
    } catch (e) {
      // A body that failed half way must not look complete: the connection is cut.
      if (res.headersSent) {
        res.destroy();
        return;
      }
      console.error(`weft serve: ${req.method} ${req.url}: ${/** @type {any} */ (e)?.stack ?? e}`);
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${/** @type {any} */ (e)?.message ?? e}\n`);
    }
  });
}

let server;
const p3Handler = exported.find((k) => /^wasi:http\/handler@0\.3\./.test(k));
const p2Handler = exported.find((k) => /^wasi:http\/incoming-handler@0\.2\./.test(k));
if (config.p3 && p3Handler) {
  server = fetchServer(shim.toFetchHandler(pool));
  await new Promise((resolve) => server.listen(Number(port), host, resolve));
} else if (p2Handler) {
  const { serve } = await load('p2Serve');
  server = await serve(pool, { port: Number(port), host });
} else {
  // weft checks this before starting node; 65 is its code for a component that is not
  // what the subcommand runs.
  console.error('error: the component exports no `wasi:http/handler@0.3.x` or `wasi:http/incoming-handler@0.2.x`');
  process.exit(65);
}
const address = server.address();
console.error(`serving on http://${address.address}:${address.port}/`);
