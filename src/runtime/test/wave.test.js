// wave.js: WAVE text of JS values of every WIT type, both ways, and what it says of
// text that is not a value of its type. What wasm-wave itself makes of the same text:
// wave-reference.test.js (through weft-devtools).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaveError, waveFloat, waveRead, waveReadAt, waveWrite, witType } from '../wave.js';
import {
  bool, char, color, enumType, f32, f64, flags, list, map, option, perms, point, prim, record, result,
  s16, s32, s64, s8, shape, string, thing, tuple, u16, u32, u64, u8, variant,
} from './wave-types.js';

const parseValue = (text, type) => waveRead(type, text);
const formatValue = (value, type, root) => waveWrite(type, value, { root });

// ---- helpers

function parseError(text, type, message, offset) {
  assert.throws(() => parseValue(text, type), (e) => {
    assert.ok(e instanceof WaveError, `not a WaveError: ${e}`);
    assert.ok(e instanceof Error);
    assert.equal(e.message, message, `message for ${JSON.stringify(text)}`);
    assert.equal(e.offset, offset, `offset for ${JSON.stringify(text)}: ${e.message}`);
    return true;
  });
}

function formatError(value, type, message, root) {
  assert.throws(() => formatValue(value, type, root), (e) => {
    assert.ok(e instanceof TypeError, `not a TypeError: ${e}`);
    assert.equal(e.message, message);
    return true;
  });
}

// parse(text) is `value`, and the canonical form of `text` is `canonical`.
function same(text, type, value, canonical = text) {
  assert.deepStrictEqual(parseValue(text, type), value, `parse ${text}`);
  assert.equal(formatValue(value, type), canonical, `format of ${text}`);
}

// ---- tests

test('bool', () => {
  same('true', bool, true);
  same('false', bool, false);
  parseError('%true', bool, 'expected a bool (true or false), found %true', 0);
  parseError('1', bool, 'expected a bool (true or false), found 1', 0);
});

test('integers: every kind, bounds', () => {
  const cases = [
    [s8, -128, 127], [u8, 0, 255], [s16, -32768, 32767], [u16, 0, 65535],
    [s32, -2147483648, 2147483647], [u32, 0, 4294967295],
  ];
  for (const [type, min, max] of cases) {
    same(String(min), type, min);
    same(String(max), type, max);
    parseError(String(max + 1), type, `expected ${type.kind.startsWith('s') ? 'an' : 'a'} ${type.kind} (${min} to ${max}), found ${max + 1}`, 0);
    parseError(String(min - 1), type, `expected ${type.kind.startsWith('s') ? 'an' : 'a'} ${type.kind} (${min} to ${max}), found ${min - 1}`, 0);
  }
  same('-0', s32, 0, '0');
  parseError('-0', u8, 'expected a u8 (0 to 255), found -0', 0);
  parseError('1.5', u8, 'expected a u8 (0 to 255), found 1.5', 0);
  parseError('1e2', u8, 'expected a u8 (0 to 255), found 1e2', 0);
  parseError('1.0', s32, 'expected an s32 (-2147483648 to 2147483647), found 1.0', 0);
  parseError('inf', u32, 'expected a u32 (0 to 4294967295), found inf', 0);
  parseError('"1"', u32, 'expected a u32 (0 to 4294967295), found "1"', 0);
  parseError('01', u8, 'invalid number 01', 0);
  parseError('12abc', u8, 'invalid number 12abc', 0);
});

test('edge numbers: u64 max, s64 min, -0, nan, inf', () => {
  same('18446744073709551615', u64, 18446744073709551615n);
  same('0', u64, 0n);
  same('-9223372036854775808', s64, -9223372036854775808n);
  same('9223372036854775807', s64, 9223372036854775807n);
  parseError('18446744073709551616', u64,
    'expected a u64 (0 to 18446744073709551615), found 18446744073709551616', 0);
  parseError('-9223372036854775809', s64,
    'expected an s64 (-9223372036854775808 to 9223372036854775807), found -9223372036854775809', 0);
  assert.ok(Object.is(parseValue('-0', f64), -0));
  assert.ok(Object.is(parseValue('-0.0e-0', f32), -0));
  assert.equal(formatValue(-0, f64), '-0');
  assert.equal(formatValue(-0, f32), '-0');
  assert.ok(Number.isNaN(parseValue('nan', f64)));
  assert.equal(formatValue(NaN, f32), 'nan');
  same('inf', f64, Infinity);
  same('-inf', f32, -Infinity);
  assert.equal(parseValue('1e400', f64), Infinity);
  assert.equal(parseValue('3.4028234664e39', f32), Infinity);
  assert.equal(parseValue('1.4012984643e-46', f32), 0);
  assert.equal(formatValue(Number.MAX_SAFE_INTEGER + 2, f64), '9007199254740992');
  assert.equal(formatValue(2 ** 64, f64), '18446744073709552000');
  // Rust's `Display`: never an exponent; the shortest digits, then zeros.
  assert.equal(formatValue(1e21, f64), '1000000000000000000000');
  assert.equal(formatValue(5e-324, f64), `0.${'0'.repeat(323)}5`);
  assert.equal(waveFloat(2 ** 70, false), '1180591620717411300000');
});

