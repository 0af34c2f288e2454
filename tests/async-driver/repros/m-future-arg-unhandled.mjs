// Bug M: a Promise passed for a `future<T>` parameter gets its handler only when the
// task starts (the arguments are lowered then: toEnd -> futureFromJs). A call that waits
// to enter (backpressure, the exclusive lock) while the promise rejects leaves the
// rejection unhandled meanwhile (node's default --unhandled-rejections=throw kills the
// process); a call cancelled before it starts never handles it.
import { load, basicsHost, outcome, verdict } from './common.mjs';

const unhandled = [];
process.on('unhandledRejection', (e) => unhandled.push(e.message));
process.on('rejectionHandled', () => {});
const { exports } = await load('async-basics', basicsHost());
const api = exports.asyncApi;
api.backpressureOn();
const value = new Promise((_, reject) => setTimeout(() => reject(new Error('the value failed')), 10));
const call = outcome(api.echoFuture(value));
await new Promise((r) => setTimeout(r, 50));
api.backpressureOff();
const r = await call;
verdict('M', unhandled.length > 0, `echo-future (queued by backpressure, its value rejecting meanwhile): ${r}; unhandled rejections: ${unhandled.join(', ') || 'none'}`);
