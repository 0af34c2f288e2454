// Checks src/runtime/transcode.js against the cases oracle_transcode.py wrote, and with
// --component, the core wasm adapters of weft-lower too: OUT is tests/cases/adapter-transcode.wat
// transpiled with `--lowered --instantiation` (its fused adapters, one per pair of
// encodings, are core wasm; its callee's realloc is the spec tests' heap, as here).
//
//   node tests/conformance/oracle-transcode.mjs <dir> [--component OUT/adapter-transcode.js]
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
// The same cases through the core adapters: the source bytes at the same address of the
// caller's memory, the callee's heap reset to the same base, one instance per trap.
const at = process.argv.indexOf('--component');
if (at > 0) {
  const { instantiate } = await import(process.argv[at + 1]);
  const short = { utf8: 'Utf8', utf16: 'Utf16', 'latin1+utf16': 'Latin1' };
  let m = await instantiate();
  for (const c of spec.cases) {
    const what = `core adapter ${c.src} -> ${c.dst} (${c.memory.slice(0, 40)})`;
    m.put(Buffer.from(c.memory, 'hex'), spec.heapBase);
    m.reset(spec.heapBase, 0);
    try {
      m[`go${short[c.src]}${short[c.dst]}`](c.ptr, c.len);
    } catch (e) {
      if (c.trap && e.name === 'Trap') passed++;
      else failures.push(`${what}: unexpected ${e}`);
      m = await instantiate();
      continue;
    }
    if (c.trap) {
      failures.push(`${what}: expected a trap`);
      continue;
    }
    const [ptr, len] = m.got();
    const calls = [...m.calls()];
    const want = c.realloc.flat();
    const out = Buffer.from(m.bytes(spec.heapBase, m.used() - spec.heapBase)).toString('hex');
    if (ptr !== c.dptr || len !== c.dlen) failures.push(`${what}: got (${ptr}, ${len}), expected (${c.dptr}, ${c.dlen})`);
    else if (!isDeepStrictEqual(calls, want)) failures.push(`${what}: realloc ${JSON.stringify(calls)}, expected ${JSON.stringify(want)}`);
    else if (out !== c.out) failures.push(`${what}: bytes ${out}, expected ${c.out}`);
    else passed++;
  }
}
for (const f of failures.slice(0, 20)) console.log(f);
console.log(`oracle: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length ? 1 : 0;
