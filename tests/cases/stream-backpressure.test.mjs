import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/stream-backpressure.js`);

test('a host read takes one write, so a guest writing in a loop waits for the JS consumer', async () => {
  const inst = await instantiate();
  const stream = await inst.produce();
  const reader = stream.getReader();
  const sizes = [];
  let sentAtFirstChunk = -1;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (sentAtFirstChunk < 0) sentAtFirstChunk = inst.sent();
    sizes.push(value.length);
  }
  // One chunk per write, of the size written.
  assert.equal(sizes.length, 256);
  assert.ok(sizes.every((n) => n === 16384), sizes.join(' '));
  // The write JS got, and at most the one after it: the rest waited.
  assert.ok(sentAtFirstChunk <= 2 * 16384, `${sentAtFirstChunk} bytes written before JS saw any`);
});
