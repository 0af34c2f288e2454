import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandleTable } from '../handles.js';
import {
  ResourceType, CallContext, endCall, liftOwn, liftBorrow, lowerOwn, lowerBorrow,
  resourceNew, resourceRep, resourceDrop,
} from '../resources.js';
import { Trap } from '../trap.js';

test('index 0 is never used and freed slots are reused last-in first-out', () => {
  const t = new HandleTable();
  assert.equal(t.add('a'), 1);
  assert.equal(t.add('b'), 2);
  assert.equal(t.add('c'), 3);
  t.remove(1);
  t.remove(3);
  assert.equal(t.add('d'), 3);
  assert.equal(t.add('e'), 1);
  assert.throws(() => t.get(0), /unknown handle index 0/);
  assert.throws(() => t.get(99), Trap);
});

test('resource.new, rep and drop run the destructor once', () => {
  const dropped = [];
  const rt = new ResourceType('thing', (rep) => dropped.push(rep), 0);
  const table = new HandleTable();
  const h = resourceNew(table, rt, 42);
  assert.equal(resourceRep(table, rt, h), 42);
  resourceDrop(table, rt, h, 0);
  assert.deepEqual(dropped, [42]);
  assert.throws(() => resourceRep(table, rt, h), /unknown handle/);
  const other = new ResourceType('other', null, 0);
  const h2 = resourceNew(table, rt, 1);
  assert.throws(() => resourceRep(table, other, h2), /not a `other`/);
});

test('lending: an own handle lent out can be neither moved nor dropped', () => {
  const rt = new ResourceType('r', null, 1);
  const caller = new HandleTable();
  const callee = new HandleTable();
  const h = lowerOwn(caller, 7, rt);
  const cx = new CallContext();
  const rep = liftBorrow(caller, h, rt, cx);
  const b = lowerBorrow(callee, rep, rt, cx, 2);
  assert.throws(() => resourceDrop(caller, rt, h, 1), /lent/);
  const h2 = lowerOwn(caller, 8, rt);
  // a borrow left undropped is a trap at the end of the call
  assert.throws(() => endCall(cx), /borrow handles still remain/);
  resourceDrop(callee, rt, b, 2);
  endCall(cx);
  assert.equal(liftOwn(caller, h, rt), 7);
  assert.equal(liftOwn(caller, h2, rt), 8);
});

test('a borrow passed to the defining instance arrives as the rep', () => {
  const rt = new ResourceType('r', null, 3);
  const cx = new CallContext();
  assert.equal(lowerBorrow(new HandleTable(), 99, rt, cx, 3), 99);
  assert.equal(cx.borrows, 0);
});

test('lifting a borrow as own traps', () => {
  const rt = new ResourceType('r', null, 0);
  const t = new HandleTable();
  const cx = new CallContext();
  const b = lowerBorrow(t, 5, rt, cx, 1);
  assert.throws(() => liftOwn(t, b, rt), /owned handle/);
});
