// wasi:http for node: each outgoing request runs with `fetch` in a worker thread
// (http-node-worker.js), so the guest's synchronous view holds: `pollable.block`,
// `blocking-read` and `poll` wait with `Atomics.wait` on a counter the worker bumps
// after each message, then take the messages with `receiveMessageOnPort`. The response
// body comes one chunk per pull (backpressure: nothing is read ahead of the guest);
// request bodies stream to the worker as the guest writes them (`duplex: 'half'`).
import { Exchange, httpInterfaces } from './http.js';

/** The node backend; the worker starts on the first request and never keeps the
 * process alive. */
export function nodeHttpBackend() {
  /** @type {Worker | null} */
  let worker = null;
  /** @type {import('node:worker_threads').MessagePort} */
  let port;
  /** node:worker_threads, loaded by the first request (a program that makes none
   * does not pay for it at start-up). @type {typeof import('node:worker_threads')} */
  let threads;
  const signal = new Int32Array(new SharedArrayBuffer(4));
  /** @type {Map<number, Exchange>} */
  const live = new Map();
  let nextId = 1;
  /** @type {WeakMap<Exchange, number>} */
  const ids = new WeakMap();

  const ensure = () => {
    if (worker) return;
    threads = process.getBuiltinModule('node:worker_threads');
    const ch = new threads.MessageChannel();
    worker = new threads.Worker(new URL('./http-node-worker.js', import.meta.url), {
      workerData: { port: ch.port2, signal },
      transferList: [ch.port2],
    });
    worker.unref();
    worker.on('error', (e) => {
      for (const x of live.values()) x.onError({ tag: 'internal-error', value: `http worker: ${e.message}` });
      live.clear();
    });
    port = ch.port1;
    port.unref();
  };

  const sync = () => {
    if (!worker) return;
    for (let m; (m = threads.receiveMessageOnPort(port)); ) {
      const msg = m.message;
      const x = live.get(msg.id);
      if (!x) continue;
      switch (msg.type) {
        case 'response':
          x.onResponse(msg.status, msg.headers);
          break;
        case 'chunk':
          x.onChunk(msg.bytes);
          break;
        case 'end':
          live.delete(msg.id);
          x.onEnd();
          break;
        case 'error':
          live.delete(msg.id);
          x.onError(msg.code);
          break;
      }
    }
  };

  const send = (/** @type {Exchange} */ x, /** @type {object} */ msg, /** @type {Transferable[]} */ transfer = []) => {
    const id = ids.get(x);
    if (id !== undefined && live.has(id)) port.postMessage({ ...msg, id }, transfer);
  };

  /** @type {import('./http.js').Backend & { start(spec: import('./http.js').FetchSpec, x: Exchange): void, bodyMode: 'stream' }} */
  const backend = {
    bodyMode: 'stream',
    sync,
    start(spec, x) {
      ensure();
      const id = nextId++;
      ids.set(x, id);
      live.set(id, x);
      const transfer = spec.body instanceof Uint8Array ? [spec.body.buffer] : [];
      port.postMessage({ type: 'fetch', id, spec }, transfer);
    },
    pull: (x) => send(x, { type: 'pull' }),
    send: (x, bytes) => send(x, { type: 'send', bytes }, [bytes.buffer]),
    finish: (x) => send(x, { type: 'finish' }),
    abort: (x, reason) => send(x, { type: 'abort', reason }),
    wait(isReady, what, timeoutNs) {
      const deadline = timeoutNs === undefined ? Infinity : performance.now() + Number(timeoutNs) / 1e6;
      for (;;) {
        sync();
        if (isReady()) return true;
        const seen = Atomics.load(signal, 0);
        sync();
        if (isReady()) return true;
        if (live.size === 0) throw new Error(`${what}: nothing in flight can make it ready`);
        const left = deadline - performance.now();
        if (left <= 0) return false;
        Atomics.wait(signal, 0, seen, left === Infinity ? undefined : left);
      }
    },
  };
  return backend;
}

/** @param {(ps: import('./io.js').Pollable[]) => Uint32Array} fallbackPoll */
export function nodeHttp(fallbackPoll) {
  return httpInterfaces(nodeHttpBackend(), fallbackPoll);
}
