// Handle tables and resources: index 0, LIFO reuse, the length cap, lend counts,
// borrow scopes, destructors, and every trap of lift/lower own/borrow and
// resource.new/rep/drop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandleTable, CoreHandleTable } from '../handles.js';
import {
  ResourceType, Handle, CallContext, endCall, borrowsRemain, releaseLends, liftOwn, liftBorrow, lowerOwn, lowerBorrow,
  resourceNew, resourceRep, resourceDrop,
} from '../resources.js';
import { Trap } from '../trap.js';

test('index 0 is never used and freed slots are reused last-in first-out', () => {
  const t = new HandleTable();
  assert.equal(t.add('a'), 1);
  assert.equal(t.add('b'), 2);
  assert.equal(t.add('c'), 3);
  assert.equal(t.remove(1), 'a');
  assert.equal(t.remove(3), 'c');
  assert.equal(t.add('d'), 3);
  assert.equal(t.add('e'), 1);
  assert.equal(t.add('f'), 4);
  assert.equal(t.get(2), 'b');
  assert.throws(() => t.get(0), /unknown handle index 0/);
  assert.throws(() => t.remove(0), /unknown handle index 0/);
  assert.throws(() => t.get(99), Trap);
  assert.throws(() => t.get(-1), /unknown handle index 4294967295/);
  t.remove(2);
  assert.throws(() => t.get(2), /unknown handle index 2/);
  assert.throws(() => t.remove(2), /unknown handle index 2/);
  assert.deepEqual(t.free, [2]);
});

test('the table traps beyond MAX_LENGTH = 2^28 - 1, and free slots still work', () => {
  const t = new HandleTable();
  t.array.length = 2 ** 28 - 1; // as if full up to index 2^28 - 2 (holes are free in JS)
  assert.equal(t.add('last'), 2 ** 28 - 1);
  assert.throws(() => t.add('one too many'), /handle table is full/);
  t.remove(2 ** 28 - 1);
  assert.equal(t.add('reused'), 2 ** 28 - 1);
});

test('resource.new, rep and drop: the destructor runs once, with the rep', () => {
  const dropped = [];
  const rt = new ResourceType('thing', (rep) => dropped.push(rep), 0);
  const table = new HandleTable();
  const h = resourceNew(table, rt, 42);
  assert.equal(h, 1);
  assert.ok(table.get(h) instanceof Handle);
  assert.equal(resourceRep(table, rt, h), 42);
  resourceDrop(table, rt, h, 0);
  assert.deepEqual(dropped, [42]);
  assert.throws(() => resourceRep(table, rt, h), /unknown handle index 1/);
  assert.throws(() => resourceDrop(table, rt, h, 0), /unknown handle index 1/);
  // No destructor: dropping just frees the slot.
  const plain = new ResourceType('plain', null, 0);
  resourceDrop(table, plain, resourceNew(table, plain, 7), 0);
  assert.deepEqual(dropped, [42]);
});

test('type checks: another resource type, or an entry that is not a resource', () => {
  const a = new ResourceType('a', null, 0);
  const b = new ResourceType('b', null, 0);
  const t = new HandleTable();
  const h = resourceNew(t, a, 1);
  const cx = new CallContext();
  assert.throws(() => resourceRep(t, b, h), /handle is not a `b`/);
  assert.throws(() => resourceDrop(t, b, h, 0), /handle is not a `b`/);
  assert.throws(() => liftOwn(t, h, b), /handle is not a `b`/);
  assert.throws(() => liftBorrow(t, h, b, cx), /handle is not a `b`/);
  const other = t.add({ notAHandle: true });
  assert.throws(() => resourceRep(t, a, other), /does not refer to a resource/);
  assert.throws(() => liftOwn(t, other, a), /does not refer to a resource/);
  assert.throws(() => liftBorrow(t, other, a, cx), /does not refer to a resource/);
  assert.throws(() => resourceDrop(t, a, other, 0), /does not refer to a resource/);
  // Same name, different type: still a mismatch (identity, as `h.rt is not rt`).
  assert.throws(() => resourceRep(t, new ResourceType('a', null, 0), h), Trap);
  // Nothing was removed by the traps.
  assert.equal(resourceRep(t, a, h), 1);
  assert.deepEqual(cx.lenders, []);
});

test('lift_own moves the handle out; lower_own makes a new one', () => {
  const rt = new ResourceType('r', null, 1);
  const a = new HandleTable();
  const b = new HandleTable();
  const h = lowerOwn(a, 5, rt);
  assert.equal(liftOwn(a, h, rt), 5);
  assert.throws(() => a.get(h), /unknown handle/);
  const h2 = lowerOwn(b, 5, rt);
  assert.equal(b.get(h2).own, true);
  assert.equal(b.get(h2).scope, null);
});

