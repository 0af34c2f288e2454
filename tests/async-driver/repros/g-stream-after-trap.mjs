// Bug G: the host reads a guest's stream; the instance traps (trap-after-yield); the
// host's next read never completes (nor ends nor errors). A future's promise whose
// writer belongs to the dead instance stays pending the same way.
import { load, basicsHost, outcome, within, verdict } from './common.mjs';

const { exports } = await load('async-basics', basicsHost());
const api = exports.asyncApi;
const reader = (await api.produce(100000, 10)).getReader();
await reader.read();
const trap = await outcome(api.trapAfterYield());
const r = await within(outcome(reader.read()), 1000, 'pending');
verdict('G', r === 'pending', `trap-after-yield ${trap}; next read: ${r === 'pending' ? 'still pending after 1 s' : r}`);
