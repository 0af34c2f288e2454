// The transpiler itself in the page: @weft/transpiler's wasm build, loaded the browser
// way (load-browser.js fetches the .wasm next to the module), transpiles
// examples/hello/hello.wat; the files must be byte-identical to the native CLI's (the
// runner transpiled the same input with the same flags into /out/hello-native/), and
// the transpiled component must run.
import { assert } from '../lib/assert.js';
import { test } from '../lib/test.js';

const { transpile, wit } = await import('/npm/transpiler/src/index.js');
const wat = new Uint8Array(await (await fetch('/examples/hello/hello.wat')).arrayBuffer());

test('transpile in the browser gives the native CLI bytes', async () => {
  const { files } = await transpile(wat, { name: 'hello', instantiation: true, wat: true });
  const names = Object.keys(files).sort();
  assert.ok(names.includes('hello.js'), `files: ${names.join(', ')}`);
  for (const name of names) {
    const native = new Uint8Array(await (await fetch(`/out/hello-native/${name}`)).arrayBuffer());
    assert.deepEqual([...files[name]], [...native], name);
  }
});

test('the component transpiled in the browser runs', async () => {
  const { files } = await transpile(wat, { name: 'hello', instantiation: true, wat: true });
  const js = URL.createObjectURL(new Blob([files['hello.js']], { type: 'text/javascript' }));
  const { instantiate } = await import(js);
  const inst = await instantiate((p) => WebAssembly.compile(files[p]), {});
  assert.equal(inst.add(2, 40), 42);
  assert.equal(inst.greet('weft'), 'Hello, weft!');
});

test('wit and errors', async () => {
  const text = await wit(wat, { wat: true });
  assert.ok(/world/.test(text), text);
  let err;
  try {
    await transpile(new Uint8Array([0, 97, 115, 109, 13, 0, 1, 0, 9]), { name: 'bad' });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error && /failed to transpile|invalid/.test(err.message), String(err?.message));
});

test('after a trap, the next call runs on a fresh instance (made synchronously in the page)', async () => {
  // 2 GiB: more than wasm32's allocator can give, so the wasm traps before reading it
  // (npm/transpiler/test/recovery.test.js does the same in node).
  let err;
  try {
    await transpile(new Uint8Array(2 ** 31));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof WebAssembly.RuntimeError, `${err?.constructor?.name}: ${err?.message}`);
  const { files } = await transpile(wat, { name: 'hello', instantiation: true, wat: true });
  const native = new Uint8Array(await (await fetch('/out/hello-native/hello.js')).arrayBuffer());
  assert.deepEqual([...files['hello.js']], [...native]);
});
