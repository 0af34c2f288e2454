// Bug H (node 20, no JSPI): async-calls-sync.wast's run1. The synchronous middle call
// blocks its stack; blockOn's nested loop resumes the inner task's YIELD loop again and
// again on that stack, so node freezes (100% CPU, no trap, no event loop). Run in a
// child process, killed after 3 s.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { load, outcome, verdict } from './common.mjs';
import { listTargets } from '../targets.mjs';

if (process.argv[2] === 'child') {
  const { exports } = await load('spec:async-calls-sync#0');
  console.log(await outcome(exports.run1()));
  process.exit(0);
}
await listTargets();
const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child'], { timeout: 3000, encoding: 'utf8' });
verdict('H', r.error !== undefined || r.signal !== null, r.signal ? 'run1 froze node (killed after 3 s)' : `run1: ${r.stdout.trim()}`);
