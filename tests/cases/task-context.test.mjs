import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/task-context.js`);

test('a parameter realloc runs in the task and sees a fresh context slot', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(await inst.take('hello'), 5);
  assert.equal(await inst.seen(), 0);
  // The realloc left 99 in the first call's slot; a second call's task starts at 0.
  assert.equal(await inst.take('again'), 5);
  assert.equal(await inst.seen(), 0);
});
