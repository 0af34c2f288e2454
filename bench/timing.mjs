// The timing loop of the call benchmarks, engine-neutral: it uses only what every JS
// engine offers (`performance.now()`, `new Function`), so that node's scripts
// (bench/calls.mjs, imports.mjs, resources.mjs, ...) and the browser page
// (bench/browser/page.mjs) time their cells the same way. bench/lib.mjs re-exports it.
//
// How the timing avoids flattering anyone (bench/calls.mjs's header tells the story):
// - each (row, implementation) cell is its own function compiled from its own source
//   text (`compileCell`, `cellFunction`), so no call site's type feedback is shared
//   between implementations;
// - throwaway cells are timed first (`warmHarness`);
// - cells of a few ns make 100 calls per timed call (`cellFunction`'s `reps`).

/**
 * Timing parameters: batches of ~`batchMs`, the median of `batches` (~50 ms, median of
 * 9; quick: ~5 ms, median of 3), after at least one batch and `warmupMs` of warm-up.
 * A page (bench/browser/page.mjs) raises `minBatchMs` where its clock is coarse, and
 * asks for a longer warm-up (`warmupMs`).
 */
export function timing(opts, { minBatchMs = 0, warmupMs = 0 } = {}) {
  const t = opts.quick ? { batchMs: 5, batches: 3 } : { batchMs: 50, batches: 9 };
  return { ...t, batchMs: Math.max(t.batchMs, minBatchMs), warmupMs: opts.quick ? 0 : warmupMs };
}

let sink = 0;

/**
 * Median ns per call over `batches` batches of ~`batchMs` each, after a calibrating
 * warm-up (doubling the count until a batch takes `batchMs`), then one more batch, or
 * more until `warmupMs` have passed. `time(n)` makes n calls and returns their ms (or a
 * promise of it): the calls themselves are never awaited one by one here, so a
 * synchronous `f` is timed without any promise in its loop.
 */
async function medianPerCall(time, { batchMs, batches, warmupMs = 0 }) {
  let n = 1;
  while ((await time(n)) < batchMs) n *= 2;
  let warm = 0;
  do warm += await time(n);
  while (warm < warmupMs);
  const per = [];
  for (let b = 0; b < batches; b++) per.push(((await time(n)) * 1e6) / n);
  globalThis.__benchSink = sink; // keeps the results observable
  per.sort((x, y) => x - y);
  return per[per.length >> 1];
}

/** Median ns per call of the synchronous `f` (see `medianPerCall`). */
export function measure(f, timing) {
  return medianPerCall((n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) sink ^= f() ? 1 : 0;
    return performance.now() - t;
  }, timing);
}

/** Like `measure` for an async `f`, each call awaited. */
export function measureAsync(f, timing) {
  return medianPerCall(async (n) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) sink ^= (await f()) ? 1 : 0;
    return performance.now() - t;
  }, timing);
}

/**
 * `source`, a JS expression over the names of `env` (usually an arrow function), compiled
 * afresh for one cell: `label` makes the source text unique, because V8 shares one
 * compilation, and so one feedback vector, between closures of identical source. Without
 * it a closure written once per row (`(m) => () => m.get()`) is one call site for every
 * implementation: the first measured sees it monomorphic and may be inlined, the later
 * ones pay for a polymorphic site (bench/calls.mjs's header tells how that once made
 * weft's `add` beat the floor, and docs/lower.md how it made `--lowered` look slower).
 */
export function compileCell(label, env, source) {
  const names = Object.keys(env);
  return new Function(...names, `// ${label}\n  return ${source};`)(...names.map((k) => env[k]));
}

/**
 * The function one cell times: `reps` evaluations of `call`, each in a try (an error is
 * the result), returning the last result (a `compileCell` over `m` and `x`).
 */
export function cellFunction(label, call, m, x, reps) {
  return compileCell(
    label,
    { m, x },
    `() => {
    let r;
    for (let i = 0; i < ${reps}; i++) {
      try { r = ${call}; } catch (e) { r = e; }
    }
    return r;
  }`,
  );
}

/**
 * Times a few throwaway cells, so that the call of the timed function in `measure` and
 * `measureAsync` has seen many functions before the first real cell: else that cell alone
 * is inlined into the loop and gains a few ns. Every script calls it before its first cell.
 */
export async function warmHarness() {
  const brief = { batchMs: 2, batches: 1 };
  for (let k = 0; k < 6; k++) {
    await measure(cellFunction(`warm-up ${k}`, 'x + 1', null, k, 100), brief);
    await measureAsync(compileCell(`async warm-up ${k}`, { k }, 'async () => k'), brief);
  }
}
