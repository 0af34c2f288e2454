// wasi:http for browsers (and any engine with fetch): requests run with `fetch` on
// this thread. Nothing here can block: a guest that waits (`pollable.block`,
// `blocking-read`, `poll`) for something not yet arrived gets `BlockingError` (naming
// JSPI) — or, with `jspi: true`, a Promise that settles when it is ready, for a
// transpiler that suspends the guest on promises returned by imports (JSPI).
// Request bodies are buffered until the guest finishes them (streaming request bodies
// are Chromium-only), and redirects are followed (a manual redirect is opaque).
import { BlockingError } from './io.js';
import { Exchange, httpInterfaces, startFetch } from './http.js';

/**
 * @param {{ jspi?: boolean, fetch?: typeof fetch }} [opts]
 */
export function browserHttpBackend(opts = {}) {
  /** @type {WeakMap<Exchange, ReturnType<typeof startFetch>>} */
  const running = new WeakMap();
  /** @type {Set<Exchange>} */
  const live = new Set();
  /** @type {import('./http.js').Backend & { start(spec: import('./http.js').FetchSpec, x: Exchange): void, bodyMode: 'buffer' }} */
  const backend = {
    bodyMode: 'buffer',
    sync() {},
    start(spec, x) {
      live.add(x);
      const f = startFetch(
        spec,
        {
          response: (status, headers) => x.onResponse(status, headers),
          chunk: (b) => x.onChunk(b),
          end() {
            live.delete(x);
            x.onEnd();
          },
          error(code) {
            live.delete(x);
            x.onError(code);
          },
        },
        { redirect: 'follow', fetch: opts.fetch },
      );
      running.set(x, f);
    },
    pull: (x) => running.get(x)?.pull(),
    abort: (x, reason) => running.get(x)?.abort(reason),
    wait(isReady, what, timeoutNs) {
      if (isReady()) return true;
      if (!opts.jspi) throw new BlockingError(what);
      return new Promise((resolve) => {
        /** @type {ReturnType<typeof setTimeout> | undefined} */
        let timer;
        const done = (/** @type {boolean} */ ok) => {
          clearTimeout(timer);
          for (const x of live) x.listeners.delete(check);
          resolve(ok);
        };
        const check = () => {
          if (isReady()) done(true);
        };
        // Any exchange's change may be the one (poll waits for several).
        for (const x of live) x.listeners.add(check);
        if (timeoutNs !== undefined) timer = setTimeout(() => done(false), Number(timeoutNs) / 1e6);
      });
    },
  };
  return backend;
}

/**
 * @param {(ps: import('./io.js').Pollable[]) => Uint32Array} fallbackPoll
 * @param {{ jspi?: boolean, fetch?: typeof fetch }} [opts]
 */
export function browserHttp(fallbackPoll, opts) {
  return httpInterfaces(browserHttpBackend(opts), fallbackPoll);
}
