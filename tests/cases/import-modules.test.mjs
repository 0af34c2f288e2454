import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
// (module (func (export "answer") (result i32) i32.const 42))
const answer = bytes('AGFzbQEAAAABBQFgAAF/AwIBAAcKAQZhbnN3ZXIAAAoGAQQAQSoL');
// (module (import "env" "start" (global i32)) (global $n (mut i32) (i32.const 0))
//   (memory (export "mem") 1)
//   (func (export "next") (result i32)
//     (global.set $n (i32.add (global.get $n) (i32.const 1)))
//     (i32.add (global.get 0) (global.get $n))))
const counter = bytes(
  'AGFzbQEAAAABBQFgAAF/Ag4BA2VudgVzdGFydAN/AAMCAQAFAwEAAQYGAX8BQQALBw4CA21lbQIABG5leHQAAAoQAQ4AIwFBAWokASMAIwFqCwALBG5hbWUHBAEBAW4=',
);

const modules = () => ({ m: new WebAssembly.Module(answer), counter: new WebAssembly.Module(counter) });
const noCoreFiles = (p) => {
  throw new Error(`no core files expected (${p})`);
};

test('imported core modules are instantiated with the imports their types declare', async () => {
  const { instantiate } = await import(`${dir}/inst/import-modules.js`);
  const { m, counter: c } = modules();
  const e = await instantiate(noCoreFiles, { m: { default: m }, lib: { counter: c } });
  assert.equal(e.answer(), 42);
  assert.equal(e.next(), 101);
  assert.equal(e.next(), 102);
  // Re-exported as given.
  assert.equal(e.m, m);
  // A second instance instantiates the modules again: its own counter.
  const f = await instantiate(noCoreFiles, { m: { default: m }, lib: { counter: c } });
  assert.equal(f.next(), 101);
});

test('a value that is not a fitting WebAssembly.Module is refused, naming the import', async () => {
  const { instantiate } = await import(`${dir}/inst/import-modules.js`);
  const { m, counter: c } = modules();
  await assert.rejects(
    instantiate(noCoreFiles, { m: { default: answer }, lib: { counter: c } }),
    { name: 'TypeError', message: 'the import `m` must be a WebAssembly.Module, got object' },
  );
  await assert.rejects(
    instantiate(noCoreFiles, { m: { default: c }, lib: { counter: c } }),
    { name: 'TypeError', message: 'the core module given for `m` does not export `answer` (a function)' },
  );
  await assert.rejects(
    instantiate(noCoreFiles, { m: { default: m }, lib: { counter: m } }),
    { name: 'TypeError', message: 'the core module given for `lib#counter` does not export `next` (a function)' },
  );
});
