// The page-side test API: `test(name, fn)` registers a test; `run()` (called by
// page.js once the suite module has loaded) runs them in order, one at a time, and
// reports each result as a console line `WEFT-TEST <json>` and in `window.__results`.
// `window.__done` becomes true when all have run. Plain ES module, no dependencies.

const tests = [];

/** The page's query parameters (`suite`, `out`, `mode`, `nojspi`, ...). */
export const params = new URLSearchParams(location.search);

/**
 * Where the suite's transpiled files are (`out`, a URL path ending in `/`), and in
 * which mode they were made (`esm` or `instantiation`).
 */
export const config = {
  out: new URL(params.get('out') ?? '/out/', location.href),
  mode: params.get('mode') ?? 'esm',
  jspi: !params.has('nojspi'),
};

/**
 * Registers a test: `fn` may be async; it fails if it throws or runs past `timeout` ms.
 * `skip` (true, or the reason as a string) reports it as skipped instead of running it.
 */
export function test(name, fn, { timeout = 15000, skip = false } = {}) {
  tests.push({ name, fn, timeout, skip });
}

function report(result) {
  window.__results.push(result);
  console.log(`WEFT-TEST ${JSON.stringify(result)}`);
}

function describe(e) {
  if (e instanceof Error) {
    const head = `${e.name}: ${e.message}`;
    if (!e.stack) return head;
    return e.stack.startsWith(head) ? e.stack : `${head}\n${e.stack}`;
  }
  return String(e);
}

/** Runs the registered tests. `loadError` (the suite module failed to load) fails the page. */
export async function run(loadError) {
  window.__results = [];
  if (loadError !== undefined) {
    report({ name: '(loading the suite)', ok: false, error: describe(loadError), ms: 0 });
  }
  for (const { name, fn, timeout, skip } of tests) {
    if (skip) {
      report({ name, ok: true, skipped: true, ...(typeof skip === 'string' && { reason: skip }), ms: 0 });
      continue;
    }
    const start = performance.now();
    let timer;
    try {
      await Promise.race([
        (async () => fn())(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the test did not finish within ${timeout / 1000} s`)), timeout);
        }),
      ]);
      report({ name, ok: true, ms: Math.round(performance.now() - start) });
    } catch (e) {
      report({ name, ok: false, error: describe(e), ms: Math.round(performance.now() - start) });
    } finally {
      clearTimeout(timer);
    }
  }
  window.__done = true;
  console.log('WEFT-DONE');
}
