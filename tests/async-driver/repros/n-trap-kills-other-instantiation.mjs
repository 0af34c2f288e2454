// Bug N (node 24): two instantiations of one component share a runtime copy. A host
// import of the first throws synchronously (a trap for that instantiation). The second
// is not poisoned (its sync export still answers), yet its work in flight is gone: the
// task writing its output stream never runs again, so the host's read hangs. On node 20
// the second instantiation goes on.
import { World } from '../world.mjs';
import { prepareTarget } from '../targets.mjs';
import { within, verdict } from './common.mjs';

const t = await prepareTarget('async-basics');
const world = await World.load(t.probe, t.outDir);
const make = (throwing) =>
  world.instantiate({
    'weft:test/async-host': {
      hostUpper: async (s) => s,
      hostSleep() {
        if (throwing) throw new Error('host-sleep throws');
        return Promise.resolve();
      },
    },
  });
const a = (await make(true)).exports.asyncApi;
const b = (await make(false)).exports.asyncApi;
const turn = () => new Promise((r) => setImmediate(r));
const words = (async function* () {
  for (const x of ['a', 'b', 'c']) {
    await turn();
    await turn();
    yield x;
  }
})();
const reader = (await b.upperStream(words)).getReader();
await reader.read();
const slow = await a.slow(0).then(String, (e) => `rejected (${e.message})`);
const add = b.syncAdd(1, 2);
const r = await within(reader.read(), 1000, 'pending');
verdict('N', r === 'pending', `a.slow(0): ${slow}; b.syncAdd(1, 2): ${add}; b's next read: ${r === 'pending' ? 'still pending after 1 s' : r.done ? 'done' : r.value}`);
