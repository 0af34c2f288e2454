// Checks src/runtime/transcode.js against the cases oracle_transcode.py wrote.
//
//   node tests/conformance/oracle-transcode.mjs <dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { transcode } from '../../src/runtime/transcode.js';
import { lowered } from '../../src/runtime/strings.js';

const spec = JSON.parse(readFileSync(join(process.argv[2], 'transcode.json'), 'utf8'));
const pages = spec.memory / 65536;

/** The allocator of the spec's tests (run_tests.py Heap), logging its calls. */
function heap() {
  const memory = new WebAssembly.Memory({ initial: pages });
  const calls = [];
  let last = spec.heapBase;
  const realloc = (o, os, al, ns) => {
    let ret;
    if (o !== 0 && ns < os) {
      ret = Math.ceil(o / al) * al;
    } else {
      ret = Math.ceil(last / al) * al;
      last = ret + ns;
      new Uint8Array(memory.buffer).copyWithin(ret, o, o + os);
    }
    calls.push([o, os, al, ns, ret]);
    return ret;
  };
  return { memory, realloc, calls, used: () => last };
}

let passed = 0;
const failures = [];
for (const c of spec.cases) {
  const a = heap();
  new Uint8Array(a.memory.buffer).set(Buffer.from(c.memory, 'hex'), spec.heapBase);
  const b = heap();
  const what = `${c.src} -> ${c.dst} (${c.memory.slice(0, 40)})`;
  let ptr;
  try {
    ptr = transcode(a.memory, c.src, c.ptr, c.len, b.memory, b.realloc, c.dst);
  } catch (e) {
    if (c.trap && e instanceof WebAssembly.RuntimeError) passed++;
    else failures.push(`${what}: unexpected ${e}`);
    continue;
  }
  if (c.trap) {
    failures.push(`${what}: expected a trap`);
    continue;
  }
  const out = Buffer.from(new Uint8Array(b.memory.buffer, spec.heapBase, b.used() - spec.heapBase)).toString('hex');
  if (ptr !== c.dptr || lowered.len >>> 0 !== c.dlen) failures.push(`${what}: got (${ptr}, ${lowered.len}), expected (${c.dptr}, ${c.dlen})`);
  else if (!isDeepStrictEqual(b.calls, c.realloc)) failures.push(`${what}: realloc ${JSON.stringify(b.calls)}, expected ${JSON.stringify(c.realloc)}`);
  else if (out !== c.out) failures.push(`${what}: bytes ${out}, expected ${c.out}`);
  else passed++;
}
for (const f of failures.slice(0, 20)) console.log(f);
console.log(`oracle: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length ? 1 : 0;
