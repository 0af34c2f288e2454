// Tests of playground/src/wave.js, the call boxes' helpers over the runtime's WAVE
// (src/runtime/wave.js, tested in src/runtime/test/): which types can be typed in, an
// example of each, placeholders for values WAVE has no form for.
// node --test playground/test/wave.test.js (after scripts/build-playground, which puts
// @weft/transpiler in playground/node_modules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, parseValue, witType, example, writable } from '../src/wave.js';
// The type builders of the runtime's WAVE tests.
import {
  bool, char, color, enumType, f32, f64, flags, list, map, option, perms, point, prim, record, result,
  s16, s32, s64, s8, shape, string, thing, tuple, u16, u32, u64, u8, variant,
} from '../../src/runtime/test/wave-types.js';


test('writable and example', () => {
  const types = [
    bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string,
    list(u8), list(string, 3), list(bool, 0), point, tuple(u8, string), shape, color, perms,
    option(u8), option(option(string)), result(u32, string), result(null, null), map(string, u32),
    enumType('kw', ['none', 'a']), variant('kw', { ok: u8 }), record('opt', { a: option(u8) }),
  ];
  for (const type of types) {
    assert.equal(writable(type), true, witType(type));
    const text = example(type);
    assert.equal(typeof text, 'string');
    const value = parseValue(text, type);
    assert.equal(formatValue(value, type), text, `example of ${witType(type)}`);
  }
  assert.equal(example(list(u8)), '[42]');
  assert.equal(example(list(bool, 3)), '[true, true, true]');
  assert.equal(example(point), '{x: 42, y: 42}');
  assert.equal(example(shape), 'circle(3.5)');
  assert.equal(example(enumType('kw', ['none', 'a'])), '%none');
  assert.equal(example(result(null, null)), 'ok');
  assert.equal(example(map(string, u32)), '{"hello": 42}');
  const unwritable = [
    thing, { kind: 'borrow', resource: 'x' }, { kind: 'future', type: null },
    { kind: 'stream', type: u8 }, prim('error-context'), list(thing), option(thing),
    result(null, thing), record('r', { a: u8, b: thing }), variant('v', { a: null, b: thing }),
    tuple(u8, thing), map(string, thing),
  ];
  for (const type of unwritable) {
    assert.equal(writable(type), false, witType(type));
    assert.equal(example(type), null, witType(type));
  }
});

test('placeholders for resources, futures, streams and error contexts', () => {
  assert.equal(formatValue({}, thing), '<own thing>');
  assert.equal(formatValue({}, { kind: 'borrow', resource: 'file' }), '<borrow file>');
  assert.equal(formatValue(Promise.resolve(1), { kind: 'future', type: u8 }), '<future>');
  assert.equal(formatValue({}, { kind: 'stream', type: null }), '<stream>');
  assert.equal(formatValue({ message: 'boom' }, prim('error-context')), '<error-context: boom>');
  assert.equal(formatValue({}, prim('error-context')), '<error-context>');
  assert.equal(formatValue([{}, {}], list(thing)), '[<own thing>, <own thing>]');
  assert.equal(formatValue({ tag: 'ok', value: {} }, result(thing, null)), 'ok(<own thing>)');
  assert.throws(() => formatValue({ tag: 'ok', value: 'x' }, result(u8, null), 'result'), { name: 'TypeError', message: 'result.value: expected a number, got string "x"' });
});
