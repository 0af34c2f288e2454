import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/host-import-traps.js`);
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

/** An instance whose imports are `overrides` over harmless defaults. */
function make(overrides = {}) {
  const imports = {
    h: class {},
    'get-str': () => 'abc',
    fail: () => {},
    back: () => 1,
    'make-h': () => ({}),
    ...overrides,
  };
  return instantiate(undefined, Object.fromEntries(Object.entries(imports).map(([k, v]) => [k, { default: v }])));
}

test('a healthy instance answers', async () => {
  const inst = await make();
  assert.equal(inst.strLen(), 3);
  inst.callFail();
  inst.makeDrop();
  assert.equal(inst.fine('x'), 120);
});

test("a TypeError from an export's own argument does not poison", async () => {
  const inst = await make();
  assert.throws(() => inst.fine('xy'), TypeError);
  assert.equal(inst.fine('x'), 120);
});

test('a host import returning a value of the wrong type poisons the instance', async () => {
  const inst = await make({ 'get-str': () => 42 });
  assert.throws(() => inst.strLen(), TypeError);
  assert.throws(() => inst.fine('x'), poisoned);
});

test('a host import returning a non-object for an own handle poisons the instance', async () => {
  const inst = await make({ 'make-h': () => 7 });
  assert.throws(() => inst.makeDrop(), TypeError);
  assert.throws(() => inst.fine('x'), poisoned);
});

for (const [what, error] of [
  ['a TypeError', new TypeError('host says no')],
  ['an Error', new Error('host says no')],
  ['a string', 'host says no'],
]) {
  test(`a host import throwing ${what} poisons the instance`, async () => {
    const inst = await make({ fail: () => { throw error; } });
    assert.throws(() => inst.callFail(), (e) => e === error);
    assert.throws(() => inst.fine('x'), poisoned);
  });
}

test("a host resource's [Symbol.dispose] throwing from the guest's resource.drop poisons the instance", async () => {
  const error = new TypeError('dispose says no');
  const inst = await make({ 'make-h': () => ({ [Symbol.dispose]() { throw error; } }) });
  assert.throws(() => inst.makeDrop(), (e) => e === error);
  assert.throws(() => inst.fine('x'), poisoned);
});

test('a host import may call back into the instance that called it', async () => {
  let inst;
  let inner;
  inst = await make({ back: () => (inner = inst.fine('a')) });
  assert.equal(inst.callBack(), 98);
  assert.equal(inner, 97);
  assert.equal(inst.fine('x'), 120);
});

test("a throw from a reentrant call, passing through the outer call's guest, poisons the instance", async () => {
  let inst;
  inst = await make({ back: () => inst.fine('\uD800') });
  assert.throws(() => inst.callBack(), TypeError);
  // The inner call's bad argument is a TypeError before the guest runs (no poison by
  // itself); it left the outer call's guest mid-call, which does.
  assert.throws(() => inst.fine('x'), poisoned);
});
