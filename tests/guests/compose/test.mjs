// `compose.wasm`: compose-b with its `text` import satisfied by compose-a, composed by
// scripts/build-guests with `wasm-tools compose`. No imports are left.
import { assert, loadGuest, test } from '../testing.mjs';

const { instance: inst, instantiate } = await loadGuest('compose', () => ({}));

test('run: B calls A', () => {
  assert.equal(inst.run('hello, world'), 'HELLO, WORLD!');
  assert.equal(inst.run(''), '!');
  assert.equal(inst.run('é ü 😀 abc'), 'é ü 😀 ABC!');
  const long = 'xyz😀'.repeat(20000);
  assert.equal(inst.run(long), `${'XYZ😀'.repeat(20000)}!`);
});

test('total: lists cross from B to A', () => {
  assert.equal(inst.total([]), 0n);
  assert.equal(inst.total([1, 2, 3]), 12n);
  assert.equal(inst.total(new Uint32Array(1000).fill(4294967295)), 2n * 1000n * 4294967295n);
});

test("join: B uses A's resource, and drops it", () => {
  const before = inst.drops();
  assert.deepEqual(inst.join(['a', 'b😀', 'c'], ', '), ['a, b😀, c', 11]);
  assert.deepEqual(inst.join([], ', '), ['', 0]);
  assert.deepEqual(inst.join(['only'], ''), ['only', 4]);
  assert.equal(inst.drops(), before + 3);
});

test('instances of the composition are independent', { needs: ['instances'] }, async () => {
  const other = await instantiate({});
  const before = inst.drops();
  other.join(['x'], '');
  assert.equal(inst.drops(), before);
  assert.equal(other.drops(), 1);
});
