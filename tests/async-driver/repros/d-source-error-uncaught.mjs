// Bug D: a JS source stream passed to a guest errors (a ReadableStream erroring, an
// async iterator throwing). streamFromJs rethrows the error from a microtask: node dies
// of an uncaught exception (the call itself never settles).
import { load, basicsHost, outcome, within, verdict } from './common.mjs';

let uncaught = null;
process.on('uncaughtException', (e) => (uncaught = e));
const { exports } = await load('async-basics', basicsHost());
const src = new ReadableStream({
  pull(c) {
    c.error(new Error('network lost'));
  },
});
const r = await within(outcome(exports.asyncApi.sumBytes(src)), 500, 'pending after 500 ms');
verdict('D', uncaught !== null, `sum-bytes: ${r}; uncaught: ${uncaught?.message ?? 'none'}`);
