// `async-pair-a` on its own: its async exports (`weft:test/async-pair`) called from JS,
// streams of several MB in both directions.
import { assert, loadGuest, test } from '../testing.mjs';
import { MB, chunksOf, patternChunks, produced, readAll, sameBytes, sumOf } from '../async-common.mjs';

const { instance: inst } = await loadGuest('async-pair-a', () => ({}));
const pair = inst.asyncPair;

test('the exported interface', () => {
  assert.equal(inst['weft:test/async-pair'], pair);
  for (const f of ['echo', 'sumBytes', 'produce']) assert.equal(typeof pair[f], 'function');
});

test('echo, alone and concurrently', async () => {
  assert.equal(await pair.echo('hi 😀'), 'hi 😀');
  const words = Array.from({ length: 50 }, (_, i) => `w${i}`);
  assert.deepEqual(await Promise.all(words.map((w) => pair.echo(w))), words);
});

test('sum-bytes: 8 MB from JS', async () => {
  const chunks = patternChunks(8 * MB, [65536, 4097], 1);
  assert.equal(await pair.sumBytes(chunksOf(chunks)), sumOf(chunks));
  assert.equal(await pair.sumBytes([new Uint8Array([1, 2]), new Uint8Array([3])]), 6n);
});

test('produce: 8 MB to JS, in the chunks written', async () => {
  const { bytes, chunks } = await readAll(await pair.produce(8 * MB + 3, 1 << 20));
  assert.deepEqual(chunks, [...Array(8).fill(1 << 20), 3]);
  assert.ok(sameBytes(bytes, produced(8 * MB + 3)));
});

test('a produced stream goes straight back in', async () => {
  assert.equal(await pair.sumBytes(await pair.produce(MB, 5000)), sumOf([produced(MB)]));
});