test('floats: forms and canonical printing', () => {
  for (const text of ['0', '0.0', '0e0', '0e-1', '0e+1', '0.000e100']) {
    assert.ok(Object.is(parseValue(text, f64), 0), text);
  }
  same('3.25', f64, 3.25);
  same('-100000', f32, -100000);
  same('6.022e+23', f64, 6.022e23, '602200000000000000000000');
  same('2.5e-7', f64, 2.5e-7, '0.00000025');
  same('1.0', f64, 1, '1');
  same('100', f64, 100);
  assert.equal(formatValue(Math.fround(0.1), f32), '0.1');
  assert.equal(formatValue(0.1, f32), '0.1');
  assert.equal(formatValue(0.1, f64), '0.1');
  assert.equal(parseValue('0.1', f32), Math.fround(0.1));
  assert.equal(formatValue(Math.fround(3.4028234664e38), f32), '340282350000000000000000000000000000000');
  assert.equal(formatValue(Math.fround(1.4e-45), f32), `0.${'0'.repeat(44)}1`);
  assert.equal(formatValue(16777216, f32), '16777216');
  for (const bad of ['-nan', 'NaN', 'Infinity', '-Infinity', 'INF', '1.', '.5', '+1', '1e']) {
    assert.throws(() => parseValue(bad, f64), WaveError, bad);
  }
  parseError('Inf', f32, 'invalid name Inf (names are kebab-case words, each all lowercase or all uppercase)', 0);
  parseError('INF', f32, 'expected an f32 (a number, nan, inf or -inf), found INF', 0);
  parseError('-nan', f64, 'invalid number -nan', 0);
  parseError('%nan', f64, 'expected an f64 (a number, nan, inf or -inf), found %nan', 0);
});

test('char', () => {
  same("'x'", char, 'x');
  same("'🌊'", char, '🌊');
  same("'\"'", char, '"', "'\\\"'");
  same("'\\''", char, "'");
  same("'\\u{0}'", char, '\0', "'\\u{0}'");
  same("'\\u{000078}'", char, 'x', "'x'");
  same("'\\u{1F30A}'", char, '🌊', "'🌊'");
  parseError("''", char, 'a char holds exactly one character, found none', 0);
  parseError("'ab'", char, 'a char holds exactly one character, found 2', 0);
  parseError("'\\n\\n'", char, 'a char holds exactly one character, found 2', 0);
  parseError("'x", char, "unterminated char: expected a closing '", 0);
  parseError("'\n'", char, 'a line break in a char must be written \\n', 1);
  parseError('"x"', char, `expected a char like 'x', found "x"`, 0);
});

test('string', () => {
  same('""', string, '');
  same('"WAVE🌊"', string, 'WAVE🌊');
  same('"it\'s"', string, "it's", '"it\\\'s"');
  same('"a\\"b"', string, 'a"b');
  same("\"\\'\"", string, "'");
  parseError('"abc', string, 'unterminated string: expected a closing "', 0);
  parseError('"a\nb"', string, 'a line break in a string must be written \\n', 2);
  parseError('abc', string, 'expected a string like "text", found abc', 0);
  parseError("'a'", string, `expected a string like "text", found 'a'`, 0);
});

test('escapes', () => {
  same('"\\\\\\"\\t\\n\\r"', string, '\\"\t\n\r');
  same('"\\u{2603}\\u{002603}☃"', string, '☃☃☃', '"☃☃☃"');
  same('"\\u{10FFFF}"', string, '\u{10FFFF}', '"\\u{10ffff}"'); // unassigned: escaped
  assert.equal(formatValue('\0\x1b\x7f\u0085\u2028', string), '"\\u{0}\\u{1b}\\u{7f}\\u{85}\\u{2028}"');
  assert.equal(formatValue('bell\x07', string), '"bell\\u{7}"');
  assert.equal(formatValue("'", char), "'\\''");
  assert.equal(formatValue('\\', char), "'\\\\'");
  // What a guest would get of a lone surrogate: U+FFFD.
  assert.equal(formatValue('\ud800x', string), '"\u{fffd}x"');
  // As Rust's `escape_debug`: a combining accent, format characters and separators
  // other than the space are escaped; printable text (also in other scripts) is not.
  assert.equal(formatValue('e\u{301} a\u{a0}b\u{200b}\u{feff}\u{e000}', string), '"e\\u{301} a\\u{a0}b\\u{200b}\\u{feff}\\u{e000}"');
  assert.equal(formatValue('ünïcödé 👋 ☃', string), '"ünïcödé 👋 ☃"');
  assert.equal(parseValue(formatValue('\x00\t"\'\\é', string), string), '\x00\t"\'\\é');
  parseError('"\\z"', string, 'invalid escape \\z (valid: \\n \\t \\r \\\' \\" \\\\ \\u{...})', 1);
  parseError('"ab\\x1f"', string, 'invalid escape \\x (valid: \\n \\t \\r \\\' \\" \\\\ \\u{...})', 3);
  parseError('"\\u{d800}"', string, 'invalid escape \\u{d800}: not a Unicode scalar value', 1);
  parseError('"\\u{110000}"', string, 'invalid escape \\u{110000}: not a Unicode scalar value', 1);
  parseError('"\\u{}"', string, 'invalid escape: expected \\u{...} with 1 to 6 hex digits', 1);
  parseError('"\\u{1234567}"', string, 'invalid escape: expected \\u{...} with 1 to 6 hex digits', 1);
  parseError('"\\u1f"', string, 'invalid escape: expected \\u{...} with 1 to 6 hex digits', 1);
  parseError("'\\'", char, "unterminated char: expected a closing '", 0);
  parseError('"\ud800"', string, 'a lone surrogate is not a Unicode scalar value', 1);
});

