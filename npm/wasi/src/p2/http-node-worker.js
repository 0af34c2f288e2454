// The fetch thread of the node http backend (http-node.js): runs each request with
// `fetch` and posts what happens (response head, one body chunk per pull, end,
// errors) to the main thread's port, bumping a shared counter and notifying it after
// every message, so a main thread blocked in `Atomics.wait` wakes and takes the message
// with `receiveMessageOnPort`. Request body chunks arrive as messages.
import { workerData } from 'node:worker_threads';
import { startFetch } from './http.js';

/** @type {{ port: import('node:worker_threads').MessagePort, signal: Int32Array }} */
const { port, signal } = workerData;
/** @type {Map<number, ReturnType<typeof startFetch>>} */
const running = new Map();

function post(/** @type {object} */ msg, /** @type {Transferable[]} */ transfer = []) {
  port.postMessage(msg, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

port.on('message', (/** @type {any} */ msg) => {
  const { id } = msg;
  switch (msg.type) {
    case 'fetch': {
      const f = startFetch(msg.spec, {
        response: (status, headers) => post({ type: 'response', id, status, headers }),
        chunk(bytes) {
          // A copy we own, transferred rather than cloned.
          const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
          post({ type: 'chunk', id, bytes: own }, [own.buffer]);
        },
        end() {
          running.delete(id);
          post({ type: 'end', id });
        },
        error(code) {
          running.delete(id);
          post({ type: 'error', id, code });
        },
      });
      running.set(id, f);
      break;
    }
    case 'pull':
      running.get(id)?.pull();
      break;
    case 'send':
      running.get(id)?.send(msg.bytes);
      break;
    case 'finish':
      running.get(id)?.finish();
      break;
    case 'abort':
      running.get(id)?.abort(msg.reason);
      break;
  }
});