test('lending: a lent own handle can be neither moved nor dropped until the call ends', () => {
  const dropped = [];
  const rt = new ResourceType('r', (rep) => dropped.push(rep), 1);
  const caller = new HandleTable();
  const callee = new HandleTable();
  const h = lowerOwn(caller, 7, rt);
  const cx = new CallContext();
  const rep = liftBorrow(caller, h, rt, cx);
  assert.equal(rep, 7);
  const b = lowerBorrow(callee, rep, rt, cx, 2);
  assert.equal(caller.get(h).lendCount, 1);
  assert.equal(cx.borrows, 1);
  const entry = callee.get(b);
  assert.deepEqual([entry.own, entry.scope, entry.rep], [false, cx, 7]);
  assert.throws(() => resourceDrop(caller, rt, h, 1), /cannot drop a handle that is lent out/);
  assert.throws(() => liftOwn(caller, h, rt), /cannot move a handle that is lent out/);
  // A borrow left undropped is a trap at the end of the call.
  assert.throws(() => endCall(cx), /borrow handles still remain at the end of the call/);
  assert.equal(caller.get(h).lendCount, 1);
  // Dropping the borrow ends it and runs no destructor.
  resourceDrop(callee, rt, b, 2);
  assert.equal(cx.borrows, 0);
  assert.deepEqual(dropped, []);
  endCall(cx);
  assert.equal(caller.get(h).lendCount, 0);
  assert.deepEqual(cx.lenders, []);
  resourceDrop(caller, rt, h, 1);
  assert.deepEqual(dropped, [7]);
});

test('lend counts add up over several borrows of one handle and nested calls', () => {
  const rt = new ResourceType('r', null, 0);
  const t = new HandleTable();
  const h = lowerOwn(t, 1, rt);
  const outer = new CallContext();
  const inner = new CallContext();
  liftBorrow(t, h, rt, outer);
  liftBorrow(t, h, rt, outer);
  liftBorrow(t, h, rt, inner);
  assert.equal(t.get(h).lendCount, 3);
  endCall(inner);
  assert.equal(t.get(h).lendCount, 2);
  assert.throws(() => liftOwn(t, h, rt), /lent out/);
  endCall(outer);
  assert.equal(t.get(h).lendCount, 0);
  assert.equal(liftOwn(t, h, rt), 1);
});

test('a borrow handle can itself be lent (lift_borrow of a borrow)', () => {
  const rt = new ResourceType('r', null, 0);
  const t = new HandleTable();
  const cx1 = new CallContext();
  const b = lowerBorrow(t, 9, rt, cx1, 1);
  const cx2 = new CallContext();
  assert.equal(liftBorrow(t, b, rt, cx2), 9);
  assert.throws(() => resourceDrop(t, rt, b, 1), /lent out/);
  endCall(cx2);
  resourceDrop(t, rt, b, 1);
  endCall(cx1);
});

test('a borrow passed to the defining instance arrives as the rep', () => {
  const rt = new ResourceType('r', null, 3);
  const cx = new CallContext();
  const t = new HandleTable();
  assert.equal(lowerBorrow(t, 99, rt, cx, 3), 99);
  assert.equal(cx.borrows, 0);
  assert.deepEqual(t.array, [null]);
  endCall(cx);
  // Host-defined types (instance -1) never match a component instance.
  const host = new ResourceType('h', null, -1);
  assert.equal(lowerBorrow(t, 99, host, cx, 0), 1);
  assert.equal(cx.borrows, 1);
});

test('lifting a borrow as own traps', () => {
  const rt = new ResourceType('r', null, 0);
  const t = new HandleTable();
  const cx = new CallContext();
  const b = lowerBorrow(t, 5, rt, cx, 1);
  assert.throws(() => liftOwn(t, b, rt), /expected an owned handle, got a borrowed one/);
  assert.equal(t.get(b).rep, 5);
});

test('endCall releases lent host objects', () => {
  const taken = [];
  const cx = new CallContext();
  const reps = { take: (rep) => taken.push(rep) };
  cx.hostLends.push(reps, 4, reps, 5);
  endCall(cx);
  assert.deepEqual(taken, [4, 5]);
  assert.deepEqual(cx.hostLends, []);
});

// A lowered module's table functions, as handles.rs writes them: slot 0 never used,
// freed slots reused last-in first-out, 0xffff or 0xfffe (a waitable) the type of the
// runtime's objects.
function fakeCoreTable() {
  const types = [0];
  const free = [];
  const kind = (i) => {
    i >>>= 0;
    if (i === 0 || i >= types.length || types[i] === 0) throw new Trap(`unknown handle index ${i}`);
    return types[i];
  };
  const add = (type) => {
    const i = free.length > 0 ? free.pop() : types.length;
    types[i] = type;
    return i;
  };
  // The instance's backpressure counter, which the module's backpressure.inc/.dec move.
  const backpressure = { value: 0 };
  const fns = [(k) => add(k), kind, (i) => { kind(i); types[i] = 0; free.push(i); }, () => backpressure.value];
  return { fns, types, backpressure, addResource: () => add(1), addSet: () => add(0xfffd) };
}

