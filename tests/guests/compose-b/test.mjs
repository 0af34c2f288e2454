// `compose-b` on its own: its `text` import implemented in JS, including the `Buffer`
// resource class.
import { assert, loadGuest, test } from '../testing.mjs';

let drops = 0;
const calls = [];
class Buffer {
  constructor(init) {
    calls.push(['new', init]);
    this.s = init;
  }
  push(s) {
    this.s += s;
  }
  contents() {
    return this.s;
  }
  len() {
    return Buffer.utf8.encode(this.s).length;
  }
  [Symbol.dispose]() {
    drops++;
  }
  static utf8 = new TextEncoder();
}

const { instance: inst } = await loadGuest('compose-b', () => ({
  'weft:test/text': {
    shout: (s) => s.toUpperCase(),
    sum(xs) {
      assert.ok(xs instanceof Uint32Array);
      return xs.reduce((a, x) => a + BigInt(x), 0n);
    },
    Buffer,
    bufferDrops: () => drops,
  },
}));

test('exported functions are properties of the instance', () => {
  for (const f of ['run', 'total', 'join', 'drops']) assert.equal(typeof inst[f], 'function');
});

test('run calls the imported shout', () => {
  assert.equal(inst.run('hello'), 'HELLO!');
  assert.equal(inst.run(''), '!');
  assert.equal(inst.run('straße 😀'), 'STRASSE 😀!');
});

test('total calls the imported sum', () => {
  assert.equal(inst.total([]), 0n);
  assert.equal(inst.total([1, 2, 3]), 12n);
  assert.equal(inst.total(new Uint32Array([4294967295, 1])), 8589934592n);
});

test('join creates, uses and drops an imported Buffer', () => {
  calls.length = 0;
  const before = drops;
  assert.deepEqual(inst.join(['a', 'b😀', 'c'], ', '), ['a, b😀, c', 11]);
  assert.deepEqual(calls, [['new', '']]);
  assert.equal(drops, before + 1);
  assert.deepEqual(inst.join([], '-'), ['', 0]);
  assert.equal(drops, before + 2);
  assert.equal(inst.drops(), drops);
});
