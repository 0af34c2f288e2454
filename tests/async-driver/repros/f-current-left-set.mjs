// Bug F (node 24, JSPI): after a call whose stack suspended settles, sched.current
// still holds its thread (here empty-wait.wast's `run`).
import { load, turn, verdict } from './common.mjs';
import { listTargets } from '../targets.mjs';

await listTargets();
const { world, exports } = await load('spec:empty-wait#0');
const v = await exports.run();
for (let i = 0; i < 10; i++) await turn();
const t = world.sched.current;
verdict('F', t !== null, `run -> ${v}; sched.current afterwards: ${t === null ? 'null' : `a thread (task state ${t.task.state}, jspi ${t.jspi})`}`);