test("a lowered module's table: the runtime's objects by the module's handles", () => {
  const core = fakeCoreTable();
  const t = new CoreHandleTable();
  assert.throws(() => t.add('early'), /before its module exists/);
  t.bind(...core.fns);
  const w = { waitable: 1 };
  assert.equal(t.add(w), 1);
  const r = core.addResource();
  assert.equal(r, 2);
  assert.equal(t.add('set'), 3);
  assert.equal(t.get(1), w);
  // A resource handle's slot is nothing the runtime's checks accept.
  const slot = t.get(r);
  assert.notEqual(slot, undefined);
  assert.notEqual(slot, null);
  assert.equal(typeof slot.abandon, 'undefined');
  assert.throws(() => t.get(9), /unknown handle index 9/);
  assert.throws(() => t.get(-1), /unknown handle index 4294967295/);
  assert.equal(t.remove(1), w);
  assert.throws(() => t.get(1), /unknown handle index 1/);
  assert.deepEqual(t.array, [null, null, null, 'set']);
  // The module reuses the freed slot.
  assert.equal(t.add('again'), 1);
});

test("a lowered module's scopes: a task's borrows and a subtask's lends, through the module", () => {
  const calls = [];
  const scopes = { borrows: (s) => (calls.push(['borrows', s]), s === 7 ? 1 : 0), release: (s) => calls.push(['release', s]) };
  assert.equal(borrowsRemain(new CallContext(7, scopes)), true);
  assert.equal(borrowsRemain(new CallContext(8, scopes)), false);
  const cx = new CallContext(8, scopes);
  cx.borrows = 1; // the JS side's count is not the module's
  releaseLends(cx);
  assert.equal(cx.borrows, 1);
  assert.deepEqual(calls, [['borrows', 7], ['borrows', 8], ['release', 8]]);
  assert.equal(borrowsRemain(cx), false);
  // Without a module, the JS counts.
  const js = new CallContext();
  js.borrows = 1;
  assert.equal(borrowsRemain(js), true);
});

test("a lowered module's waitable state: a waitable's flags and set in the module, its event here", async () => {
  const { Waitable } = await import('../waitable.js');
  const core = fakeCoreTable();
  // The module's waitable functions, over one set's members (joined in order).
  const calls = [];
  const flags = new Map();
  const members = [];
  const waitables = {
    pend: (w, on) => (calls.push(['pend', w, on]), flags.set(w, on)),
    sync: (w, on) => calls.push(['sync', w, on]),
    setOf: (w) => (members.includes(w) ? 3 : 0),
    leave: (w) => members.splice(members.indexOf(w) >>> 0, members.includes(w) ? 1 : 0),
    ready: () => (members.some((w) => flags.get(w)) ? 1 : 0),
    take: () => {
      const w = members.find((m) => flags.get(m)) ?? 0;
      flags.set(w, 0);
      return w;
    },
    wait: (s, d) => calls.push(['wait', s, d]),
  };
  const t = new CoreHandleTable();
  t.bind(...core.fns, waitables);
  const w = new Waitable();
  assert.equal(t.add(w), 1);
  assert.equal(core.types[1], 0xfffe);
  assert.equal(t.add('error context'), 2);
  assert.equal(core.types[2], 0xffff);
  assert.equal(core.addSet(), 3);
  assert.equal(w.inSet(), false);
  members.push(1);
  assert.equal(w.inSet(), true);
  // The event: pending in the module, made here when the set delivers it.
  w.setPendingEvent(() => [2, 1, 42]);
  w.setSyncWaiter(true);
  w.setSyncWaiter(false);
  const set = t.get(3);
  set.wait(1);
  assert.equal(set.hasPendingEvent(), true);
  assert.deepEqual(set.getPendingEvent(), [2, 1, 42]);
  assert.equal(set.hasPendingEvent(), false);
  set.wait(-1);
  assert.deepEqual(calls, [['pend', 1, 1], ['sync', 1, 1], ['sync', 1, 0], ['wait', 3, 1], ['pend', 1, 0], ['wait', 3, -1]]);
  // Out of the table: no longer the module's (its slot may be another's), but still in
  // its set as far as the checks go until it is dropped.
  assert.equal(t.remove(1), w);
  assert.equal(w.core, null);
  assert.equal(w.inSet(), true);
  w.drop();
  assert.equal(w.inSet(), false);
  calls.length = 0;
  w.setPendingEvent(() => [2, 1, 0]);
  assert.deepEqual(calls, []);
});

test("a lowered module's backpressure: the instance reads the module's counter", async () => {
  const { AsyncInstance } = await import('../task.js');
  const core = fakeCoreTable();
  const t = new CoreHandleTable();
  const inst = new AsyncInstance(t, () => {});
  assert.throws(() => inst.backpressure, /before its module exists/);
  t.bind(...core.fns, {});
  assert.equal(inst.backpressure, 0);
  core.backpressure.value = 2;
  assert.equal(inst.backpressure, 2, 'backpressure.inc ran in the module');
  // A table of JS's: the instance's own counter.
  const own = new AsyncInstance(new HandleTable(), () => {});
  assert.equal(own.backpressure, 0);
});
