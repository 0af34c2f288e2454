import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/stream-backpressure.js`);

test('JS reads of a guest stream are bounded, so a writing guest waits for the consumer', async () => {
  const inst = await instantiate();
  const stream = await inst.produce();
  let total = 0;
  let chunks = 0;
  let largest = 0;
  let sentAtFirstChunk = -1;
  for await (const chunk of stream) {
    if (sentAtFirstChunk < 0) sentAtFirstChunk = inst.sent();
    total += chunk.length;
    chunks++;
    largest = Math.max(largest, chunk.length);
  }
  assert.equal(total, 4 * 1024 * 1024);
  assert.ok(largest <= 65536, `largest chunk ${largest}`);
  assert.ok(chunks >= 64, `${chunks} chunks`);
  // The first write is still being taken when JS sees its first part.
  assert.ok(sentAtFirstChunk < 262144, `${sentAtFirstChunk} bytes written before JS saw any`);
});
