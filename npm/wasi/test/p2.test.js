import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasiImports, WasiExit } from '../src/p2/node.js';

test('any 0.2 patch version resolves; other names do not', () => {
  const imports = wasiImports();
  assert.ok(imports['wasi:cli/stdout@0.2.0'].getStdout);
  assert.ok(imports['wasi:cli/stdout@0.2.12'].getStdout);
  assert.equal(imports['wasi:cli/stdout@0.3.0'], undefined);
  assert.equal(imports['my:pkg/iface'], undefined);
});

test('stdout, args, env and exit', () => {
  const out = [];
  const imports = wasiImports({ args: ['a', 'b'], env: { K: 'v' }, stdout: (b) => out.push(Buffer.from(b).toString()) });
  imports['wasi:cli/stdout@0.2.6'].getStdout().blockingWriteAndFlush(new TextEncoder().encode('hi'));
  assert.deepEqual(out, ['hi']);
  assert.deepEqual(imports['wasi:cli/environment@0.2.6'].getArguments(), ['a', 'b']);
  assert.deepEqual(imports['wasi:cli/environment@0.2.6'].getEnvironment(), [['K', 'v']]);
  assert.throws(() => imports['wasi:cli/exit@0.2.6'].exit({ tag: 'err' }), (e) => e instanceof WasiExit && e.code === 1);
});

test('end of input is the closed stream error', () => {
  const imports = wasiImports({ stdin: { read: () => null } });
  assert.throws(() => imports['wasi:cli/stdin@0.2.0'].getStdin().blockingRead(10n), (e) => e.payload.tag === 'closed');
});
