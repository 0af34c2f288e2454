// Bug E (node 20): a host import throws synchronously during an async export call. The
// call rejects and the instance is poisoned, but the dead task keeps the instance's
// exclusive lock and the instance's other pending call is never failed: it waits for
// the lock forever (here the host holds an unread stream, hostPending > 0, so no
// deadlock is reported either). On node 24 (JSPI) the other call rejects.
import { load, basicsHost, turn, outcome, within, verdict } from './common.mjs';

const { world, exports, instances } = await load(
  'async-basics',
  basicsHost({
    hostUpper() {
      throw new Error('host-upper throws');
    },
    hostSleep: () => new Promise((r) => setTimeout(r, 20)),
  }),
);
const api = exports.asyncApi;
await api.produce(100, 10); // a stream the host holds and has not read
const slow = outcome(api.slow(5));
await turn();
const callHost = await outcome(api.callHost('x'));
const r = await within(slow, 1000, 'pending');
verdict(
  'E',
  r === 'pending',
  `call-host ${callHost}; slow(5): ${r === 'pending' ? `still pending after 1 s (lock held: ${instances[0].exclusive !== null}, hostPending ${world.sched.hostPending})` : r}`,
);
