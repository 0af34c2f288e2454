// Uses the host-side `.d.ts` of `weft types shapes.wit --instantiation --compat jco`: the
// host implements the imports (getting precise values, returning what the runtime
// accepts) and calls the exports.
import { instantiate, type Imports } from './shapes.js';

// No `[Symbol.dispose]`: a class the host implements may leave it out (the runtime calls
// it only when it is there).
class Blob {
  constructor(readonly bytes: Uint8Array) {}
  read(n: bigint): number[] {
    return [Number(n)];
  }
  static merge(a: Blob, _b: Blob): Blob {
    return a;
  }
}

const imports: Imports = {
  'ex:shapes/types': { Blob },
  'ex:shapes/host': {
    // `p.tags` is a Uint32Array; an Array of points with Array tags goes back.
    log: (p, _b) => [p, { x: 0, y: 0, tags: [p.tags[0] ?? 0] }],
    get: () => undefined,
  },
  mk: { default: (p) => ({ ...p, label: p.label ?? null }) },
};

const e = await instantiate(undefined, imports);
// jco: a u64 may be an integer number; none is `undefined`.
const p = e.top({ x: 1, y: 2, tags: [3] }, [1n, 2]);
const label: string | undefined = p.label;
const area: number = e.api.area({ tag: 'circle', val: 1 });
const [bytes, units, point] = await e['ex:shapes/api@1.0.0'].streams([1, 2], [], [], Promise.resolve(1), Promise.resolve());
for await (const chunk of bytes) {
  const b: Uint8Array = chunk;
  console.log(b);
}
const q: { x: number } = await point;
console.log(label, area, units, q);

// @ts-expect-error: `val`, not `value`, under jco
e.api.area({ tag: 'circle', value: 1 });
