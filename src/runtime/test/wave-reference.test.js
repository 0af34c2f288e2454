// wave.js against wasm-wave 0.263, the reference implementation of WAVE, through
// `weft-devtools wave` (crates/devtools/src/wave.rs; scripts/devtools builds it into
// $WEFT_CACHE/tools/bin, or WEFT_DEVTOOLS names it). For every WIT type: what wave.js
// writes, wasm-wave reads as the same value and writes as the same text; what wasm-wave
// writes, wave.js reads back as the value it started from; text in the forms wasm-wave
// accepts but does not write (flat `some`, `{:}`, multiline strings, comments, `%`
// labels, repeated map keys) reads the same in both; text one refuses, the other
// refuses too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { waveRead as read, waveWrite as write } from '../wave.js';
import { ty } from './wave-types.js';

// The types below are written compactly (`ty`).
const waveWrite = (t, v) => write(ty(t), v);
const waveRead = (t, text) => read(ty(t), text);

const devtools = process.env.WEFT_DEVTOOLS ?? join(process.env.WEFT_CACHE ?? join(homedir(), '.cache/weft'), 'tools/bin/weft-devtools');

/** The WIT type of each function's parameter (`f-<name>`). */
const WIT_TYPES = {
  bool: 'bool',
  u8: 'u8',
  s8: 's8',
  u16: 'u16',
  s16: 's16',
  u32: 'u32',
  s32: 's32',
  u64: 'u64',
  s64: 's64',
  f32: 'f32',
  f64: 'f64',
  char: 'char',
  string: 'string',
  'list-u8': 'list<u8>',
  'list-s64': 'list<s64>',
  'list-string': 'list<string>',
  'list-list-char': 'list<list<char>>',
  pair: 'tuple<u8, string, tuple<bool>>',
  basic: 'basic',
  'all-optional': 'all-optional',
  'keyword-fields': 'keyword-fields',
  response: 'response',
  'keyword-cases': 'keyword-cases',
  perms: 'perms',
  'option-u8': 'option<u8>',
  'option-option': 'option<option<u8>>',
  'option-result': 'option<result<u8>>',
  'result-both': 'result<u8, u8>',
  'result-none': 'result',
  'result-err': 'result<_, string>',
  'map-string': 'map<string, u32>',
  'map-bool': 'map<bool, list<u8>>',
  'map-u64': 'map<u64, string>',
  'map-char': 'map<char, option<u8>>',
};

const WIT = `package weft:wave;
interface values {
  record basic { required: u8, optional: option<u8> }
  record all-optional { a: option<u8>, b: option<string> }
  record keyword-fields { %true: bool, %some: option<u8>, my-field: s16 }
  variant response { empty, body(list<u8>), %err(string), nested(option<option<u8>>) }
  enum keyword-cases { %true, %ok, %nan, up }
  flags perms { read, write, exec-now }

${Object.entries(WIT_TYPES).map(([f, t]) => `  f-${f}: func(v: ${t});`).join('\n')}
}
`;

const basic = { record: [['required', 'required', 'u8'], ['optional', 'optional', { option: 'u8' }]] };
const allOptional = { record: [['a', 'a', { option: 'u8' }], ['b', 'b', { option: 'string' }]] };
const keywordFields = { record: [['true', 'true', 'bool'], ['some', 'some', { option: 'u8' }], ['my-field', 'myField', 's16']] };
const response = { variant: [['empty', null], ['body', { list: 'u8' }], ['err', 'string'], ['nested', { option: { option: 'u8' } }]] };
const keywordCases = { enum: ['true', 'ok', 'nan', 'up'] };
const perms = { flags: [['read', 'read'], ['write', 'write'], ['exec-now', 'execNow']] };
const f32 = Math.fround;

