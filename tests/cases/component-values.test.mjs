import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

/** A component factory as weft exports one, made from the generated module itself. */
async function counterFactory(mode) {
  const { instantiate } = await import(`${dir}/${mode}/component-values.component0.js`);
  return { instantiate: (imports) => instantiate(undefined, imports) };
}

for (const mode of ['inst', 'jco-inst']) {
  test(`an exported component instantiates, again and again, with the host's imports (${mode})`, async () => {
    const { instantiate } = await import(`${dir}/${mode}/component-values.js`);
    const e = await instantiate(undefined, { base: { default: () => 10 }, counter: { default: await counterFactory(mode) } });
    const def = e['counter-def'] ?? e.counterDef;
    assert.equal(typeof def.instantiate, 'function');
    const x = await def.instantiate({ base: { default: () => 100 } });
    const y = await def.instantiate({ base: { default: () => 500 } });
    assert.equal(x.next(), 101);
    assert.equal(x.next(), 102);
    assert.equal(y.next(), 501);
    assert.ok(Object.isFrozen(def));
  });
}

test('an imported component is instantiated at run time, with host and own functions', async () => {
  const { instantiate } = await import(`${dir}/inst/component-values.js`);
  const e = await instantiate(undefined, { base: { default: () => 10 }, counter: { default: await counterFactory('inst') } });
  // `a` got the host's base (10), `b` the component's own function (2000).
  assert.equal(e['a-next'](), 11);
  assert.equal(e['a-next'](), 12);
  assert.equal(e['b-next'](), 2001);
  // Its own definition, instantiated statically, is a third, separate counter.
  assert.equal(e['local-next'](), 2001);
  assert.equal(e['b-next'](), 2002);
});

test('an exported component is a component another instance can import', async () => {
  const { instantiate } = await import(`${dir}/inst/component-values.js`);
  const first = await instantiate(undefined, { base: { default: () => 1 }, counter: { default: await counterFactory('inst') } });
  const second = await instantiate(undefined, { base: { default: () => 7 }, counter: { default: first['counter-def'] } });
  assert.equal(second['a-next'](), 8);
  assert.equal(second['b-next'](), 2001);
});

test('a value that is not a component is refused, naming the import', async () => {
  const { instantiate } = await import(`${dir}/inst/component-values.js`);
  await assert.rejects(instantiate(undefined, { base: { default: () => 1 }, counter: { default: {} } }), {
    name: 'TypeError',
    message: 'the import `counter` must be a component: an object with an `instantiate(imports)` method',
  });
  await assert.rejects(
    instantiate(undefined, { base: { default: () => 1 }, counter: { default: { instantiate: () => 42 } } }),
    { name: 'TypeError', message: 'instantiating the component given for `counter` did not give an object of its exports' },
  );
});
