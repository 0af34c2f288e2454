// The generated per-interface modules (src/iface/p2, src/iface/p3, src/interfaces.txt)
// match what scripts/gen-interfaces.mjs writes from the shims, and load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../scripts/gen-interfaces.mjs', import.meta.url));

test('generated interface modules are up to date', () => {
  const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('an interface module re-exports the default shims', async () => {
  const env = await import('../src/iface/p2/cli/environment.js');
  assert.equal(typeof env.getEnvironment, 'function');
  assert.ok(Array.isArray(env.getArguments()));
  const clock = await import('../src/iface/p3/clocks/monotonic-clock.js');
  assert.equal(typeof clock.now(), 'bigint');
});
