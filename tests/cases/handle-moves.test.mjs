import { test } from 'node:test';
import assert from 'node:assert/strict';

// The same test runs against JS handle tables and (in the `lowered` variant) the core
// wasm ones: handle indices, results, destructor runs and traps must be the spec's.
const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/handle-moves.js`);
const fresh = () => instantiate();

/** `call` on a fresh instance (a trap poisons it) must trap with `message`. */
async function traps(call, message) {
  const m = await fresh();
  assert.throws(() => call(m), (e) => e.name === 'Trap' && e.message.includes(message), message);
}

test('handle indices: slot 0 never used, freed slots reused last-in first-out', async () => {
  const m = await fresh();
  assert.deepEqual([m.makeR(10), m.makeR(20), m.makeS(30), m.makeR(40)], [1, 2, 3, 4]);
  assert.equal(m.take(2), 20);
  assert.equal(m.take(4), 40);
  assert.deepEqual([m.makeR(50), m.makeR(60), m.makeR(70)], [4, 2, 5]);
  assert.equal(m.dtors(), 2);
});

test('own and borrow between components: moved, lent, dropped, destructors run', async () => {
  const m = await fresh();
  const h = m.makeR(10);
  // A borrow of $A's own resource arrives as the rep; the same handle lent twice.
  assert.equal(m.peek(h), 10);
  assert.equal(m.peek2(h, h), 10010);
  // The lends ended with the calls: the handle moves out, the destructor runs in $A.
  assert.equal(m.take(h), 10);
  assert.deepEqual([m.dtors(), m.lastDtor()], [1, 10]);
  // A handle the guest drops itself runs $A's destructor too.
  const k = m.makeR(11);
  m.drop(k);
  assert.deepEqual([m.dtors(), m.lastDtor()], [2, 11]);
  // The slot of a moved handle is free.
  assert.throws(() => m.peek(h), /unknown handle index 1/);
});

test('a borrow into a component that does not define the resource is a handle of its table', async () => {
  const m = await fresh();
  const h = m.makeR(7);
  // $C's borrow handle is index 1 of its table; it passes it on to $A, then drops it.
  assert.equal(m.relay(h), 1007);
  assert.equal(m.relay(h), 1007);
  assert.equal(m.take(h), 7);
});

test('handles to and from the host: lifted out of the table, lowered into it', async () => {
  const m = await fresh();
  const h = m.makeR(5);
  m.makeR(6);
  const obj = m.give(h);
  assert.ok(obj instanceof m.r);
  // Its slot is free: the host's handle goes there.
  assert.equal(m.hold(obj), h);
  assert.equal(m.peek(h), 5);
  const again = m.give(h);
  again[Symbol.dispose]();
  assert.deepEqual([m.dtors(), m.lastDtor()], [1, 5]);
});

test('the handle tables trap as the spec says', async () => {
  await traps((m) => m.peek(99), 'unknown handle index 99');
  await traps((m) => m.peek(0), 'unknown handle index 0');
  await traps((m) => {
    m.makeR(1);
    m.makeS(2);
    m.peek(2);
    // (`s` is not exported from the root: the message names it by its number.)
  }, 'handle is not a `r` (index 2 holds a `resource1`)');
  await traps((m) => {
    const h = m.makeR(1);
    m.lendTake(h, h);
  }, 'cannot move a handle that is lent out');
  await traps((m) => m.keep(m.makeR(1)), 'borrow handles still remain at the end of the call');
  await traps((m) => m.steal(m.makeR(1)), 'expected an owned handle, got a borrowed one');
  await traps((m) => {
    const h = m.makeR(1);
    m.take(h);
    m.take(h);
  }, 'unknown handle index 1');
});

test('a trap poisons the component: every later call refuses', async () => {
  const m = await fresh();
  const h = m.makeR(1);
  assert.throws(() => m.keep(h), /borrow handles still remain/);
  assert.throws(() => m.peek(h), (e) => e.name === 'Trap' && e.poisoned === true);
});
