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
