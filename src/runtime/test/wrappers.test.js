import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wrapOwn, wrapBorrow, takeRep, borrowRep, disposeOwned, HostReps } from '../wrappers.js';
import { ResourceType, CallContext, endCall } from '../resources.js';

test('owned wrappers move once and dispose once', () => {
  const dropped = [];
  const rt = new ResourceType('thing', (rep) => dropped.push(rep), 0);
  class Thing {}
  const a = wrapOwn(Thing, rt, 5);
  assert.ok(a instanceof Thing);
  assert.equal(borrowRep(a, rt), 5);
  assert.equal(takeRep(a, rt), 5);
  assert.throws(() => takeRep(a, rt), /moved or disposed/);
  const b = wrapOwn(Thing, rt, 6);
  disposeOwned(b);
  disposeOwned(b);
  assert.deepEqual(dropped, [6]);
  const c = wrapBorrow(Thing, rt, 7);
  assert.throws(() => takeRep(c, rt), /borrowed/);
  assert.throws(() => takeRep({}, rt), TypeError);
});

test('handle state is private: copies and forged properties are not handles', () => {
  const dropped = [];
  const rt = new ResourceType('thing', (rep) => dropped.push(rep), 0);
  class Thing {}
  const a = wrapOwn(Thing, rt, 5);
  assert.deepEqual(Reflect.ownKeys(a), []);
  const copies = [
    { ...a },
    Object.assign(Object.create(Thing.prototype), a),
    Object.create(a),
    structuredClone(a),
    new Proxy(a, {}),
  ];
  for (const c of copies) {
    assert.throws(() => borrowRep(c, rt), { name: 'TypeError', message: 'expected a thing resource for a borrowed handle' });
    assert.throws(() => takeRep(c, rt), { name: 'TypeError', message: 'expected a thing resource for an owned handle' });
    disposeOwned(c);
  }
  for (const v of [null, undefined, 5, 'x', () => {}]) {
    assert.throws(() => borrowRep(v, rt), TypeError);
    disposeOwned(v);
  }
  assert.deepEqual(dropped, []);
  // Properties named like the old public state change nothing.
  for (const key of ['weft.rep', 'weft.resourceType', 'weft.owned']) a[Symbol.for(key)] = 99;
  assert.equal(borrowRep(a, rt), 5);
  disposeOwned(a);
  assert.deepEqual(dropped, [5]);
});

test('an object is a handle of its own resource type only', () => {
  const rt = new ResourceType('thing', null, 0);
  const other = new ResourceType('thing', null, 1);
  class Thing {}
  const a = wrapOwn(Thing, rt, 1);
  assert.throws(() => borrowRep(a, other), TypeError);
  assert.throws(() => takeRep(a, other), TypeError);
  assert.equal(takeRep(a, rt), 1);
});

test('a borrowed object is not disposed and cannot be taken', () => {
  const dropped = [];
  const rt = new ResourceType('thing', (rep) => dropped.push(rep), 0);
  class Thing {}
  const b = wrapBorrow(Thing, rt, 3);
  assert.ok(b instanceof Thing);
  assert.equal(borrowRep(b, rt), 3);
  disposeOwned(b);
  assert.equal(borrowRep(b, rt), 3);
  assert.throws(() => takeRep(b, rt), /borrowed thing cannot be passed as owned/);
  assert.deepEqual(dropped, []);
});

test('host reps are counted per object', () => {
  const reps = new HostReps();
  const obj = { [Symbol.dispose]() { this.disposed = true; } };
  const r1 = reps.own(obj);
  const r2 = reps.own(obj);
  assert.equal(r1, r2);
  assert.equal(reps.take(r1), obj);
  assert.equal(reps.get(r1), obj);
  reps.drop(r1);
  assert.equal(obj.disposed, true);
  assert.equal(reps.get(r1), undefined);
  const cx = new CallContext();
  const lent = reps.lend(obj, cx);
  assert.equal(reps.get(lent), obj);
  endCall(cx);
  assert.equal(reps.get(lent), undefined);
});
