// `datetime`: nanoseconds as `{ seconds, nanoseconds }`, WASI 0.2's `datetime` and 0.3's
// `instant` (the same record), for file timestamps.

/** Nanoseconds → `datetime` / `instant`. @param {bigint} ns */
export function datetime(ns) {
  return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
}
