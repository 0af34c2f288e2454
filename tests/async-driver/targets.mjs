// The driver's targets: the async guests of tests/guests/ (built by scripts/build-guests
// into target/guests/) and the components of the spec suite's async `.wast` files
// (converted with `wasm-tools json-from-wast`). `prepareTarget` transpiles what a target
// needs into target/async-driver/ (skipped when up to date), or with `--lowered`
// (WEFT_DRIVER_LOWERED=1: every component linked into one core module, its waitable state
// in wasm; node 22 and later) into target/async-driver-lowered/.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lowered, transpile } from './world.mjs';
import { guestTargets } from './targets/guests.mjs';
import { specComponents, specTarget } from './targets/spec.mjs';

export const root = resolve(import.meta.dirname, '../..');
/** Where the transpiled targets go (read when needed: `--lowered` sets the variable). */
const outRoot = () => join(root, lowered() ? 'target/async-driver-lowered' : 'target/async-driver');

function weftBinary(weft) {
  const w = weft ?? process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
  if (!existsSync(w)) throw new Error(`no weft binary at ${w}: cargo build -p weft-cli`);
  return w;
}

/**
 * Every target name: the guests, then `spec:<file>#<k>` per spec component. Transpiles
 * whatever is not up to date, so that children (WEFT_DRIVER_PREPARED) find it all.
 */
export async function listTargets({ weft } = {}) {
  for (const name of Object.keys(guestTargets)) await prepareTarget(name, { weft });
  const spec = await specComponents(weftBinary(weft), outRoot());
  return [...Object.keys(guestTargets), ...spec.map((c) => c.name)];
}

/**
 * A target ready to run: `{ name, probe, outDir, scenario(run, world) }`.
 * @param {string} name @param {{ weft?: string }} options
 */
export async function prepareTarget(name, { weft } = {}) {
  const w = weftBinary(weft);
  if (name.startsWith('spec:')) return specTarget(name, w, outRoot());
  const g = guestTargets[name];
  if (!g) throw new Error(`unknown target ${name} (try --list)`);
  const wasm = join(root, 'target/guests', `${g.wasm}.wasm`);
  if (!existsSync(wasm)) throw new Error(`${wasm} is missing: run scripts/build-guests`);
  const outDir = join(outRoot(), 'guests', name);
  const probe = transpile(w, wasm, outDir, 'c');
  return {
    name,
    probe,
    outDir,
    scenario: (run, world) => async () => ({ ...(await g.scenario(run, world)()), strict: true }),
  };
}
