// Host imports that return promises to a synchronous guest (`--async-imports`): with
// JSPI the guest suspends until they settle; without it the call fails with a Trap
// naming JSPI, at the call, and the rest of the component keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const out = process.env.WEFT_OUT;
const hasJspi = typeof WebAssembly.Suspending === 'function';
const calls = [];
const host = {
  wait: (ms) => {
    calls.push(ms);
    return new Promise((resolve) => setTimeout(() => resolve(ms * 10), ms));
  },
};

async function load() {
  const { instantiate } = await import(pathToFileURL(join(out, 'inst/jspi-imports.js')).href);
  const { readFileSync } = await import('node:fs');
  return instantiate((p) => WebAssembly.compile(readFileSync(join(out, 'inst', p))), { wait: { default: host.wait } });
}

test('run returns a promise; with JSPI it waits for the host', async () => {
  const api = await load();
  calls.length = 0;
  const p = api.run();
  assert.ok(p instanceof Promise);
  if (hasJspi) {
    assert.equal(await p, 30);
    assert.deepEqual(calls, [1, 2]);
  } else {
    await assert.rejects(p, (e) => e.name === 'Trap' && /JSPI/.test(e.message));
  }
});

test('a plain value from the host needs no JSPI; sync exports stay synchronous', async () => {
  const { instantiate } = await import(pathToFileURL(join(out, 'inst/jspi-imports.js')).href);
  const { readFileSync } = await import('node:fs');
  const api = await instantiate((p) => WebAssembly.compile(readFileSync(join(out, 'inst', p))), {
    wait: { default: (ms) => ms + 1 },
  });
  assert.equal(await api.run(), 5);
  assert.equal(api.add(2, 3), 5);
});
