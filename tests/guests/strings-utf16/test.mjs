// The `strings-utf16` guest: a component whose strings are UTF-16 in linear memory,
// in both directions (`viaHost` calls the `strings-host` import implemented here).
import { assert, loadGuest, test } from '../testing.mjs';

const long = 'long 🦀 é ascii '.repeat(50000);
const samples = [
  '',
  'a',
  'hello, world',
  'é ü ß ñ',
  '😀',
  '😀🎉 astral 𝄞 \u{10FFFF}',
  'nul\0inside',
  '\uFFFF\uFEFF',
  '日本語のテキスト',
  long,
];

const given = [];
const { instance: inst } = await loadGuest('strings-utf16', () => ({
  'weft:test/strings-host': {
    transform(s) {
      given.push(s);
      return `<${s}>`;
    },
  },
}));
const { strings } = inst;

test('exports: the interface by short and full name', () => {
  assert.equal(inst['weft:test/strings'], strings);
});

test('echo', () => {
  for (const s of samples) assert.equal(strings.echo(s), s);
});

test('concat', () => {
  for (const a of samples.slice(0, 7)) {
    for (const b of samples.slice(0, 7)) assert.equal(strings.concat(a, b), a + b);
  }
  assert.equal(strings.concat(long, long), long + long);
  // Each half has a lone surrogate, which becomes U+FFFD on the way in (docs/js-api.md),
  // so the guest never sees them pair up.
  assert.equal(strings.concat('x\uD83D', '\uDE00y'), 'x\uFFFD\uFFFDy');
});

test('len counts UTF-16 code units, code-points counts code points', () => {
  for (const s of samples) {
    assert.equal(strings.len(s), s.length, `len(${JSON.stringify(s.slice(0, 20))})`);
    assert.equal(strings.codePoints(s), [...s].length);
  }
});

test('lone surrogates are encoded as U+FFFD', () => {
  assert.equal(strings.echo('a\uD800b'), 'a\uFFFDb');
  assert.equal(strings.echo('\uDFFF'), '\uFFFD');
  assert.equal(strings.len('\uD800'), 1);
});

test('strings through an import', () => {
  for (const s of samples) {
    given.length = 0;
    assert.equal(strings.viaHost(s), `<${s}>`);
    assert.deepEqual(given, [s]);
  }
});
