// Bug B: the host cancels a guest's stream at once (produce(0, _): the guest drops its
// writable end before the host's first read is delivered). cancel() replaces the
// pending copy's handler, the DROPPED event already pending is never delivered, and
// close() never runs: sched.hostPending stays 1 for good, which disables deadlock
// detection in this copy of the runtime, and the end is never dropped.
import { load, basicsHost, turn, verdict } from './common.mjs';

const { world, exports } = await load('async-basics', basicsHost());
const stream = await exports.asyncApi.produce(0, 16);
await stream.cancel();
for (let i = 0; i < 20; i++) await turn();
const n = world.sched.hostPending;
verdict('B', n !== 0, `sched.hostPending = ${n} after the stream was cancelled and everything settled`);
