// The `threads` guest (threads.wat): 🧵 cooperative threads. With JSPI (node 24,
// Chromium) threads spawn, interleave at their yields, join, switch directly and stop on
// cancellation; a synchronous export whose thread switched returns a promise. Without
// JSPI (node 20, a page with JSPI deleted) threads that never switch still run, and the
// first switch traps, naming JSPI. Runs in node and in the page (see ../testing.mjs).
import { assert, loadGuest, test } from '../testing.mjs';
import { isTrap, sleep, waitFor } from '../async-common.mjs';

const { instantiate } = await loadGuest('threads');

/** `[1, 2, …, n]` repeated `rounds` times: each worker logs once per turn. */
const roundRobin = (n, rounds) => Array.from({ length: n * rounds }, (_, i) => (i % n) + 1);

test('spawned threads interleave at their yields, and the caller joins them', { needs: ['instances', 'jspi'] }, async () => {
  const inst = await instantiate();
  const log = await inst.spawnJoin(3, 4);
  assert.ok(log instanceof Uint32Array);
  // Each thread yields after every entry, so no thread logs twice before the others
  // have had their turn (weft runs ready threads oldest first).
  assert.deepEqual([...log], roundRobin(3, 4));
  // No workers: the join does not suspend.
  assert.deepEqual([...(await inst.spawnJoin(0, 4))], []);
  // Many threads, one round: every id once.
  const many = await inst.spawnJoin(200, 1);
  assert.deepEqual([...many].sort((a, b) => a - b), roundRobin(200, 1));
});

test('joining again on the same instance, calls overlapping', { needs: ['instances', 'jspi'] }, async () => {
  const inst = await instantiate();
  for (let i = 0; i < 3; i++) assert.deepEqual([...(await inst.spawnJoin(2, 3))], roundRobin(2, 3));
});

test('a synchronous export switches directly from thread to thread', { needs: ['instances', 'jspi'] }, async () => {
  const inst = await instantiate();
  // The threads it switches to run on stacks started from its own, and the last one
  // switches back before any of them suspends for good: it returns its value directly.
  assert.deepEqual([...inst.switchChain(5)], [1, 2, 3, 4, 5, 0]);
  assert.deepEqual([...inst.switchChain(0)], [0]);
});

test('a synchronous export whose thread must wait for the event loop returns a promise', { needs: ['instances', 'jspi'] }, async () => {
  const inst = await instantiate();
  // The thread it switches to yields to a later turn before it wakes it: its stack
  // suspended, so the value comes as a promise.
  const r = inst.switchAndWait();
  assert.ok(r instanceof Promise);
  assert.equal(await r, 7);
});

test('detached threads run after the call returns, without a switch', { needs: ['instances'] }, async () => {
  const inst = await instantiate();
  assert.equal(inst.spawnDetached(7), undefined);
  // They run on a later turn of the event loop, not before the call returns.
  assert.equal(inst.finished(), 0);
  await waitFor(() => inst.finished() === 7, 'seven detached threads finished');
});

test('cancelling the call stops the yielding workers', { needs: ['instances', 'jspi'] }, async () => {
  const inst = await instantiate();
  const controller = new AbortController();
  const call = inst.runUntilCancelled(4, { signal: controller.signal });
  // The workers yield to the event loop each turn: timers still fire.
  await sleep(20);
  assert.ok(inst.iterations() > 4, `the workers ran (${inst.iterations()} iterations)`);
  const reason = new Error('enough');
  controller.abort(reason);
  await assert.rejects(call, (e) => e === reason);
  await waitFor(() => inst.stopped() === 4, 'the four workers stopped');
  const after = inst.iterations();
  await sleep(10);
  assert.equal(inst.iterations(), after, 'no worker runs after it stopped');
});

test('without JSPI, the first switch traps, naming JSPI', { needs: ['instances', 'no-jspi'] }, async () => {
  const inst = await instantiate();
  await assert.rejects(inst.spawnJoin(2, 1), (e) => isTrap(e) && /`thread\.suspend` .*JSPI/.test(e.message));
  const other = await instantiate();
  assert.throws(() => other.switchChain(2), (e) => isTrap(e) && /`thread\.suspend-then-resume` .*JSPI/.test(e.message));
  // A switch to no thread at all needs no stack.
  const third = await instantiate();
  assert.deepEqual([...third.switchChain(0)], [0]);
});