test('multiline strings', () => {
  assert.equal(parseValue('"""\n"""', string), '');
  assert.equal(parseValue('"""\nA single line\n"""', string), 'A single line');
  assert.equal(parseValue('"""\r\nwindows\r\nlines\r\n"""', string), 'windows\nlines');
  assert.equal(
    parseValue('"""\n    Indentation determined\n      by ending delimiter\n  """', string),
    '  Indentation determined\n    by ending delimiter',
  );
  assert.equal(
    parseValue('"""\n  escape CR: \\r\n  break quotes: ""\\""\n  """', string),
    'escape CR: \r\nbreak quotes: """"',
  );
  assert.equal(parseValue('"""\n\nkept\n\n"""', string), '\nkept\n');
  assert.equal(parseValue('"""\n\'single\' and "double"\n"""', string), '\'single\' and "double"');
  parseError('""""""', string, 'the opening """ of a multiline string must be followed by a line break', 3);
  parseError('""" """', string, 'the opening """ of a multiline string must be followed by a line break', 3);
  parseError('"""extra\n"""', string, 'the opening """ of a multiline string must be followed by a line break', 3);
  parseError('"""\nextra"""', string, 'the closing """ of a multiline string must be on a line of its own, after nothing but spaces', 9);
  parseError('"""\n  a\n b\n  """', string, 'every line of a multiline string must be indented at least as much as its closing """', 8);
  parseError('"""\nbad: \\j\n"""', string, 'invalid escape \\j (valid: \\n \\t \\r \\\' \\" \\\\ \\u{...})', 9);
  parseError('"""\nnever closed\n', string, 'unterminated multiline string: expected """', 0);
});

test('list', () => {
  same('[]', list(string), []);
  same('["a", "b"]', list(string), ['a', 'b']);
  same('[ "a" , "b" , ]', list(string), ['a', 'b'], '["a", "b"]');
  same('[[true], []]', list(list(bool)), [[true], []]);
  same("['a', 'b']", list(char), ['a', 'b']);
  parseError('[,]', list(u8), "expected a u8 (0 to 255), found ','", 1);
  parseError('[1,,]', list(u8), "expected a u8 (0 to 255), found ','", 3);
  parseError('[1 2]', list(u8), "expected ',' or ']', found 2", 3);
  parseError('[1, 2', list(u8), "expected ',' or ']', found the end of the input", 5);
  parseError('[1}', list(u8), "expected ',' or ']', found '}'", 2);
  parseError('(1)', list(u8), "expected '[' to start a value of type list<u8>, found '('", 0);
});

test('typed arrays for numeric lists', () => {
  const cases = [
    [u8, Uint8Array], [s8, Int8Array], [u16, Uint16Array], [s16, Int16Array],
    [u32, Uint32Array], [s32, Int32Array], [f32, Float32Array], [f64, Float64Array],
  ];
  for (const [element, TypedArray] of cases) {
    const value = parseValue('[1, 2, 3]', list(element));
    assert.ok(value instanceof TypedArray, element.kind);
    assert.deepStrictEqual([...value], [1, 2, 3]);
    assert.equal(formatValue(value, list(element)), '[1, 2, 3]');
    assert.equal(formatValue([1, 2, 3], list(element)), '[1, 2, 3]');
  }
  const big = parseValue('[18446744073709551615, 0]', list(u64));
  assert.ok(big instanceof BigUint64Array);
  assert.deepStrictEqual([...big], [18446744073709551615n, 0n]);
  const signed = parseValue('[-9223372036854775808]', list(s64));
  assert.ok(signed instanceof BigInt64Array);
  assert.equal(formatValue(signed, list(s64)), '[-9223372036854775808]');
  assert.deepStrictEqual(parseValue('[]', list(u8)), new Uint8Array());
  assert.deepStrictEqual(parseValue('[1.5, nan]', list(f32)), new Float32Array([1.5, NaN]));
  assert.equal(formatValue(Buffer.from([1, 255]), list(u8)), '[1, 255]');
  formatError(new Int8Array(2), list(u8), 'value: expected a Uint8Array or an Array, got Int8Array(2)');
  formatError([1, 256], list(u8), 'value[1]: expected a u8 (0 to 255), got number 256');
  formatError([1], list(u64), 'value[0]: expected a bigint, got number 1');
});

