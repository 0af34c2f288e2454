// Bug I (node 24): deadlock.wast's `f` traps with a deadlock, as the spec says. The trap
// (reported by the scheduler's tick) poisons no instance, and the first call's dead
// thread keeps $D's exclusive lock: a second call waits to enter forever, and no
// deadlock is reported while a thread waits to enter. On node 20 the second call
// rejects ("cannot enter component instance").
import { load, outcome, within, verdict } from './common.mjs';
import { listTargets } from '../targets.mjs';

await listTargets();
const { exports } = await load('spec:deadlock#0');
const first = await within(outcome(exports.f()), 1000, 'pending');
const second = await within(outcome(exports.f()), 1000, 'pending');
verdict('I', second === 'pending', `first f: ${first}; second f: ${second === 'pending' ? 'still pending after 1 s' : second}`);
