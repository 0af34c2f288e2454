// Runs the cases oracle.py wrote against the component weft transpiled from them.
//
//   node tests/conformance/oracle.mjs <batch dir>
//
// <batch dir>/out/component.js is the transpiled component (instantiation mode).
// Prints failures and ends with `oracle: N passed, M failed`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const dir = process.argv[2];
const spec = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
const { instantiate } = await import(pathToFileURL(join(dir, 'out', 'component.js')).href);
const getCoreModule = (p) => WebAssembly.compile(readFileSync(join(dir, 'out', p)));

function f64(hex) {
  return new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0, true);
}
function revive(v) {
  if (Array.isArray(v)) return v.map(revive);
  if (v === null || typeof v !== 'object') return v;
  if ('$big' in v) return BigInt(v.$big);
  if ('$f64' in v) return f64(v.$f64);
  if ('$ta' in v) return globalThis[v.$ta].from(v.v.map(revive));
  if ('$map' in v) return new Map(v.$map.map(([k, x]) => [revive(k), revive(x)]));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
}
const hex = (bytes) => Buffer.from(bytes).toString('hex');

let inst = await instantiate(getCoreModule, {});
const fresh = async () => {
  inst = await instantiate(getCoreModule, {});
};

let passed = 0;
const failures = [];
const fail = (c, what, why) => failures.push(`#${c.fn} ${c.type} (${what}): ${why}`);

for (const c of spec.cases) {
  // Lowering: the JS value as the export's argument.
  try {
    inst.reset(spec.heapBase, 1);
    let threw = null;
    try {
      inst[`lower${c.fn}`](revive(c.value));
    } catch (e) {
      threw = e;
    }
    if (c.lower.trap) {
      if (threw instanceof WebAssembly.RuntimeError) passed++;
      else fail(c, 'lower', `expected a trap, got ${threw ?? 'no error'}`);
      if (threw) await fresh();
    } else if (threw) {
      fail(c, 'lower', `unexpected ${threw}`);
      await fresh();
    } else {
      const flat = hex(inst.dump(spec.logFlat + 8, c.lower.flat.length / 2));
      const n = new DataView(inst.dump(spec.logRealloc, 4).buffer).getUint32(0, true);
      const log = new DataView(inst.dump(spec.logRealloc + 4, n * 20).buffer);
      const calls = Array.from({ length: n }, (_, i) => [0, 1, 2, 3, 4].map((k) => log.getUint32(i * 20 + k * 4, true)));
      const heap = hex(inst.dump(spec.heapBase, c.lower.heap.length / 2));
      if (flat !== c.lower.flat) fail(c, 'lower', `flat values ${flat}, expected ${c.lower.flat}`);
      else if (!isDeepStrictEqual(calls, c.lower.realloc)) fail(c, 'lower', `realloc calls ${JSON.stringify(calls)}, expected ${JSON.stringify(c.lower.realloc)}`);
      else if (heap !== c.lower.heap) fail(c, 'lower', `heap ${heap}, expected ${c.lower.heap}`);
      else passed++;
    }
  } catch (e) {
    fail(c, 'lower', `harness error ${e}`);
    await fresh();
  }
  // Lifting: a memory image as the export's result. Pokes allocate in a scratch area
  // (zeroed again after the copy) and realloc does not log, so the guest's memory
  // equals definitions.py's.
  try {
    inst.reset(spec.scratch, 0);
    inst.poke(spec.heapBase, Buffer.from(c.lift.heap, 'hex'));
    inst.poke(spec.preset, Buffer.from(c.lift.preset, 'hex'));
    let actual;
    let threw = null;
    try {
      actual = inst[`lift${c.fn}`]();
      if (c.topResult) actual = actual === undefined ? { tag: 'ok' } : { tag: 'ok', value: actual };
    } catch (e) {
      if (c.topResult && e?.name === 'ComponentError') actual = e.payload === undefined ? { tag: 'err' } : { tag: 'err', value: e.payload };
      else threw = e;
    }
    if (c.lift.trap) {
      if (threw instanceof WebAssembly.RuntimeError) passed++;
      else fail(c, 'lift', `expected a trap, got ${threw ?? JSON.stringify(actual, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)).slice(0, 200)} (preset ${c.lift.preset})`);
    } else if (threw) {
      fail(c, 'lift', `unexpected ${threw}`);
    } else if (!isDeepStrictEqual(actual, revive(c.lift.value))) {
      const show = (x) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)).slice(0, 300);
      fail(c, 'lift', `got ${show(actual)}, expected ${show(revive(c.lift.value))}`);
    } else passed++;
    if (threw) await fresh();
  } catch (e) {
    fail(c, 'lift', `harness error ${e}`);
    await fresh();
  }
}
for (const f of failures.slice(0, 30)) console.log(f);
console.log(`oracle: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length ? 1 : 0;
