// The `async-webidl` guest: an `onabort` attribute read as a stream of events (a
// listener the platform feeds, removed when the guest drops the stream), and platform
// promises (`Blob.text()`, `Blob.arrayBuffer()`) awaited by `async func`s. Runs in node
// and in the page (see ../testing.mjs).
import { assert, loadGuest, test } from '../testing.mjs';

const { instance: g } = await loadGuest('async-webidl', () => ({}));

test('events: a listener feeds the stream, and is removed when the guest drops it', async () => {
  const c = new AbortController();
  const signal = c.signal;
  const added = [];
  const removed = [];
  signal.addEventListener = function (type, l, o) {
    added.push(type);
    return EventTarget.prototype.addEventListener.call(this, type, l, o);
  };
  signal.removeEventListener = function (type, l, o) {
    removed.push(type);
    return EventTarget.prototype.removeEventListener.call(this, type, l, o);
  };
  const seen = g.waitAbort(signal);
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual([added, removed], [['abort'], []]);
  c.abort('why');
  assert.deepEqual(await seen, ['aborted before: false', 'event: abort trusted true', 'aborted after: true']);
  // The drop cancels the host's ReadableStream, whose cancel() runs a task later at most.
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(removed, ['abort']);
});

test('promises: async funcs with results, 64-bit attributes as Numbers, bytes from ArrayBuffer', async () => {
  const [text, bytes, size, type] = await g.blobText(['héllo ', 'wörld'], 'text/plain');
  assert.equal(text, 'héllo wörld');
  assert.deepEqual([...bytes], [...new TextEncoder().encode('héllo wörld')]);
  assert.equal(size, 13n);
  assert.equal(type, 'text/plain');
});
