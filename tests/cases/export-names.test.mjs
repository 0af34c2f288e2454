import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;

test('colliding short names are left out; full names always work', async () => {
  const m = await import(`${dir}/esm/export-names.js`);
  assert.equal(m['local:local/run'].run(), 1);
  assert.equal(m['wasi:cli/run@0.3.0'].run(), 2);
  assert.equal('run' in m, false);
});

test('a unique short name is an alias of the full name', async () => {
  const m = await import(`${dir}/esm/export-names.js`);
  assert.equal(m.tools, m['local:local/tools']);
  assert.equal(m.tools.version(), 3);
  assert.equal(m.answer(), 4);
});

test('instantiate() resolves to the same names', async () => {
  const { instantiate } = await import(`${dir}/inst/export-names.js`);
  const e = await instantiate(() => { throw new Error('no core files'); }, {});
  assert.deepEqual(Object.keys(e).sort(), ['answer', 'local:local/run', 'local:local/tools', 'tools', 'wasi:cli/run@0.3.0']);
  assert.equal(e['wasi:cli/run@0.3.0'].run(), 2);
});