test('fixed-length lists', () => {
  const four = list(u8, 4);
  assert.deepStrictEqual(parseValue('[1, 2, 3, 4]', four), new Uint8Array([1, 2, 3, 4]));
  assert.equal(formatValue(new Uint8Array([1, 2, 3, 4]), four), '[1, 2, 3, 4]');
  same('["a", "b"]', list(string, 2), ['a', 'b']);
  same('[]', list(bool, 0), []);
  parseError('[1, 2, 3]', four, 'expected 4 elements for list<u8, 4>, found 3', 8);
  parseError('[1, 2, 3, 4, 5]', four, 'too many elements for list<u8, 4>: expected 4', 13);
  formatError([1, 2, 3], four, 'value: expected 4 elements, got 3');
  formatError(new Uint8Array(5), four, 'value: expected 4 elements, got 5');
});

test('record', () => {
  same('{x: 1, y: -2}', point, { x: 1, y: -2 });
  same('{y: -2, x: 1,}', point, { x: 1, y: -2 }, '{x: 1, y: -2}');
  same('{ %x : 1 , %y : 2 }', point, { x: 1, y: 2 }, '{x: 1, y: 2}');
  const kebab = record('line', { 'start-point': point, 'line-width': f32 });
  same('{start-point: {x: 0, y: 0}, line-width: 1.5}', kebab, { startPoint: { x: 0, y: 0 }, lineWidth: 1.5 });
  parseError('{x: 1}', point, "missing field 'y' of record point", 0);
  parseError('{x: 1, z: 2}', point, "unknown field 'z' of record point (x, y)", 7);
  parseError('{x: 1, x: 2}', point, "duplicate field 'x'", 7);
  parseError('{x 1}', point, "expected ':' after field 'x', found 1", 3);
  parseError('{x: 1 y: 2}', point, "expected ',' or '}', found y", 6);
  parseError('{, x: 1}', point, "expected a field of record point (x, y), found ','", 1);
  parseError('{x: 1,, }', point, "expected a field of record point (x, y), found ','", 6);
  parseError('[1, 2]', point, "expected '{' to start a value of type point, found '['", 0);
  parseError('{}', point, "missing field 'x' of record point", 0);
  parseError('{:}', point, "missing field 'x' of record point", 0);
  const anonymous = record(null, { a: u8 });
  parseError('{}', anonymous, "missing field 'a' of record { a: u8 }", 0);
  formatError({ x: 1 }, point, 'value.y: expected a number, got undefined');
  formatError(null, point, 'value: expected an object (record point), got null');
});

test('record: optional fields and the empty record {:}', () => {
  const opts = record('opts', { required: u8, 'max-len': option(u32) });
  same('{required: 1}', opts, { required: 1, maxLen: null });
  same('{required: 1, max-len: none}', opts, { required: 1, maxLen: null }, '{required: 1}');
  same('{required: 1, max-len: some(5)}', opts, { required: 1, maxLen: 5 });
  same('{required: 1, max-len: 5}', opts, { required: 1, maxLen: 5 }, '{required: 1, max-len: some(5)}');
  assert.equal(formatValue({ required: 1 }, opts), '{required: 1}');
  assert.equal(formatValue({ required: 1, maxLen: undefined }, opts), '{required: 1}');
  const allOptional = record('all-optional', { a: option(u8), b: option(option(u8)) });
  same('{:}', allOptional, { a: null, b: { tag: 'none' } });
  same('{ : }', allOptional, { a: null, b: { tag: 'none' } }, '{:}');
  same('{a: none, b: none}', allOptional, { a: null, b: { tag: 'none' } }, '{:}');
  same('{b: some(none)}', allOptional, { a: null, b: { tag: 'some', value: null } });
  assert.equal(formatValue({}, allOptional), '{:}');
  assert.equal(formatValue({ a: null, b: null }, allOptional), '{:}');
  parseError('{}', allOptional, 'an empty record is written {:} ({} is an empty flags value)', 0);
  parseError('{:,}', allOptional, "expected '}' after '{:', found ','", 2);
});

test('tuple', () => {
  const pair = tuple(u32, string);
  same('(1, "a")', pair, [1, 'a']);
  same('( 1 , "a" , )', pair, [1, 'a'], '(1, "a")');
  same('((1, "a"), true)', tuple(pair, bool), [[1, 'a'], true]);
  parseError('(1)', pair, 'expected 2 values for tuple<u32, string>, found 1', 2);
  parseError('()', pair, 'expected 2 values for tuple<u32, string>, found 0', 1);
  parseError('(1, "a", 2)', pair, 'too many values for tuple<u32, string>: expected 2', 9);
  parseError('(1, 2)', pair, 'expected a string like "text", found 2', 4);
  formatError([1], pair, 'value: expected 2 values, got 1');
  formatError({ 0: 1, 1: 'a' }, pair, 'value: expected an Array of 2 values, got object');
});

