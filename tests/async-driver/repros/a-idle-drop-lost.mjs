// Bug A: the host reads a guest's stream with a turn of the event loop between reads.
// The guest writes its last chunk and drops the writable end while the host is idle;
// the DROPPED event goes to the handler of the host's previous (finished) copy, and the
// host's next read never completes.
import { load, basicsHost, turn, within, verdict } from './common.mjs';

const { exports } = await load('async-basics', basicsHost());
const reader = (await exports.asyncApi.produce(10, 3)).getReader();
const got = [];
for (;;) {
  await turn();
  const r = await within(reader.read(), 1000, 'pending');
  if (r === 'pending') verdict('A', true, `produce(10, 3): read ${got.length + 1} still pending after 1 s (got chunks ${got.join(', ')})`);
  if (r.done) break;
  got.push(r.value.length);
}
verdict('A', false, `chunks ${got.join(', ')}, then done`);
