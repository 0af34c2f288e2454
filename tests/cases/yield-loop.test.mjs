import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/yield-loop.js`);

test('a task yielding in a loop lets the host timer fire', async () => {
  const timers = [];
  const sleep = (ms) => new Promise((resolve) => timers.push(setTimeout(resolve, ms)));
  const inst = await instantiate(undefined, { sleep: { default: sleep } });
  // Other macrotasks run while it loops.
  let ticks = 0;
  const interval = setInterval(() => ticks++, 1);
  try {
    const yields = await inst.run();
    assert.ok(yields >= 1, `yielded ${yields} times`);
    assert.ok(ticks >= 1, 'an interval timer ran while the task looped');
  } finally {
    clearInterval(interval);
  }
});