test('variant', () => {
  same('circle(1.5)', shape, { tag: 'circle', value: 1.5 });
  same('rect((1, 2))', shape, { tag: 'rect', value: [1, 2] });
  same('empty', shape, { tag: 'empty' });
  same('circle (2)', shape, { tag: 'circle', value: 2 }, 'circle(2)');
  assert.equal(formatValue({ tag: 'empty', value: 99 }, shape), 'empty');
  parseError('oval(1)', shape, "unknown case 'oval' of variant shape (circle, rect, empty)", 0);
  parseError('circle', shape, "missing payload for case 'circle' of variant shape: write circle(...)", 0);
  parseError('empty(1)', shape, "unexpected payload for case 'empty' of variant shape", 5);
  parseError('circle(1', shape, "expected ')' after the payload of case 'circle' of variant shape, found the end of the input", 8);
  parseError('5', shape, 'expected a case of variant shape (circle, rect, empty), found 5', 0);
  parseError('true', shape, 'expected a case of variant shape (circle, rect, empty), found true', 0);
  formatError({ tag: 'oval' }, shape, "value.tag: expected one of 'circle', 'rect', 'empty', got string \"oval\"");
  formatError({ tag: 'circle', value: '1' }, shape, 'value.value: expected a number, got string "1"');
  formatError('circle', shape, 'value: expected { tag, value }, got string "circle"');
});

test('enum', () => {
  same('red', color, 'red');
  same('%blue', color, 'blue', 'blue');
  parseError('purple', color, "unknown case 'purple' of enum color (red, green, blue)", 0);
  parseError('  RED', color, "unknown case 'RED' of enum color (red, green, blue)", 2);
  parseError('Red', color, 'invalid name Red (names are kebab-case words, each all lowercase or all uppercase)', 0);
  parseError('red(1)', color, "unexpected payload for case 'red' of enum color", 3);
  parseError('"red"', color, 'expected a case of enum color (red, green, blue), found "red"', 0);
  formatError('purple', color, "value: expected one of 'red', 'green', 'blue', got string \"purple\"");
});

test('keyword-escaped names', () => {
  const status = enumType('status', ['ok', 'not-found', 'none']);
  same('%ok', status, 'ok');
  same('not-found', status, 'not-found');
  same('%none', status, 'none');
  parseError('ok', status, "the case 'ok' of enum status is written %ok (ok is a WAVE keyword)", 0);
  const all = variant('kw', {
    true: u8, false: null, inf: u8, nan: null, some: u8, none: null, ok: u8, err: null,
  });
  const text = '[%true(1), %false, %inf(1), %nan, %some(1), %none, %ok(1), %err]';
  same(text, list(all), [
    { tag: 'true', value: 1 }, { tag: 'false' }, { tag: 'inf', value: 1 }, { tag: 'nan' },
    { tag: 'some', value: 1 }, { tag: 'none' }, { tag: 'ok', value: 1 }, { tag: 'err' },
  ]);
  parseError('some(1)', all, "the case 'some' of variant kw is written %some (some is a WAVE keyword)", 0);
  // Field and flag names never need the escape (and are printed without it).
  const fields = record('kw-fields', { true: u8, none: u8, ok: option(u8) });
  same('{true: 1, none: 2, ok: some(3)}', fields, { true: 1, none: 2, ok: 3 });
  same('{%true: 1, %none: 2}', fields, { true: 1, none: 2, ok: null }, '{true: 1, none: 2}');
  const kwFlags = flags('kw-flags', ['true', 'err']);
  same('{true, err}', kwFlags, { true: true, err: true });
  same('{%err}', kwFlags, { true: false, err: true }, '{err}');
  // An option of an enum with a `none` case: `none` is the option's, `%none` the enum's.
  const maybeStatus = option(status);
  same('none', maybeStatus, null);
  same('%none', maybeStatus, 'none', 'some(%none)');
  same('some(%ok)', maybeStatus, 'ok');
});

test('option and the flat some', () => {
  same('some(1)', option(u8), 1);
  same('none', option(u8), null);
  same('7', option(u8), 7, 'some(7)');
  same('"text"', option(string), 'text', 'some("text")');
  same('[some(1), none, 2]', list(option(u8)), [1, null, 2], '[some(1), none, some(2)]');
  same('some(ok(1))', option(result(u8, null)), { tag: 'ok', value: 1 });
  assert.equal(formatValue(undefined, option(u8)), 'none');
  parseError('some', option(u8), "expected '(' after some, found the end of the input", 4);
  parseError('some()', option(u8), "expected a u8 (0 to 255), found ')'", 5);
  parseError('none(0)', option(u8), 'unexpected payload for none', 4);
  parseError('ok(1)', option(result(u8, null)), 'expected some(...) or none for option<result<u8>>, found ok', 0);
  parseError('some(some(1))', option(u8), 'expected a u8 (0 to 255), found some', 5);
});

