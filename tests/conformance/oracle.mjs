// Runs the cases oracle.py wrote against the component weft transpiled from them.
//
//   node tests/conformance/oracle.mjs <batch dir> [--save DIR]
//   node tests/conformance/oracle.mjs <batch dir> --mark I REASON --save DIR
//   node tests/conformance/oracle.mjs --unpack FILE DIR
//
// <batch dir>/out/component.js is the transpiled component (instantiation mode). Per
// case (oracle.py's header says what each kind means), as the argument of `lower<i>`,
// the first of `pair<i>`, or the result of the host import `get<i>` that `call<i>` calls:
//   lower, coerced, evil  the flat values, realloc calls and bytes definitions.py gives,
//                         or a trap; no byte changed outside the logs and the blocks
//                         realloc returned (each followed by a canary gap),
//   wrong                 the TypeError or RangeError naming the path (or the value's
//                         own exception), the whole memory unchanged, and then the plain
//                         value lowers as it must (the instance is usable),
//   flip                  whatever happens, no byte changed outside the logs and the
//                         blocks; a throw after the guest was entered poisons,
//   lift                  the value or the trap definitions.py gives; no byte changed.
// Prints failures and ends with `oracle: N passed, M failed`. Before each case it
// writes the case's index to <batch dir>/progress, so that the driver can name the
// case of a crash or hang. With --save, each failing case is written to DIR as a
// regression file (`<kind>-<hash>.json`: the world, the core module and the case),
// which --unpack makes a batch dir again; --mark saves case I with REASON (a crash or
// hang the driver saw) without running anything.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  checkLowered, checkOutsideBlocks, checkRefusal, checkTrap, checkUntouched, describe, instantiateWithGuest,
  isPoisonedTrap,
} from './oracle-guest.mjs';
import { comparable, revive, show } from './oracle-values.mjs';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { save: { type: 'string' }, mark: { type: 'string' }, unpack: { type: 'string' } },
});

if (opts.unpack) {
  const reg = JSON.parse(readFileSync(opts.unpack, 'utf8'));
  const out = positionals[0];
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'world.wit'), reg.wit);
  // A 64-bit batch's regression keeps its whole component.wat.
  writeFileSync(join(out, reg.header.addr === 'i64' ? 'component.wat' : 'core.wat'), reg.wat);
  writeFileSync(join(out, 'cases.json'), JSON.stringify({ ...reg.header, cases: [reg.case] }));
  process.exit(0);
}

const dir = positionals[0];
const spec = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
const { cases, ...header } = spec;

/** The lines of `text` except the imports and exports of the other types' functions
 * (`get<k>`, `lower<k>`, `pair<k>`, `lift<k>`, `call<k>`: one line each in world.wit
 * and core.wat). */
