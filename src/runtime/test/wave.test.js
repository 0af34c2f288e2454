// wave.js: WAVE text of JS values of every WIT type, both ways. What wasm-wave itself
// makes of this text: wave-reference.test.js (through weft-devtools).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaveError, waveFloat, waveRead as read, waveWrite as write } from '../wave.js';
import { ty } from './wave-types.js';

// The types below are written compactly (`ty`).
const waveWrite = (t, v) => write(ty(t), v);
const waveRead = (t, text) => read(ty(t), text);

/** Writes `v`, expects `text`, and reads it back as `v`. */
function both(t, v, text) {
  assert.equal(waveWrite(t, v), text);
  assert.deepEqual(waveRead(t, text), v);
}

const rejects = (t, text, message) => assert.throws(() => waveRead(t, text), (e) => e instanceof WaveError && message.test(e.message));

test('numbers: integers of every width, at their limits', () => {
  both('u8', 255, '255');
  both('s8', -128, '-128');
  both('u16', 65535, '65535');
  both('s32', -2147483648, '-2147483648');
  both('u32', 4294967295, '4294967295');
  both('u64', 18446744073709551615n, '18446744073709551615');
  both('s64', -9223372036854775808n, '-9223372036854775808');
  rejects('u8', '256', /range of u8/);
  rejects('s8', '-129', /range of s8/);
  rejects('u32', '1.5', /integer/);
  rejects('u32', '1e3', /integer/);
  rejects('u32', '01', /invalid number/);
  assert.throws(() => waveWrite('u8', 256), /out of the range of u8/);
  assert.throws(() => waveWrite('u64', 1), /expected a bigint/);
});

test('floats: shortest digits without exponent, nan, inf, -0; f32 rounds as f32', () => {
  both('f64', 0.1, '0.1');
  both('f64', -0, '-0');
  both('f64', 1e21, '1000000000000000000000');
  both('f64', 1.5e-7, '0.00000015');
  both('f64', Infinity, 'inf');
  both('f64', -Infinity, '-inf');
  assert.equal(waveWrite('f64', NaN), 'nan');
  assert.ok(Number.isNaN(waveRead('f64', 'nan')));
  both('f32', Math.fround(0.1), '0.1');
  both('f32', Math.fround(3.4028234664e38), '340282350000000000000000000000000000000');
  both('f32', Math.fround(1.4e-45), '0.000000000000000000000000000000000000000000001');
  assert.equal(waveRead('f32', '3.4028234664e39'), Infinity);
  assert.equal(waveRead('f32', '1.4012984643e-46'), 0);
  assert.equal(waveRead('f64', '1e300'), 1e300);
  assert.equal(waveRead('f64', '-0.0e-0'), -0);
  // Rust's `Display`: the shortest digits, then zeros (not the exact integer).
  assert.equal(waveFloat(2 ** 70, false), '1180591620717411300000');
  for (const bad of ['-nan', 'NaN', 'Infinity', 'INF', '.5', '1.', '+1']) rejects('f64', bad, /./);
});

test('chars and strings: escapes both ways, \\u{…}, control characters, lone surrogates', () => {
  both('char', 'x', "'x'");
  both('char', "'", "'\\''");
  both('char', '"', "'\\\"'");
  both('char', '☃', "'☃'");
  both('char', '👋', "'👋'");
  both('char', '\0', "'\\u{0}'");
  both('string', 'tab\there\r\n"q" \'s\' \\', '"tab\\there\\r\\n\\"q\\" \\\'s\\\' \\\\"');
  both('string', '\u{7f}\u{9f}\u{1b}', '"\\u{7f}\\u{9f}\\u{1b}"');
  both('string', '', '""');
  assert.equal(waveRead('string', '"\\u{1F44B}\\u{61}"'), '👋a');
  assert.equal(waveRead('char', "'\\u{10FFFF}'"), '\u{10FFFF}');
  // What a guest would get of a lone surrogate: U+FFFD.
  assert.equal(waveWrite('string', 'a\ud800b'), '"a\u{fffd}b"');
  rejects('char', "'ab'", /one character/);
  rejects('char', "''", /one character/);
  rejects('string', '"\\u{d800}"', /Unicode scalar/);
  rejects('string', '"\\u{110000}"', /Unicode scalar/);
  rejects('string', '"\\x41"', /invalid escape/);
  rejects('string', '"line\nbreak"', /newline/);
  rejects('string', '"open', /unterminated/);
  assert.throws(() => waveWrite('char', 'ab'), /expected a char/);
});

