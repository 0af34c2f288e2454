// Runs the transpiled example: `node examples/hello/run.mjs <out-dir>`.
const dir = process.argv[2] ?? 'target/example';
const { add, greet, sum } = await import(new URL(`../../${dir}/hello.js`, import.meta.url));

console.log(`add(2, 40) = ${add(2, 40)}`);
console.log(`greet("weft") = ${JSON.stringify(greet('weft'))}`);
console.log(`sum([1, 2, 3, 4294967295]) = ${sum([1, 2, 3, 4294967295])}`);
