// Shared by the minimal repros of the bugs the driver found (README.md, "Bugs found").
// Each repro exits with 1 and says so while its bug is there, with 0 once it is fixed.
import { World } from '../world.mjs';
import { prepareTarget } from '../targets.mjs';

/** A fresh world (copy of the runtime) of a driver target, and one instance of it. */
export async function load(target, imports = {}) {
  const t = await prepareTarget(target);
  const world = await World.load(t.probe, t.outDir);
  const { exports, instances } = await world.instantiate(imports);
  return { world, exports, instances };
}

/** The async-basics host: imports that answer at once unless overridden. */
export const basicsHost = (overrides = {}) => ({
  'weft:test/async-host': { hostUpper: async (s) => s.toUpperCase(), hostSleep: async () => {}, ...overrides },
});

/** One turn of the event loop. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/** `p`, or `what` once `ms` have passed. */
export const within = (p, ms, what) => Promise.race([p, new Promise((r) => setTimeout(() => r(what), ms))]);

/** `p`'s outcome as a string. */
export const outcome = (p) => p.then((v) => `resolved ${String(v)}`, (e) => `rejected (${e?.name}: ${e?.message})`);

/** Prints the verdict and exits. */
export function verdict(bug, reproduced, detail) {
  console.log(`bug ${bug}: ${reproduced ? 'REPRODUCED' : 'not reproduced (fixed?)'}: ${detail}`);
  process.exit(reproduced ? 1 : 0);
}
