// `async-compose.wasm`: async-pair-b with its `weft:test/async-pair` import satisfied by
// async-pair-a (`wasm-tools compose` in scripts/build-guests): guest-to-guest async
// calls, streams between two components, concurrent subtasks. No imports are left.
import { assert, loadGuest, test } from '../testing.mjs';
import { runChecksum } from '../async-common.mjs';

const { instance: inst, instantiate } = await loadGuest('async-compose', () => ({}));

test('echo-twice: B calls A twice', async () => {
  assert.equal(await inst.echoTwice('ab'), 'abab|');
  assert.equal(await inst.echoTwice('😀'), '😀😀|');
});

test('run: streams and concurrent calls between the components', async () => {
  for (const n of [0, 1, 2, 7]) assert.equal(await inst.run(n), runChecksum(n), `run(${n})`);
});

test('run: 8 MB each way between the components', async () => {
  assert.equal(await inst.run(2048), runChecksum(2048));
});

test('concurrent runs', async () => {
  const ns = [3, 4, 5, 6];
  assert.deepEqual(await Promise.all(ns.map((n) => inst.run(n))), ns.map(runChecksum));
});

test('instances of the composition are independent', { needs: ['instances'] }, async () => {
  const other = await instantiate({});
  assert.deepEqual(await Promise.all([inst.run(1), other.run(1)]), [runChecksum(1), runChecksum(1)]);
});