test('option<option<T>>', () => {
  const t = option(option(u8));
  same('none', t, { tag: 'none' });
  same('some(none)', t, { tag: 'some', value: null });
  same('some(some(3))', t, { tag: 'some', value: 3 });
  same('some(3)', t, { tag: 'some', value: 3 }, 'some(some(3))');
  parseError('3', t, 'expected some(...) or none for option<option<u8>>, found 3', 0);
  const t3 = option(option(option(bool)));
  same('some(some(none))', t3, { tag: 'some', value: { tag: 'some', value: null } });
  same('some(some(some(true)))', t3, { tag: 'some', value: { tag: 'some', value: true } });
  formatError(null, t, "value: expected { tag, value }, got null");
  formatError({ tag: 'some', value: 'x' }, t, 'value.value: expected a number, got string "x"');
});

test('result', () => {
  const r = result(u32, string);
  same('ok(1)', r, { tag: 'ok', value: 1 });
  same('err("bad")', r, { tag: 'err', value: 'bad' });
  same('5', r, { tag: 'ok', value: 5 }, 'ok(5)');
  same('ok', result(null, string), { tag: 'ok' });
  same('err("x")', result(null, string), { tag: 'err', value: 'x' });
  same('err', result(u8, null), { tag: 'err' });
  same('ok', result(null, null), { tag: 'ok' });
  same('err', result(null, null), { tag: 'err' });
  same('ok(none)', result(option(u8), null), { tag: 'ok', value: null });
  parseError('ok', r, 'missing payload for ok of result<u32, string>: write ok(...)', 0);
  parseError('err(0)', result(u8, null), 'unexpected payload for err of result<u8>', 3);
  parseError('ok()', result(null, null), 'unexpected payload for ok of result', 2);
  parseError('"e"', result(null, string), 'expected ok or err(...) for result<_, string>, found "e"', 0);
  parseError('none', result(option(u8), null), 'expected ok(...) or err for result<option<u8>>, found none', 0);
  formatError({ tag: 'ok', value: [{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: '1', y: 2 }] }, result(list(point), null),
    'result.value[2].x: expected a number, got string "1"', 'result');
  formatError({ tag: 'fine' }, r, "value.tag: expected one of 'ok', 'err', got string \"fine\"");
});

test('flags', () => {
  same('{}', perms, { read: false, write: false, readOnly: false });
  same('{read}', perms, { read: true, write: false, readOnly: false });
  same('{read-only, read,}', perms, { read: true, write: false, readOnly: true }, '{read, read-only}');
  assert.equal(formatValue({ write: true }, perms), '{write}');
  parseError('{read, exec}', perms, "unknown flag 'exec' of flags perms (read, write, read-only)", 7);
  parseError('{read, read}', perms, "duplicate flag 'read'", 7);
  parseError('{:}', perms, "expected a flag of flags perms (read, write, read-only), found ':'", 1);
  parseError('{read: true}', perms, "expected ',' or '}', found ':'", 5);
  parseError('read', perms, "expected '{' to start a value of type perms, found read", 0);
  formatError({ read: 1 }, perms, 'value.read: expected a boolean, got number 1');
});

test('map: {key: value}, {} or {:} when empty, the last of a repeated key in place', () => {
  const m = map(string, u32);
  same('{"a": 1, "b": 2}', m, new Map([['a', 1], ['b', 2]]));
  same('{}', m, new Map());
  same('{:}', m, new Map(), '{}');
  same('{ "a" : 1 , }', m, new Map([['a', 1]]), '{"a": 1}');
  same('{1: [true], 18446744073709551615: []}', map(u64, list(bool)),
    new Map([[1n, [true]], [18446744073709551615n, []]]));
  same('{true: 1, false: 0}', map(bool, u8), new Map([[true, 1], [false, 0]]));
  same("{'\\'': some(3)}", map(char, option(u8)), new Map([["'", 3]]));
  assert.deepStrictEqual([...parseValue('{"a": 1, "b": 2, "a": 3}', m)], [['a', 3], ['b', 2]]);
  assert.equal(formatValue({ a: 1, b: 2 }, m), '{"a": 1, "b": 2}');
  parseError('[("a", 1)]', m, "expected '{' to start a value of type map<string, u32>, found '['", 0);
  parseError('{a: 1}', m, 'expected a string like "text", found a', 1);
  parseError('{%true: 1}', map(bool, u8), 'expected a bool (true or false), found %true', 1);
  parseError('{"a"}', m, "expected ':' after the map entry's key, found '}'", 4);
  parseError('{"a": 1, "b"}', m, "expected ':' after the map entry's key, found '}'", 12);
  parseError('{:,}', m, "expected '}' after '{:', found ','", 2);
  formatError(new Map([['a', -1]]), m, 'value[0][1]: expected a u32 (0 to 4294967295), got number -1');
  formatError(new Map([[1, 1]]), m, 'value[0][0]: expected a string, got number 1');
  formatError([['a', 1]], m, 'value: expected a Map, got Array(1)');
});

