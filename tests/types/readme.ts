// The README's example (examples/hello/run.mjs) against the `.d.ts` of
// `weft transpile examples/hello/hello.wat` (ESM; also run with `--compat jco`).
import { add, greet, sum } from './hello.js';

const a: number = add(2, 40);
const g: string = greet('weft');
const s: bigint = sum([1, 2, 3, 4294967295]);
const t: bigint = sum(new Uint32Array([1, 2, 3]));
console.log(a, g, s, t);

// @ts-expect-error: a `list<u32>` takes numbers
sum(['1']);
// @ts-expect-error: a `string` parameter
greet(1);
