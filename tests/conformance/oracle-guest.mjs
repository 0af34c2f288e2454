// The guest side of the oracle and the checks of what one call did: the core instance of
// the core.wat tests/conformance/oracle.py writes (captured as weft instantiates it),
// read and reset directly, never through weft's code. Each check returns '' when it
// holds, else what is wrong.
import { SENTINEL } from './oracle-values.mjs';

/**
 * Instantiates the transpiled component and captures its core instance (the one that
 * exports `memory` and `reset`).
 */
export async function instantiateWithGuest(instantiate, getCoreModule, imports, layout) {
  const real = WebAssembly.instantiate;
  let core;
  WebAssembly.instantiate = async function (...args) {
    const r = await real.apply(this, args);
    const i = r instanceof WebAssembly.Instance ? r : r.instance;
    if (i.exports.memory && i.exports.reset) core = i;
    return r;
  };
  try {
    const inst = await instantiate(getCoreModule, imports);
    return { inst, guest: new Guest(core, layout) };
  } finally {
    WebAssembly.instantiate = real;
  }
}

export class Guest {
  constructor(core, layout) {
    this.core = core;
    this.layout = layout; // cases.json's header: heapBase, logFlat, logRealloc, preset, memorySize
  }

  get bytes() {
    return new Uint8Array(this.core.exports.memory.buffer);
  }

  /** Zeroes the logs, fills the heap with the canary; `evil`: [call, mode, value].
   * With a 64-bit memory (`addr` i64) the heap base and the value are `i64`s. */
  reset(log, evil = [0, 0, 0]) {
    const [call, mode, value] = evil;
    const a = this.layout.addr === 'i64' ? BigInt : Number;
    this.core.exports.reset(a(this.layout.heapBase), log, call, mode, a(value));
  }

  write(addr, hex) {
    this.bytes.set(Buffer.from(hex, 'hex'), addr);
  }

  hex(addr, len) {
    return Buffer.from(this.bytes.subarray(addr, addr + len)).toString('hex');
  }

  /** A copy of the whole memory. */
  snapshot() {
    return Buffer.from(this.bytes);
  }

  /** The realloc calls logged since the reset: [old, oldSize, align, newSize, ret]. */
  reallocs() {
    const dv = new DataView(this.core.exports.memory.buffer);
    const at = this.layout.logRealloc;
    const n = dv.getUint32(at, true);
    return Array.from({ length: n }, (_, i) => [0, 1, 2, 3, 4].map((k) => dv.getUint32(at + 4 + i * 20 + k * 4, true)));
  }

  /** What a lowering may write: core.wat's logs, the blocks realloc returned and the
   * `retSize` bytes at the pointer a host import's result is stored through. */
  lowerWrites(retSize) {
    const { logFlat, logRealloc, retptr, memorySize } = this.layout;
    const calls = this.reallocs();
    const ranges = [[logFlat, logFlat + 8 + 8 * 16], [logRealloc, logRealloc + 4 + 20 * calls.length]];
    if (retSize) ranges.push([retptr, retptr + retSize]);
    for (const [, , , size, ret] of calls) {
      if (ret < memorySize) ranges.push([ret, Math.min(ret + size, memorySize)]);
    }
    return ranges;
  }
}

/** '' when the whole memory equals `before`, else the first changed address. */
export function checkUntouched(guest, before) {
  return changedOutside(guest, before, []);
}

/** '' when the memory outside the ranges a lowering may write equals `before`. */
export function checkOutsideBlocks(guest, before, retSize = 0) {
  return changedOutside(guest, before, guest.lowerWrites(retSize));
}

function changedOutside(guest, before, ranges) {
  const now = guest.bytes;
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let from = 0;
  for (const [lo, hi] of [...sorted, [now.length, now.length]]) {
    if (lo > from) {
      const a = now.subarray(from, lo);
      const b = before.subarray(from, lo);
      if (Buffer.compare(a, b) !== 0) {
        const i = a.findIndex((x, k) => x !== b[k]);
        return `memory changed at 0x${(from + i).toString(16)} (${b[i]} -> ${a[i]}), outside ${ranges.length ? 'the logs and the blocks realloc returned' : 'anything'}`;
      }
    }
    from = Math.max(from, hi);
  }
  return '';
}

/** '' when a lowering did what definitions.py says: flat values, realloc calls, bytes. */
export function checkLowered(guest, want) {
  const flat = guest.hex(guest.layout.logFlat + 8, want.flat.length / 2);
  if (flat !== want.flat) return `flat values ${flat}, expected ${want.flat}`;
  const calls = guest.reallocs();
  if (JSON.stringify(calls) !== JSON.stringify(want.realloc)) {
    return `realloc calls ${JSON.stringify(calls)}, expected ${JSON.stringify(want.realloc)}`;
  }
  for (const [addr, hex] of want.regions) {
    const got = guest.hex(addr, hex.length / 2);
    if (got !== hex) {
      let i = 0;
      while (got[i] === hex[i]) i++;
      const at = i - (i % 2);
      return `bytes at 0x${(addr + at / 2).toString(16)}: ${got.slice(at, at + 64)}…, expected ${hex.slice(at, at + 64)}…`;
    }
  }
  return '';
}

/** '' when `e` is what a wrong value must throw: `want.error` is 'TypeError' or
 * 'RangeError' (exactly that class, its message starting with `want.path: `) or
 * 'sentinel' (the value's own exception, unchanged). */
export function checkRefusal(e, want) {
  if (want.error === 'sentinel') {
    return e === SENTINEL ? '' : `expected the value's own exception, got ${describe(e)}`;
  }
  const cls = globalThis[want.error];
  if (e === undefined) return `expected ${want.error}, got no error`;
  if (e === null || typeof e !== 'object' || Object.getPrototypeOf(e) !== cls.prototype) {
    return `expected ${want.error} naming '${want.path}', got ${describe(e)}`;
  }
  if (!e.message.startsWith(`${want.path}: `)) return `expected ${want.error} naming '${want.path}', got ${describe(e)}`;
  return '';
}

/** '' when `e` is a trap (a WebAssembly.RuntimeError, weft's Trap included). */
export function checkTrap(e) {
  return e instanceof WebAssembly.RuntimeError ? '' : `expected a trap, got ${describe(e)}`;
}

/** Whether `e` is the trap of a call into a poisoned instance. */
export function isPoisonedTrap(e) {
  return e instanceof WebAssembly.RuntimeError && /cannot enter component instance/.test(e.message);
}

export function describe(e) {
  if (e === undefined) return 'no error';
  if (e === SENTINEL) return "the value's own exception";
  if (e instanceof Error) return `${e.constructor.name}: ${e.message}`;
  return `a thrown ${typeof e}`;
}