/** Per function: its type and values of it. */
const cases = {
  bool: ['bool', [true, false]],
  u8: ['u8', [0, 255]],
  s8: ['s8', [-128, 127]],
  u16: ['u16', [65535]],
  s16: ['s16', [-32768]],
  u32: ['u32', [4294967295]],
  s32: ['s32', [-2147483648, 2147483647]],
  u64: ['u64', [0n, 18446744073709551615n]],
  s64: ['s64', [-9223372036854775808n, 9223372036854775807n]],
  f32: ['f32', [0, -0, f32(0.1), f32(-3.1415), f32(3.4028234664e38), f32(1.4e-45), f32(1e-10), f32(16777216), Infinity, -Infinity, NaN]],
  f64: ['f64', [0.1, -0, 1e21, 1.5e-7, 2 ** 70, Number.MAX_VALUE, Number.MIN_VALUE, 123456789.125, Infinity, -Infinity, NaN]],
  char: ['char', ['x', "'", '"', '\\', '\t', '\n', '\r', '\0', '\x1b', '\x7f', '\x9f', 'é', '☃', '👋', '\u{10ffff}', '\u{301}', '\u{200b}', '\u{a0}', '\u{2028}', '\u{e000}', '\u{378}', '\u{feff}']],
  string: ['string', ['', 'abc', 'tab\there', 'quotes "double" \'single\'', 'back\\slash', 'line\nbreak\r\n', '\x00\x01\x1f', 'ünïcödé 👋 ☃', '"""', 'e\u{301} a\u{a0}b \u{200b}']],
  'list-u8': [{ list: 'u8' }, [new Uint8Array(), new Uint8Array([0, 1, 255])]],
  'list-s64': [{ list: 's64' }, [new BigInt64Array([-1n, 9223372036854775807n])]],
  'list-string': [{ list: 'string' }, [[], ['a', '', 'b']]],
  'list-list-char': [{ list: { list: 'char' } }, [[[], ['x', 'y']]]],
  pair: [{ tuple: ['u8', 'string', { tuple: ['bool'] }] }, [[7, 'x', [true]]]],
  basic: [basic, [{ required: 1, optional: null }, { required: 255, optional: 0 }]],
  'all-optional': [allOptional, [{ a: null, b: null }, { a: 1, b: null }, { a: null, b: 'z' }]],
  'keyword-fields': [keywordFields, [{ true: true, some: 1, myField: -1 }, { true: false, some: null, myField: 0 }]],
  response: [response, [{ tag: 'empty' }, { tag: 'body', value: new Uint8Array([79, 75]) }, { tag: 'err', value: 'oops' }, { tag: 'nested', value: { tag: 'some', value: null } }, { tag: 'nested', value: { tag: 'some', value: 3 } }, { tag: 'nested', value: { tag: 'none' } }]],
  'keyword-cases': [keywordCases, ['true', 'ok', 'nan', 'up']],
  perms: [perms, [{ read: false, write: false, execNow: false }, { read: true, write: false, execNow: true }, { read: true, write: true, execNow: true }]],
  'option-u8': [{ option: 'u8' }, [null, 0, 255]],
  'option-option': [{ option: { option: 'u8' } }, [{ tag: 'none' }, { tag: 'some', value: null }, { tag: 'some', value: 5 }]],
  'option-result': [{ option: { result: ['u8', null] } }, [null, { tag: 'ok', value: 1 }, { tag: 'err' }]],
  'result-both': [{ result: ['u8', 'u8'] }, [{ tag: 'ok', value: 1 }, { tag: 'err', value: 2 }]],
  'result-none': [{ result: [null, null] }, [{ tag: 'ok' }, { tag: 'err' }]],
  'result-err': [{ result: [null, 'string'] }, [{ tag: 'ok' }, { tag: 'err', value: 'e' }]],
  'map-string': [{ map: ['string', 'u32'] }, [new Map(), new Map([['b', 2], ['a', 1]])]],
  'map-bool': [{ map: ['bool', { list: 'u8' }] }, [new Map([[true, new Uint8Array([1, 2])], [false, new Uint8Array()]])]],
  'map-u64': [{ map: ['u64', 'string'] }, [new Map([[18446744073709551615n, 'max'], [0n, '']])]],
  'map-char': [{ map: ['char', { option: 'u8' }] }, [new Map([['x', 1], ["'", null]])]],
};

