// examples/hello in the page: the same three lines examples/hello/run.mjs prints in node
// (the runner writes node's output to /out/hello-expected.json).
import { assert } from '../lib/assert.js';
import { config, test } from '../lib/test.js';

let hello;
if (config.mode === 'instantiation') {
  const { instantiate } = await import(new URL('hello.js', config.out));
  const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
  hello = await instantiate(getCoreModule, {});
} else {
  hello = await import(new URL('hello.js', config.out));
}
const { add, greet, sum } = hello;
const expected = await (await fetch('/out/hello-expected.json')).json();

test('exports add, greet and sum', () => {
  for (const f of [add, greet, sum]) assert.equal(typeof f, 'function');
});

test('the same output as in node', () => {
  const lines = [
    `add(2, 40) = ${add(2, 40)}`,
    `greet("weft") = ${JSON.stringify(greet('weft'))}`,
    `sum([1, 2, 3, 4294967295]) = ${sum([1, 2, 3, 4294967295])}`,
  ];
  assert.deepEqual(lines, expected);
  assert.equal(expected.length, 3);
});

test('values', () => {
  assert.equal(add(2, 40), 42);
  assert.equal(greet('wörld 😀'), 'Hello, wörld 😀!');
  assert.equal(typeof sum([1]), 'bigint');
  assert.equal(sum([]), 0n);
});
