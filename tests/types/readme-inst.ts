// The README's example with `weft transpile --instantiation`.
import { instantiate } from './hello.js';

const { add, greet, sum } = await instantiate(undefined, {});
const a: number = add(2, 40);
const g: string = greet('weft');
const s: bigint = sum([1, 2, 3, 4294967295]);
console.log(a, g, s);
