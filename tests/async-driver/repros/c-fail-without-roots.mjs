// Bug C: two calls whose async host imports reject one after the other. The first
// rejection poisons the instance and fails both calls; the second reaches
// scheduler.js fail() with no call waiting, which rethrows it from a microtask: node
// dies of an uncaught exception.
import { load, basicsHost, outcome, verdict } from './common.mjs';

let uncaught = null;
process.on('uncaughtException', (e) => (uncaught = e));
let n = 0;
const { exports } = await load(
  'async-basics',
  basicsHost({
    hostUpper: () => {
      const k = ++n;
      return new Promise((_, reject) => setTimeout(() => reject(new Error(`host-upper ${k} failed`)), 10 * k));
    },
  }),
);
const results = await Promise.all([outcome(exports.asyncApi.callHost('a')), outcome(exports.asyncApi.callHost('b'))]);
await new Promise((r) => setTimeout(r, 100));
verdict('C', uncaught !== null, `calls: ${results.join('; ')}; uncaught: ${uncaught?.message ?? 'none'}`);
