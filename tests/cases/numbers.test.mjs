import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const esm = await import(`${dir}/esm/numbers.js`);
const { instantiate } = await import(`${dir}/inst/numbers.js`);

test('integers round-trip and wrap like ToIntN', () => {
  assert.equal(esm.echoU8(255), 255);
  assert.equal(esm.echoU8(256), 0);
  assert.equal(esm.echoS8(-128), -128);
  assert.equal(esm.echoS8(200), -56);
  assert.equal(esm.echoU16(65535), 65535);
  assert.equal(esm.echoS16(-32768), -32768);
  assert.equal(esm.echoU32(4294967295), 4294967295);
  assert.equal(esm.echoU32(-1), 4294967295);
  assert.equal(esm.echoS32(-2147483648), -2147483648);
  assert.equal(esm.echoU64(18446744073709551615n), 18446744073709551615n);
  assert.equal(esm.echoS64(-9223372036854775808n), -9223372036854775808n);
  assert.throws(() => esm.echoU64(1), TypeError);
});

test('floats', () => {
  assert.equal(esm.echoF32(1.5), 1.5);
  assert.equal(esm.echoF32(0.1), Math.fround(0.1));
  assert.ok(Number.isNaN(esm.echoF64(NaN)));
  assert.ok(Object.is(esm.echoF64(-0), -0));
  assert.equal(esm.echoF64(Infinity), Infinity);
});

test('bool and char', () => {
  assert.equal(esm.echoBool(true), true);
  assert.equal(esm.echoBool(false), false);
  assert.equal(esm.u32AsBool(2), true);
  assert.equal(esm.echoChar('x'), 'x');
  assert.equal(esm.echoChar('😀'), '😀');
  assert.throws(() => esm.echoChar('ab'), TypeError);
});

test('lifting truncates and sign-extends', () => {
  assert.equal(esm.u32AsU8(0x1ff), 0xff);
  assert.equal(esm.u32AsS8(0xff), -1);
});

test('invalid char traps and poisons the instance', async () => {
  const inst = await instantiate(undefined, {});
  assert.throws(() => inst.u32AsChar(0xd800), (e) => e instanceof WebAssembly.RuntimeError && e.name === 'Trap' && /char/.test(e.message));
  assert.throws(() => inst.add(1, 2), /cannot enter component instance/);
});

test('a core trap poisons only its own instance', async () => {
  const a = await instantiate(undefined, {});
  const b = await instantiate(undefined, {});
  assert.throws(() => a.trap(), WebAssembly.RuntimeError);
  assert.throws(() => a.add(1, 2), /cannot enter component instance/);
  assert.equal(b.add(1, 2), 3);
});

// A function of scalars enters through a short fast path (its tests as nested `if`s) and
// falls back to its checked form (`addChecked`) for anything else: the two must say the
// same.
test('a scalar export: the fast entry and its checked form agree', async () => {
  const inst = await instantiate(undefined, {});
  assert.throws(() => inst.add('1', 2), { name: 'TypeError', message: 'arg 0: expected number, got string' });
  assert.throws(() => inst.add(1, 2n), { name: 'TypeError', message: 'arg 1: expected number, got bigint' });
  assert.equal(inst.add(1, 2), 3, 'a rejected value leaves the instance usable');
  assert.throws(() => inst.echoBool(0), { name: 'TypeError', message: 'arg 0: expected boolean, got number 0' });
  assert.throws(() => inst.echoS64(0), { name: 'TypeError', message: 'arg 0: expected bigint, got number 0' });
  assert.throws(() => inst.echoChar(''), { name: 'TypeError', message: 'arg 0: expected a string of one Unicode scalar value, got string' });
  assert.throws(() => inst.u32AsChar(0xd800), (e) => e.name === 'Trap');
  // Poisoned: the trap comes first, whatever the arguments are.
  assert.throws(() => inst.add('1', 2), (e) => e.name === 'Trap' && /cannot enter component instance/.test(e.message));
  assert.throws(() => inst.echoU8(1), (e) => e.name === 'Trap' && /cannot enter component instance/.test(e.message));
});