test('resources, futures, streams, error-context cannot be written', () => {
  parseError('1', thing, 'a value of type own<thing> cannot be written in WAVE', 0);
  parseError('  x', { kind: 'borrow', resource: 'thing' }, 'a value of type borrow<thing> cannot be written in WAVE', 2);
  parseError('[1]', list({ kind: 'future', type: u8 }), 'a value of type future<u8> cannot be written in WAVE', 1);
  parseError('{a: 1}', record('r', { a: { kind: 'stream', type: null } }), 'a value of type stream cannot be written in WAVE', 4);
  parseError('x', prim('error-context'), 'a value of type error-context cannot be written in WAVE', 0);
  assert.deepStrictEqual(parseValue('[]', list(thing)), []);
});

test('values without a WAVE form: a TypeError, or the text the handle hook gives', () => {
  const holder = record(null, { it: thing, n: u8 });
  const it = {};
  formatError(it, thing, 'value: a value of type own<thing> has no WAVE form');
  const seen = [];
  const handle = (t, v, path) => {
    seen.push([t.kind, v, path]);
    return `<${t.kind} ${t.resource}>`;
  };
  assert.equal(waveWrite(holder, { it, n: 1 }, { handle }), '{it: <own thing>, n: 1}');
  assert.deepStrictEqual(seen, [['own', it, 'value.it']]);
  const streams = list({ kind: 'stream', type: null });
  assert.equal(waveWrite(streams, [1, 2], { handle: () => '#', root: 'r' }), '[#, #]');
});

test('whitespace and comments', () => {
  same('  \t\r\n 5 \n', u8, 5, '5');
  same('// leading\n5 // trailing', u8, 5, '5');
  const text = `{       // comment
    x: 1,   // comment
    y: some( // comment
      2     // comment
    ),      // comment
  }         // comment`;
  assert.deepStrictEqual(parseValue(text, record('p', { x: u8, y: option(u8) })), { x: 1, y: 2 });
  parseError('// { x: 1 }', point, "expected '{' to start a value of type point, found the end of the input", 11);
  parseError('5 6', u8, 'trailing characters after the value', 2);
  parseError('5 // c\n )', u8, 'trailing characters after the value', 8);
  parseError('', u8, 'expected a u8 (0 to 255), found the end of the input', 0);
  parseError('\u00a05', u8, "unexpected character '\u00a0'", 0);
  parseError('5 / 2', u8, 'trailing characters after the value', 2);
  parseError('foo_bar', color, 'invalid name foo_bar (names are kebab-case words, each all lowercase or all uppercase)', 0);
  parseError('aB', color, 'invalid name aB (names are kebab-case words, each all lowercase or all uppercase)', 0);
});

test('round trips parse -> format -> parse', () => {
  const big = record('everything', {
    flag: bool, small: s8, count: u64, ratio: f32, letter: char, name: string,
    bytes: list(u8), words: list(string, 2), where: point, pair: tuple(u8, option(string)),
    shape, color, 'maybe-twice': option(option(s16)), outcome: result(u8, string), perms,
    index: map(string, list(u32)), nothing: option(bool),
  });
  const texts = [
    `{flag: true, small: -5, count: 18446744073709551615, ratio: 0.1, letter: '\\'', name: "a\\"b\\n\\u{1F30A}",
      bytes: [0, 255], words: ["x", ""], where: {x: -1, y: 2}, pair: (1, none), shape: rect((1.5, -0)),
      color: green, maybe-twice: some(none), outcome: err("no"), perms: {write, read-only},
      index: {"k": [1, 2], "": []}}`,
    `{flag: false, small: 127, count: 0, ratio: nan, letter: '"', name: """
      multi
        line
      """, bytes: [], words: ["a", "b"], where: {y: 0, x: 0}, pair: (9, "s"), shape: empty,
      color: %blue, maybe-twice: some(3), outcome: 7, perms: {}, index: {:}, nothing: false}`,
  ];
  for (const text of texts) {
    const value = parseValue(text, big);
    const canonical = formatValue(value, big);
    assert.deepStrictEqual(parseValue(canonical, big), value);
    assert.equal(formatValue(parseValue(canonical, big), big), canonical);
  }
  assert.equal(
    formatValue(parseValue(texts[0], big), big),
    "{flag: true, small: -5, count: 18446744073709551615, ratio: 0.1, letter: '\\'', " +
      'name: "a\\"b\\n🌊", bytes: [0, 255], words: ["x", ""], where: {x: -1, y: 2}, ' +
      'pair: (1, none), shape: rect((1.5, -0)), color: green, maybe-twice: some(none), ' +
      'outcome: err("no"), perms: {write, read-only}, index: {"k": [1, 2], "": []}}',
  );
  const simple = [
    [u8, '0'], [f64, '-1.5'], [char, "'\\n'"], [string, '"tab\\there"'], [list(list(s64)), '[[1, -2], []]'],
    [option(option(option(u8))), 'some(some(none))'], [result(null, null), 'err'],
    [shape, 'circle(inf)'], [map(char, bool), "{'a': true, 'b': false}"],
    [tuple(f32, f64), '(3.1415, 602214076000000000000000)'],
  ];
  for (const [type, text] of simple) {
    assert.equal(formatValue(parseValue(text, type), type), text);
  }
});

