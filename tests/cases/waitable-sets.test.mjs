import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/waitable-sets.js`);

// EVENT_STREAM_READ (2) * 1000 + index * 10 + DROPPED (1); EVENT_NONE: 0.
const dropped = (index) => 2000 + index * 10 + 1;

test('a set delivers the longest-joined waitable first; joining again makes it the newest', async () => {
  const inst = await instantiate(undefined, {});
  const [first, second, none, a, b] = inst.order(false);
  assert.deepEqual([first, second, none], [dropped(a), dropped(b), 0]);
  const again = inst.order(true);
  assert.deepEqual(again.slice(0, 3), [dropped(again[4]), dropped(again[3]), 0]);
  // Everything was dropped: the same handles come back.
  assert.deepEqual(inst.order(false).slice(3), [a, b]);
});

for (const [name, message] of [
  ['drop-nonempty', /^cannot drop a waitable set that still contains waitables$/],
  ['join-a-set', /^index 1 is not a waitable$/],
  ['join-into-an-end', /^index 1 is not a waitable set$/],
  ['drop-an-end-as-set', /^index 1 is not a waitable set$/],
  ['join-unknown', /^unknown handle index 99$/],
  ['poll-out-of-bounds', /^event pointer out of bounds$/],
]) {
  test(`${name} traps: ${message.source}`, async () => {
    const inst = await instantiate(undefined, {});
    const f = inst[name.replace(/-(\w)/g, (_, c) => c.toUpperCase())];
    assert.throws(() => f(), (e) => e instanceof WebAssembly.RuntimeError && message.test(e.message));
    // The instance is poisoned.
    assert.throws(() => inst.order(false), /cannot enter component instance: it trapped earlier/);
  });
}
