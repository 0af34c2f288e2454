// Uses the host-side `.d.ts` of `weft types shapes.wit` (ESM): parameters take what the
// runtime accepts, results have the precise shapes, types are reached by name.
import { api, top, type Point, type PointInput } from './shapes.js';

// A field of an `option` type may be missing; a `list<u32>` may be an Array.
const p: PointInput = { x: 1, y: 2, tags: [1, 2] };
const q: Point = top(p, [1n, 2n]);
const r: Point = top({ x: 0, y: 0, tags: new Uint32Array(1), label: null }, new BigInt64Array(2));
// Results are precise.
const tags: Uint32Array = q.tags;
const label: string | null = r.label;
const area: number = api.area({ tag: 'poly', value: [p, q] });
const c: api.Point = api.centre([p], 'red', { read: true });
const [w, bytes]: [api.Wrapper, api.Bytes] = api.wrap({ p, b: [1, 2, 3] }, { tag: 'some', value: 5n });
const m: Map<string, Uint32Array> = api.names({ a: 1 }, new Map([[1, 'x']]));
const m2: Map<string, Uint32Array> = api.names(new Map([['a', 1]]), new Map());
const fixed: Float64Array = api.fixed([1, 2, 3]);
const perms: api.Perms = { read: true, write: false };
console.log(tags, label, area, c, w, bytes, m, m2, fixed, perms);

async function streams(blob: api.Blob): Promise<void> {
  async function* points(): AsyncGenerator<api.PointInput> {
    yield p;
  }
  const [s, u, f] = await api.streams([new Uint8Array(2), [1, 2]], points(), [1, 2], Promise.resolve(1), undefined);
  const chunks: ReadableStream<Uint8Array> = s;
  const units: ReadableStream<number> = u;
  const point: api.Point = await f;
  const other: api.Blob = api.open(blob);
  await api.streams(chunks, new ReadableStream<api.Point>(), units, 2, Promise.resolve(), { signal: AbortSignal.timeout(1) });
  console.log(point, other);
}
console.log(streams);

// @ts-expect-error: a u64 is a bigint
api.wrap({ p, b: [] }, { tag: 'some', value: 5 });
// @ts-expect-error: one of the enum's cases
api.centre([], 'blue', {});
// @ts-expect-error: a field whose type is not an option is required
top({ x: 1, y: 2 }, []);
// @ts-expect-error: a plain object is a map only for string keys
api.names({}, { 1: 'x' });
