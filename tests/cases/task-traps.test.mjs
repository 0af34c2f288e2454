import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/task-traps.js`);
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

const cases = [
  ['noReturn', { name: 'Trap', message: 'the task returned without a result: `task.return` was not called' }],
  ['yieldThenNoReturn', { name: 'Trap', message: 'the task returned without a result: `task.return` was not called' }],
  ['badCode', { name: 'Trap', message: 'the callback returned an unknown code 5' }],
  ['returnThenTrap', { name: 'RuntimeError', message: 'unreachable' }],
];

for (const [fn, error] of cases) {
  test(`${fn}: the call rejects and the instance is poisoned`, async () => {
    const inst = await instantiate();
    await assert.rejects(inst[fn](), error);
    await assert.rejects(inst.ok(), poisoned);
  });
}

test('a healthy instance answers', async () => {
  assert.equal(await (await instantiate()).ok(), 1);
});