test('multiline strings: dedented by the closing line, \\r kept only escaped', () => {
  assert.equal(waveRead('string', '"""\nA single line\n"""'), 'A single line');
  assert.equal(waveRead('string', '"""\n    Indentation determined\n      by ending delimiter\n  """'), '  Indentation determined\n    by ending delimiter');
  assert.equal(waveRead('string', '"""\r\n  one\\r\r\n  ""\\""\r\n  """'), 'one\r\n""""');
  rejects('string', '"""one line"""', /starts with a line break/);
  rejects('string', '"""\n  a\n b\n  """', /indented less/);
});

test('lists (typed arrays for numbers), fixed lists, tuples', () => {
  both({ list: 'u8' }, new Uint8Array([1, 2, 3]), '[1, 2, 3]');
  both({ list: 's64' }, new BigInt64Array([-1n, 2n]), '[-1, 2]');
  both({ list: 'f32' }, new Float32Array([0.5, -0]), '[0.5, -0]');
  both({ list: 'string' }, ['a', 'b'], '["a", "b"]');
  both({ list: { list: 'char' } }, [[], ['x']], "[[], ['x']]");
  both({ list: 'u16', len: 2 }, new Uint16Array([7, 8]), '[7, 8]');
  both({ tuple: ['u8', 'string'] }, [123, 'abc'], '(123, "abc")');
  assert.equal(waveWrite({ list: 'u32' }, [1, 2]), '[1, 2]'); // an Array is a list too
  assert.deepEqual(waveRead({ list: 'string' }, '[ "a" , "b" , ]'), ['a', 'b']);
  rejects({ list: 'u16', len: 2 }, '[1]', /list of 2/);
  rejects({ list: 'u8' }, '[1,, 2]', /expected a value|unexpected/);
  rejects({ list: 'u8' }, '[, 1]', /unexpected/);
  rejects({ tuple: ['u8', 'u8'] }, '(1)', /tuple of 2/);
});

const basic = { record: [['required', 'required', 'u8'], ['optional', 'optional', { option: 'u8' }]] };
const keywordFields = { record: [['true', 'true', 'bool'], ['some', 'some', { option: 'u8' }], ['my-field', 'myField', 'u8']] };

test("records: fields in any order, none left out, '{:}' for nothing, %-labels", () => {
  both(basic, { required: 1, optional: null }, '{required: 1}');
  both(basic, { required: 1, optional: 2 }, '{required: 1, optional: 2}'.replace('2}', 'some(2)}'));
  assert.deepEqual(waveRead(basic, '{ optional: some(2), required: 1, }'), { required: 1, optional: 2 });
  assert.deepEqual(waveRead(basic, '{optional: 2, %required: 1}'), { required: 1, optional: 2 });
  both(keywordFields, { true: false, some: 3, myField: 4 }, '{true: false, some: some(3), my-field: 4}');
  const allOptional = { record: [['a', 'a', { option: 'u8' }]] };
  both(allOptional, { a: null }, '{:}');
  assert.deepEqual(waveRead(allOptional, '{ : }'), { a: null });
  rejects(allOptional, '{}', /\{:\} when empty/);
  rejects(basic, '{optional: none}', /field required/);
  rejects(basic, '{required: 0, required: 0}', /duplicate field required/);
  rejects(basic, '{required: 0, extra: 1}', /no field extra/);
  rejects(basic, '{"required": 1}', /field name/);
  rejects(basic, '{required: 0,, }', /unexpected|expected/);
});

