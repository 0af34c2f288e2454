import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/async-calls.js`);

test('an async call between components moves a string both ways and a stream end', async () => {
  const inst = await instantiate(undefined, {});
  assert.equal(await inst.run(0), 'echo:hello');
  // The instances go on: A's end table and B's subtask were emptied.
  assert.equal(await inst.run(0), 'echo:hello');
});

for (const [fail, what, message] of [
  [1, "a parameter string past the end of the caller's memory", /^string is out of bounds of linear memory$/],
  [2, 'a stream end the caller does not have', /^unknown handle index 99$/],
  [3, "a result string past the end of the callee's memory", /^string is out of bounds of linear memory$/],
]) {
  test(`${what} traps: ${message.source}`, async () => {
    const inst = await instantiate(undefined, {});
    await assert.rejects(inst.run(fail), (e) => e.constructor.name === 'Trap' && message.test(e.message));
  });
}