test('formatValue checks the JS shape', () => {
  formatError(1, bool, 'value: expected a boolean, got number 1');
  formatError('1', u8, 'value: expected a number, got string "1"');
  formatError(1.5, u8, 'value: expected a u8 (0 to 255), got number 1.5');
  formatError(-1, u32, 'value: expected a u32 (0 to 4294967295), got number -1');
  formatError(1, u64, 'value: expected a bigint, got number 1');
  formatError(-1n, u64, 'value: expected a u64 (0 to 18446744073709551615), got bigint -1n');
  formatError(2n ** 63n, s64, 'value: expected an s64 (-9223372036854775808 to 9223372036854775807), got bigint 9223372036854775808n');
  formatError(1n, f64, 'value: expected a number, got bigint 1n');
  formatError('ab', char, 'value: expected a string of one Unicode scalar value, got string "ab"');
  formatError('\ud800', char, 'value: expected a string of one Unicode scalar value, got string "\\ud800"');
  formatError(5, string, 'value: expected a string, got number 5');
  formatError('x', list(string), 'value: expected an Array, got string "x"');
  formatError(undefined, result(null, null), 'value: expected { tag, value }, got undefined');
  formatError(() => 1, tuple(u8), 'value: expected an Array of 1 values, got function');
});

test('witType', () => {
  assert.equal(witType(u8), 'u8');
  assert.equal(witType(prim('error-context')), 'error-context');
  assert.equal(witType(list(u8)), 'list<u8>');
  assert.equal(witType(list(u8, 4)), 'list<u8, 4>');
  assert.equal(witType(option(string)), 'option<string>');
  assert.equal(witType(result(u32, string)), 'result<u32, string>');
  assert.equal(witType(result(null, string)), 'result<_, string>');
  assert.equal(witType(result(u32, null)), 'result<u32>');
  assert.equal(witType(result(null, null)), 'result');
  assert.equal(witType(point), 'point');
  assert.equal(witType(record(null, { 'x-coord': u32, y: u32 })), 'record { x-coord: u32, y: u32 }');
  assert.equal(witType(variant(null, { a: u8, b: null })), 'variant { a(u8), b }');
  assert.equal(witType(enumType(null, ['a', 'b'])), 'enum { a, b }');
  assert.equal(witType(flags(null, ['a', 'b'])), 'flags { a, b }');
  assert.equal(witType(color), 'color');
  assert.equal(witType(thing), 'own<thing>');
  assert.equal(witType({ kind: 'borrow', resource: 'thing' }), 'borrow<thing>');
  assert.equal(witType({ kind: 'future', type: u8 }), 'future<u8>');
  assert.equal(witType({ kind: 'future', type: null }), 'future');
  assert.equal(witType({ kind: 'stream', type: null }), 'stream');
  assert.equal(witType({ kind: 'stream', type: list(u8) }), 'stream<list<u8>>');
  assert.equal(witType(tuple(u32, string)), 'tuple<u32, string>');
  assert.equal(witType(map(string, u32)), 'map<string, u32>');
  assert.throws(() => witType({ kind: 'u128' }), TypeError);
});

test('trace ids for handles, with the handle hook; reading one value at an offset', () => {
  const holder = record(null, { it: thing, n: u8 });
  const seen = [];
  const handle = (t, id) => (seen.push([t.kind, id]), { id });
  assert.deepStrictEqual(waveRead(holder, '{it: #12, n: 1}', { handle }), { it: { id: 12 }, n: 1 });
  assert.deepStrictEqual(seen, [['own', 12]]);
  parseError('#1', thing, 'a value of type own<thing> cannot be written in WAVE', 0);
  assert.throws(() => waveRead(thing, '1', { handle }), { name: 'WaveError', message: 'expected a trace id like #1 for own<thing>, found 1', offset: 0 });
  assert.throws(() => waveRead(thing, '#01', { handle }), { name: 'WaveError', message: 'expected a trace id like #1 for own<thing>, found #01' });
  parseError('#1', u8, 'expected a u8 (0 to 255), found #1', 0);
  assert.deepStrictEqual(waveReadAt(tuple(u8, string), 'f((1, "a)"), 2) -> x', 2), { value: [1, 'a)'], end: 11 });
  assert.deepStrictEqual(waveReadAt(u8, 'x  // c\n 7 rest', 1), { value: 7, end: 10 });
});
