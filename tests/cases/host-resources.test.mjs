import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const { instantiate } = await import(`${dir}/inst/host-resources.js`);

test('a top-level imported resource class and functions over it', async () => {
  const disposed = [];
  class Blob {
    constructor(n) { this.n = n; }
    [Symbol.dispose]() { disposed.push(this.n); }
  }
  const inst = await instantiate(undefined, {
    blob: { default: Blob },
    'make-blob': { default: (n) => new Blob(n) },
    'blob-size': { default: (b) => { assert.ok(b instanceof Blob); return b.n * 10; } },
    shout: { default: (n) => n + 1 },
  });
  assert.equal(inst.roundtrip(4), 80);
  assert.deepEqual(disposed, [4]);
  const b = inst.makeAndReturn(7);
  assert.ok(b instanceof Blob);
  assert.equal(b.n, 7);
  assert.deepEqual(disposed, [4]);
  assert.equal(inst.shoutAgain(41), 42);
});
