// `compose-a` on its own: the `text` interface and its `Buffer` resource.
import { assert, loadGuest, test } from '../testing.mjs';

const { instance: inst } = await loadGuest('compose-a', () => ({}));
const { text } = inst;

test('exports: the interface by short and full name', () => {
  assert.equal(inst['weft:test/text'], text);
});

test('shout', () => {
  assert.equal(text.shout(''), '');
  assert.equal(text.shout('hello, world'), 'HELLO, WORLD');
  assert.equal(text.shout('é ü 😀 abc'), 'é ü 😀 ABC');
  const long = 'abc😀'.repeat(10000);
  assert.equal(text.shout(long), 'ABC😀'.repeat(10000));
});

test('sum', () => {
  assert.equal(text.sum([]), 0n);
  assert.equal(text.sum([1, 2, 3]), 6n);
  assert.equal(text.sum(new Uint32Array([4294967295, 4294967295])), 8589934590n);
  assert.equal(text.sum(new Uint32Array(100000).fill(4294967295)), 429496729500000n);
});

test('the Buffer resource', () => {
  const before = text.bufferDrops();
  const b = new text.Buffer('start');
  assert.equal(b.contents(), 'start');
  b.push(' + more 😀');
  assert.equal(b.contents(), 'start + more 😀');
  assert.equal(b.len(), 'start + more '.length + 4);
  const e = new text.Buffer('');
  assert.equal(e.len(), 0);
  assert.equal(e.contents(), '');
  b[Symbol.dispose]();
  e[Symbol.dispose]();
  assert.equal(text.bufferDrops(), before + 2);
});
