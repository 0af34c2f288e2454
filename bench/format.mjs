// How the benchmarks print numbers, engine-neutral (node's scripts through bench/lib.mjs,
// and the browser page).

/** A number for a table: `-` when absent, no decimals from 100 up, grouped from 10,000. */
export function fmt(x) {
  if (x === undefined || x === null) return '-';
  if (x >= 10_000) return Math.round(x).toLocaleString('en-US');
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** `a / b` as `1.23×`, or `-`. */
export function ratio(a, b) {
  return a === undefined || a === null || b === undefined || b === null ? '-' : (a / b).toFixed(2) + '×';
}
