// The driver's only source of randomness: a small seeded PRNG (sfc32, seeded through
// splitmix32), so that a run is a function of its seed and `--seed N` replays it.

/** splitmix32: spreads a 32-bit seed into well-mixed state words. */
function splitmix32(a) {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A 32-bit hash of a string (FNV-1a), to derive a run's seed from its target's name. */
export function hashString(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export class Rng {
  /** @param {number} seed */
  constructor(seed) {
    const m = splitmix32(seed >>> 0);
    this.a = m();
    this.b = m();
    this.c = m();
    this.d = m();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer (sfc32). */
  u32() {
    let { a, b, c, d } = this;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    Object.assign(this, { a, b, c, d });
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float() {
    return this.u32() / 4294967296;
  }

  /** An integer in [0, n). @param {number} n */
  int(n) {
    return n <= 1 ? 0 : Math.floor(this.float() * n);
  }

  /** An integer in [lo, hi]. */
  range(lo, hi) {
    return lo + this.int(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p) {
    return this.float() < p;
  }

  /** One element of `xs`. @template T @param {T[]} xs @returns {T} */
  pick(xs) {
    return xs[this.int(xs.length)];
  }

  /** A choice among `[weight, value]` pairs. @template T @param {[number, T][]} table @returns {T} */
  weighted(table) {
    let total = 0;
    for (const [w] of table) total += w;
    let x = this.float() * total;
    for (const [w, v] of table) {
      if ((x -= w) < 0) return v;
    }
    return table[table.length - 1][1];
  }

  /** Shuffles `xs` in place (Fisher-Yates). @template T @param {T[]} xs */
  shuffle(xs) {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i];
      xs[i] = xs[j];
      xs[j] = t;
    }
    return xs;
  }

  /** A derived generator (for a sub-activity whose draws must not shift the others'). */
  fork() {
    return new Rng(this.u32());
  }
}
