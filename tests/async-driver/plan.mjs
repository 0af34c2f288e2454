// The CI plan: which seeds of which targets the short mode runs, one named test per
// (target, batch of seeds). Fixed seeds, so that a test name always means the same runs
// and expected-failures.txt can name it.
import { listTargets } from './targets.mjs';

/** Seeds per batch and batches per target. */
const GUEST_BATCHES = [
  [1, 25],
  [26, 50],
];
const SPEC_BATCHES = [[1, 8]];

/** `[{ name, target, from, runs }]`, guests first. Transpiles every target first. */
export async function ciPlan() {
  const out = [];
  for (const target of await listTargets()) {
    const batches = target.startsWith('spec:') ? SPEC_BATCHES : GUEST_BATCHES;
    for (const [a, b] of batches) out.push({ name: `${target} seeds ${a}-${b}`, target, from: a, runs: b - a + 1 });
  }
  return out;
}