/** Text wasm-wave accepts in a form it does not write, with what it reads as. */
const accepted = [
  ['option-u8', '5', 5],
  ['option-option', 'some(5)', { tag: 'some', value: 5 }],
  ['result-both', '3', { tag: 'ok', value: 3 }],
  ['basic', '{ optional: some(2), required: 1, }', { required: 1, optional: 2 }],
  ['basic', '{%required: 1, optional: none}', { required: 1, optional: null }],
  ['all-optional', '{ : }', { a: null, b: null }],
  ['string', '"""\n  two\n    lines\\r\n  """', 'two\n  lines\r'],
  ['string', '"\\u{1F44B}\\u{61}"', '👋a'],
  ['list-u8', '[ 1 , // one\n 2 , ]', new Uint8Array([1, 2])],
  ['f64', '1e300', 1e300],
  ['f64', '-0.0e-0', -0],
  ['f32', '3.4028234664e39', Infinity],
  ['perms', '{ write , read , }', { read: true, write: true, execNow: false }],
  ['map-string', '{:}', new Map()],
  ['map-string', '{"a": 1, "b": 2, "a": 3}', new Map([['a', 3], ['b', 2]])],
];

/** Text both refuse. */
const refused = [
  ['u8', '256'], ['s8', '-129'], ['u32', '1.5'], ['u32', '01'], ['f64', '-nan'], ['f64', 'NaN'], ['f64', 'Infinity'],
  ['char', "'ab'"], ['char', "''"], ['string', '"\\u{d800}"'], ['string', '"\\x41"'],
  ['basic', '{optional: none}'], ['basic', '{required: 0, required: 0}'], ['basic', '{"required": 1}'], ['all-optional', '{}'],
  ['response', 'err("oops")'], ['response', 'empty(1)'], ['response', 'body'], ['keyword-cases', 'true'],
  ['option-u8', 'some()'], ['option-u8', 'none()'], ['option-u8', 'some(some(0))'], ['option-option', '1'],
  ['result-both', 'ok'], ['result-none', 'ok(0)'], ['result-err', '"x"'],
  ['perms', '{read, read}'], ['perms', '{read, frobulate}'],
  ['map-string', '{a: 1}'], ['map-string', '{1: 1}'], ['map-bool', '{%true: []}'], ['map-string', '{"a"}'], ['map-string', '[]'],
];

/** wasm-wave's reading and writing of `calls` (`[func, text]`): its line per call. */
function reference(calls) {
  assert.ok(existsSync(devtools), `${devtools} is missing: run scripts/devtools`);
  const dir = mkdtempSync(join(tmpdir(), 'weft-wave-'));
  try {
    writeFileSync(join(dir, 'values.wit'), WIT);
    const input = calls.map(([f, text]) => `f-${f}(${text});\n`).join('');
    const r = spawnSync(devtools, ['wave', join(dir, 'values.wit')], { input, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').slice(0, -1);
    assert.equal(lines.length, calls.length, r.stdout);
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The argument text of a reference line `f(text)`; fails on `error: …`. */
function argument(line, f) {
  assert.ok(line.startsWith(`f-${f}(`) && line.endsWith(')'), line);
  return line.slice(f.length + 3, -1);
}

const same = (a, b) => (typeof a === 'number' && Number.isNaN(a) ? assert.ok(Number.isNaN(b)) : assert.deepEqual(b, a));

test('what wave.js writes, wasm-wave reads as the same value and writes as the same text', () => {
  const calls = Object.entries(cases).flatMap(([f, [t, vs]]) => vs.map((v) => [f, waveWrite(t, v), t, v]));
  const lines = reference(calls);
  calls.forEach(([f, text, t, v], i) => {
    const back = argument(lines[i], f);
    assert.equal(back, text, `${f}: wasm-wave wrote ${back} for ${text}`);
    same(v, waveRead(t, back));
  });
});

test('text in the forms wasm-wave reads but does not write: the same value in both', () => {
  const lines = reference(accepted);
  accepted.forEach(([f, text, v], i) => {
    const t = cases[f][0];
    same(v, waveRead(t, text));
    assert.equal(argument(lines[i], f), waveWrite(t, v), `${f}(${text})`);
  });
});

test('text that wasm-wave refuses, wave.js refuses', () => {
  const lines = reference(refused);
  refused.forEach(([f, text], i) => {
    assert.match(lines[i], /^error: /, `wasm-wave took ${f}(${text})`);
    assert.throws(() => waveRead(cases[f][0], text), { name: 'WaveError' }, `wave.js took ${f}(${text})`);
  });
});
