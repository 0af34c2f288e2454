import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/resource-privacy.js`);
// A second transpiled module (jco shapes; the same for this component): its own copy
// of the runtime.
const other = await (await import(`${dir}/jco-inst/resource-privacy.js`)).instantiate(undefined, {
  ext: { default: class {} },
  'ext-get': { default: () => 0 },
});

const noExt = { ext: { default: class {} }, 'ext-get': { default: () => 0 } };
const notAccepted = { name: 'TypeError', message: /expected a counter resource/ };

test('a resource object has no own properties: its handle state is private', async () => {
  const inst = await instantiate(undefined, noExt);
  const c = inst.make(5);
  assert.ok(c instanceof inst.counter);
  assert.deepEqual(Reflect.ownKeys(c), []);
  assert.equal(inst.get(c), 5);
});

test('a copy of a resource object is not a handle', async () => {
  const inst = await instantiate(undefined, noExt);
  const c = inst.make(7);
  const spread = { ...c };
  const assigned = Object.assign(Object.create(inst.counter.prototype), c);
  const described = Object.defineProperties(Object.create(inst.counter.prototype), Object.getOwnPropertyDescriptors(c));
  const cloned = structuredClone(c);
  for (const copy of [spread, assigned, described, cloned]) {
    assert.throws(() => inst.get(copy), notAccepted);
    assert.throws(() => inst.consume(copy), notAccepted);
  }
  // Disposing a copy does nothing: the destructor runs once, for the original.
  for (const copy of [assigned, described]) copy[Symbol.dispose]();
  assert.equal(inst.dtors(), 0);
  assert.equal(inst.get(c), 7);
  c[Symbol.dispose]();
  c[Symbol.dispose]();
  assert.equal(inst.dtors(), 1);
});

test('no property set on an object passes a rep into the guest', async () => {
  const inst = await instantiate(undefined, noExt);
  const c = inst.make(3);
  const forged = Object.create(inst.counter.prototype);
  for (const key of ['weft.rep', 'weft.resourceType', 'weft.owned']) forged[Symbol.for(key)] = c[Symbol.for(key)];
  forged[Symbol.for('weft.rep')] = 1234;
  for (const key of Object.getOwnPropertySymbols(c)) if (!(key in forged)) forged[key] = c[key];
  assert.throws(() => inst.get(forged), notAccepted);
  assert.throws(() => inst.consume(forged), notAccepted);
  // Setting those properties on a genuine object changes nothing either.
  c[Symbol.for('weft.rep')] = 1234;
  c[Symbol.for('weft.owned')] = false;
  assert.equal(inst.get(c), 3);
  assert.equal(inst.consume(c), 3);
  assert.equal(inst.dtors(), 1);
});

test('a moved or disposed object is dead; a dead object disposes as a no-op', async () => {
  const inst = await instantiate(undefined, noExt);
  const a = inst.make(1);
  assert.equal(inst.consume(a), 1);
  assert.throws(() => inst.get(a), { name: 'TypeError', message: /already moved or disposed/ });
  assert.throws(() => inst.consume(a), { name: 'TypeError', message: /already moved or disposed/ });
  a[Symbol.dispose]();
  const b = inst.make(2);
  b[Symbol.dispose]();
  assert.throws(() => inst.get(b), { name: 'TypeError', message: /already moved or disposed/ });
  assert.equal(inst.dtors(), 2);
  // Objects weft did not make: disposing them does nothing.
  inst.counter.prototype[Symbol.dispose].call({});
  inst.counter.prototype[Symbol.dispose].call(Object.create(inst.counter.prototype));
  assert.equal(inst.dtors(), 2);
});

test('each instance accepts only its own objects', async () => {
  const one = await instantiate(undefined, noExt);
  const two = await instantiate(undefined, noExt);
  const c = one.make(4);
  assert.throws(() => two.get(c), notAccepted);
  assert.throws(() => other.get(c), notAccepted);
  assert.throws(() => one.get(other.make(4)), notAccepted);
});

test("another module's resource objects work as this module's host resource", async () => {
  // The ESM module's counters serve as `ext`: they reach the guest through the host
  // reps of this instance, and their methods and [Symbol.dispose] are the ESM module's.
  const inst = await instantiate(undefined, {
    ext: { default: other.counter },
    'ext-get': { default: (e) => other.get(e) },
  });
  const before = other.dtors();
  const e = other.make(9);
  assert.equal(inst.useExt(e), 9);
  assert.equal(other.get(e), 9);
  inst.keepExt(e);
  assert.equal(other.dtors(), before + 1);
  assert.throws(() => other.get(e), { name: 'TypeError', message: /already moved or disposed/ });
});