function only(text, fn) {
  const other = (line) => {
    const m = /(?:import|export) (?:"\$root" |\(func \(export )?"?(?:get|lower|pair|lift|call)(\d+)\b/.exec(line);
    return m !== null && Number(m[1]) !== fn;
  };
  return text.split('\n').filter((line) => !other(line)).join('\n');
}

/** Writes case `i` to opts.save as a regression file, with what went wrong: the case,
 * and the world and core module cut down to its type's functions. */
function save(i, kind, whys) {
  const c = cases[i];
  const reg = {
    header,
    wit: only(readFileSync(join(dir, 'world.wit'), 'utf8'), c.fn),
    wat: header.addr === 'i64'
      ? readFileSync(join(dir, 'component.wat'), 'utf8')
      : only(readFileSync(join(dir, 'core.wat'), 'utf8'), c.fn),
    case: c,
    failures: whys,
  };
  const hash = createHash('sha256').update(JSON.stringify([reg.wit, reg.wat, reg.case])).digest('hex').slice(0, 16);
  mkdirSync(opts.save, { recursive: true });
  const file = join(opts.save, `${kind}-${hash}.json`);
  writeFileSync(file, `${JSON.stringify(reg, null, 1)}\n`);
  console.log(`saved ${file}`);
}

if (opts.mark !== undefined) {
  const i = Number(opts.mark);
  save(i, positionals[1] ?? 'crash', [`${positionals[1] ?? 'crash'} while running case ${i}`]);
  process.exit(0);
}

const { instantiate } = await import(pathToFileURL(join(dir, 'out', 'component.js')).href);
const modules = new Map();
const getCoreModule = (p) => {
  if (!modules.has(p)) modules.set(p, WebAssembly.compile(readFileSync(join(dir, 'out', p))));
  return modules.get(p);
};
// The host imports `get<i>`: each returns what `host` says when `call<i>` calls it.
let host = () => {
  throw new Error('no host result set');
};
const imports = Object.fromEntries(cases.map((c) => [`get${c.fn}`, { default: () => host() }]));
let inst;
let guest;
const fresh = async () => {
  ({ inst, guest } = await instantiateWithGuest(instantiate, getCoreModule, imports, header));
};
await fresh();

/** Makes the host import return `value`: for a top-level result, its `ok` payload,
 * or a throw with an `err` payload (`tag` says which; for the plain value, its own). */
function hostReturns(c, value, tag) {
  if (c.topResult && tag === undefined) {
    tag = value.tag;
    value = value.value;
  }
  host = tag === 'err' ? () => { throw Object.assign(new Error('err'), { payload: value }); } : () => value;
}

/** The call a check makes: `lower<i>(value)`, `pair<i>(value, x.second)` (x.pair),
 * or `call<i>()` with the host import returning `value` (x.import). */
function caller(c, x, value) {
  if (x.pair) {
    const second = revive(x.second);
    return () => inst[`pair${c.fn}`](value, second);
  }
  if (!x.import) return () => inst[`lower${c.fn}`](value);
  hostReturns(c, value, x.tag);
  return () => inst[`call${c.fn}`]();
}

/** Calls `f`; returns undefined, or { e } with what it threw. */
function attempt(f) {
  try {
    f();
    return undefined;
  } catch (e) {
    return { e };
  }
}

/** Lowers a right value (plain, coerced, or with a hostile realloc) as the argument
 * of an export or (x.import) the result of a host import: '' or what is wrong. */
async function lowerRight(c, x, value, want, evil) {
  guest.reset(1, evil);
  const before = guest.snapshot();
  const threw = attempt(caller(c, x, value));
  let why;
  if (want.trap) why = checkTrap(threw?.e);
  else why = threw ? `unexpected ${describe(threw.e)}` : checkLowered(guest, want);
  why ||= checkOutsideBlocks(guest, before, x.import ? c.retSize : 0);
  if (threw) await fresh();
  return why;
}

/** Whether the instance is poisoned: a right call traps as a call into one. */
function poisoned(c) {
  const probe = attempt(() => inst[`lower${c.fn}`](revive(c.value)));
  return { poisoned: probe !== undefined && isPoisonedTrap(probe.e), probe };
}

/** A wrong value: refused with nothing of the guest's memory written. An argument is
 * refused before the guest runs, so the instance stays usable; a host import's result
 * is refused while the guest is stopped mid-call, so the instance is poisoned. */
async function lowerWrong(c, w) {
  guest.reset(1);
  const before = guest.snapshot();
  const threw = attempt(caller(c, w, revive(w.value)));
  let why = checkRefusal(threw?.e, w) || checkUntouched(guest, before);
  if (!why && !w.import) {
    why = await lowerRight(c, {}, revive(c.value), c.lower);
    if (!why) return '';
    why = `the instance is not usable after it: ${why}`;
  } else if (!why && !poisoned(c).poisoned) {
    why = 'the instance is not poisoned after it';
  }
  await fresh();
  return why;
}

/** A value whose getters answer differently the second time: no corruption, whatever
 * the outcome; a throw once the guest was entered poisons the instance. */
async function lowerFlip(c, f) {
  guest.reset(1);
  const before = guest.snapshot();
  const threw = attempt(caller(c, f, revive(f.value)));
  let why = checkOutsideBlocks(guest, before, f.import ? c.retSize : 0);
  if (threw) {
    const untouched = checkUntouched(guest, before) === '';
    const { poisoned: yes, probe } = poisoned(c);
    if (!yes && (f.import || !untouched)) {
      why ||= `${describe(threw.e)} after the guest was entered, and the instance is not poisoned`;
    }
    if (!yes && probe) why ||= `a right value failed after it: ${describe(probe.e)}`;
    await fresh();
  }
  return why;
}

/** Lifts a memory image: the value or trap definitions.py gives, no byte written. */
async function lift(c) {
  guest.reset(0);
  guest.write(header.heapBase, c.lift.heap);
  guest.write(header.preset, c.lift.preset);
  const before = guest.snapshot();
  let actual;
  let threw;
  try {
    actual = inst[`lift${c.fn}`]();
    if (c.topResult) actual = actual === undefined ? { tag: 'ok' } : { tag: 'ok', value: actual };
  } catch (e) {
    if (c.topResult && e?.name === 'ComponentError') {
      actual = e.payload === undefined ? { tag: 'err' } : { tag: 'err', value: e.payload };
    } else {
      threw = { e };
    }
  }
  let why;
  if (c.lift.trap) why = threw ? checkTrap(threw.e) : `expected a trap, got ${show(actual)} (preset ${c.lift.preset})`;
  else if (threw) why = `unexpected ${describe(threw.e)}`;
  else if (!isDeepStrictEqual(comparable(actual), comparable(revive(c.lift.value)))) {
    why = `got ${show(actual)}, expected ${show(revive(c.lift.value))}`;
  }
  why ||= checkUntouched(guest, before);
  if (threw) await fresh();
  return why;
}

const counts = { lower: 0, coerced: 0, evil: 0, wrong: 0, flip: 0, lift: 0 };
let passed = 0;
const failures = [];
const failed = new Map(); // case index -> [kind, whys]

for (const [i, c] of cases.entries()) {
  writeFileSync(join(dir, 'progress'), String(i));
  const imported = { import: true };
  const pair = { pair: true, second: c.pair?.second };
  const checks = [
    ['lower', {}, c.value, () => lowerRight(c, {}, revive(c.value), c.lower)],
    ['lower', imported, c.value, () => lowerRight(c, imported, revive(c.value), c.result)],
    // (Cases saved before pair<i> existed have none.)
    ...(c.pair ? [['lower', pair, c.value, () => lowerRight(c, pair, revive(c.value), c.pair.lower)]] : []),
    ...c.coerced.map((x) => ['coerced', x, x.value, () => lowerRight(c, x, revive(x.value), x.lower)]),
    ...c.evil.map((x) => ['evil', x, c.value, () => lowerRight(c, x, revive(c.value), x.lower, x.realloc)]),
    ...c.wrong.map((x) => ['wrong', x, x.value, () => lowerWrong(c, x)]),
    ...c.flip.map((x) => ['flip', x, x.value, () => lowerFlip(c, x)]),
    ['lift', {}, undefined, () => lift(c)],
  ];
  for (const [kind, x, value, check] of checks) {
    counts[kind]++;
    let why;
    try {
      why = await check();
    } catch (e) {
      why = `harness error ${e?.stack ?? e}`;
      await fresh();
    }
    if (!why) {
      passed++;
      continue;
    }
    const via = x.import ? `, result of get${c.fn}${x.tag ? ` (${x.tag})` : ''}` : x.pair ? `, pair${c.fn}` : '';
    const shown = value === undefined ? '' : ` — value ${show(value)}${x.pair ? `, ${show(x.second)}` : ''}`;
    const line = `#${c.fn} ${c.type} (${kind}${via}): ${why}${shown}`;
    failures.push(line);
    if (!failed.has(i)) failed.set(i, [kind, []]);
    failed.get(i)[1].push(line);
  }
}
if (opts.save) for (const [i, [kind, whys]] of failed) save(i, kind, whys);
for (const f of failures.slice(0, 30)) console.log(f);
console.log(`oracle cases: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}`);
console.log(`oracle: ${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length ? 1 : 0;