const hand = { enum: ['left', 'right'] };
const keywordCases = { enum: ['true', 'ok', 'nan', 'up'] };
const response = { variant: [['empty', null], ['body', { list: 'u8' }], ['err', 'string']] };

test('variants and enums: payloads, and % before a case named like a keyword', () => {
  both(hand, 'left', 'left');
  both(keywordCases, 'true', '%true');
  both(keywordCases, 'nan', '%nan');
  both(keywordCases, 'up', 'up');
  rejects(keywordCases, 'true', /one of/);
  both(response, { tag: 'empty' }, 'empty');
  both(response, { tag: 'body', value: new Uint8Array([79, 75]) }, 'body([79, 75])');
  both(response, { tag: 'err', value: 'oops' }, '%err("oops")');
  assert.deepEqual(waveRead(response, 'body ( [ ] )'), { tag: 'body', value: new Uint8Array() });
  rejects(response, 'err("oops")', /variant case/);
  rejects(response, 'empty(1)', /without a payload/);
  rejects(response, 'body', /a payload for body/);
  rejects(hand, 'left()', /unexpected '\)'/);
  rejects(hand, 'up', /one of left, right/);
});

test('options: null or the value, flat some, nested options as { tag }', () => {
  both({ option: 'u8' }, null, 'none');
  both({ option: 'u8' }, 5, 'some(5)');
  assert.equal(waveRead({ option: 'u8' }, '5'), 5); // a flat some
  const nested = { option: { option: 'u8' } };
  both(nested, { tag: 'none' }, 'none');
  both(nested, { tag: 'some', value: null }, 'some(none)');
  both(nested, { tag: 'some', value: 1 }, 'some(some(1))');
  assert.deepEqual(waveRead(nested, 'some(1)'), { tag: 'some', value: 1 }); // the inner some is flat
  rejects(nested, '1', /some\(…\) or none/);
  rejects({ option: 'u8' }, 'some', /./);
  rejects({ option: 'u8' }, 'some()', /./);
  rejects({ option: 'u8' }, 'none()', /./);
  rejects({ option: 'u8' }, 'some(some(0))', /integer/);
  const optResult = { option: { result: ['u8', null] } };
  both(optResult, { tag: 'ok', value: 1 }, 'some(ok(1))');
  rejects(optResult, 'ok(1)', /some\(…\) or none/);
});

test('results: ok and err with and without payloads, flat ok', () => {
  const both8 = { result: ['u8', 'u8'] };
  both(both8, { tag: 'ok', value: 1 }, 'ok(1)');
  both(both8, { tag: 'err', value: 2 }, 'err(2)');
  assert.deepEqual(waveRead(both8, '3'), { tag: 'ok', value: 3 });
  const bare = { result: [null, null] };
  both(bare, { tag: 'ok' }, 'ok');
  both(bare, { tag: 'err' }, 'err');
  const errOnly = { result: [null, 'string'] };
  both(errOnly, { tag: 'err', value: 'x' }, 'err("x")');
  rejects(errOnly, '"x"', /ok\(…\) or err/);
  rejects(both8, 'ok', /a payload for ok/);
  rejects(bare, 'ok(0)', /without a payload/);
  rejects(both8, 'o(0)', /ok\(…\) or err|integer/);
});

const perms = { flags: [['read', 'read'], ['write', 'write'], ['exec-now', 'execNow']] };

test('flags: any order, duplicates and unknown flags refused', () => {
  both(perms, { read: true, write: false, execNow: true }, '{read, exec-now}');
  both(perms, { read: false, write: false, execNow: false }, '{}');
  assert.deepEqual(waveRead(perms, '{ write , read , }'), { read: true, write: true, execNow: false });
  rejects(perms, '{read, read}', /duplicate flag read/);
  rejects(perms, '{read, frobulate}', /unknown flag frobulate/);
  rejects(perms, '{:}', /flags/);
});

test('maps: keys of their type, insertion order, the last of a duplicate key wins in place', () => {
  const m = { map: ['string', 'u32'] };
  both(m, new Map(), '{}');
  assert.deepEqual(waveRead(m, '{:}'), new Map());
  both(m, new Map([['b', 2], ['a', 1]]), '{"b": 2, "a": 1}');
  assert.deepEqual([...waveRead(m, '{"a": 1, "b": 2, "a": 3}')], [['a', 3], ['b', 2]]);
  both({ map: ['bool', { list: 'u8' }] }, new Map([[true, new Uint8Array([1])], [false, new Uint8Array()]]), '{true: [1], false: []}');
  both({ map: ['u64', 'string'] }, new Map([[18446744073709551615n, 'max']]), '{18446744073709551615: "max"}');
  both({ map: ['char', { option: 'u8' }] }, new Map([["'", 3]]), "{'\\'': some(3)}");
  rejects(m, '{a: 1}', /string/);
  rejects(m, '{1: 1}', /string/);
  rejects({ map: ['bool', 'u8'] }, '{%true: 1}', /true or false/);
  rejects(m, '{"a"}', /expected ':'/);
  rejects(m, '{"a": 1, b}', /./);
  rejects(m, '[]', /a map/);
});

test('whitespace and comments between tokens, nothing after the value', () => {
  assert.deepEqual(waveRead({ list: 'u8' }, ' // a list\n[ 1, // one\n 2 ]  // done'), new Uint8Array([1, 2]));
  rejects('u8', '1 2', /after the value/);
  rejects('u8', '', /expected a value/);
});

test('a JS value that is not of the type names its path', () => {
  assert.throws(() => waveWrite(basic, { required: 'x' }), /value\.required: expected an integer, got string/);
  assert.throws(() => waveWrite({ list: { tuple: ['u8'] } }, [[1], 2]), /value\[1\]: expected a tuple of 1/);
  assert.throws(() => waveWrite(response, { tag: 'nope' }), /value: expected a variant case/);
});

test('a refused text: the offset of the problem, also in the message', () => {
  const offsetOf = (t, text) => {
    try {
      waveRead(t, text);
    } catch (e) {
      assert.ok(e instanceof WaveError);
      assert.ok(e.message.endsWith(` at ${e.offset}`), e.message);
      return e.offset;
    }
    assert.fail(`${text} was read`);
  };
  assert.equal(offsetOf({ list: 'u8' }, '[1, 2, x]'), 7);
  assert.equal(offsetOf(basic, '{required: 0, required: 1}'), 14);
  assert.equal(offsetOf('string', '"ab\\qc"'), 3);
  // Inside a multiline string: where in the whole text.
  assert.equal(offsetOf('string', '"""\n  ok\n  bad\\q\n  """'), 14);
  assert.equal(offsetOf('string', '"""\n  ok\n bad\n  """'), 9);
  // A JS value that is not of the type has no offset.
  assert.throws(() => waveWrite('u8', 'x'), (e) => e instanceof WaveError && e.offset === undefined);
});

test('values without a WAVE form: an error, or the text of the handle hook', () => {
  const own = { kind: 'own', resource: 'thing' };
  const rec = { kind: 'record', name: null, fields: [{ name: 'it', js: 'it', type: own }, { name: 'n', js: 'n', type: { kind: 'u8' } }] };
  const thing = {};
  assert.throws(() => write(own, thing), /value: a value of type own has no WAVE form/);
  const seen = [];
  const handle = (t, v, path) => {
    seen.push([t.kind, v, path]);
    return `<${t.kind} ${t.resource}>`;
  };
  assert.equal(write(rec, { it: thing, n: 1 }, { handle }), '{it: <own thing>, n: 1}');
  assert.deepEqual(seen, [['own', thing, 'value.it']]);
  assert.equal(write({ kind: 'list', element: { kind: 'stream', type: null } }, [1, 2], { handle: () => '#' }), '[#, #]');
});
