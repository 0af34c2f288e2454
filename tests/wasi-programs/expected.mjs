// The one reading of expected.json (tests/wasi-programs/ and tests/wasi-p3-programs/):
// which programs a set has, how a run yields the exit code the file speaks of, and how
// a run's result is compared with its entry. Plain JS that runs in node and in a page.
// Loaded by the node runners (run-node.mjs, whose `checkPrograms` run-cli.mjs and
// run-sockets.mjs share; run-esm.mjs; ../wasi-p3-programs/serve-cli.mjs) and by the
// web-tests pages (web-tests/suites/wasi-program.js, opfs-program.js, http-handler.js)
// and web-tests/suites.mjs.

/** tests/<set>/expected.json, parsed (`set`: `wasi-programs` or `wasi-p3-programs`). */
export async function readExpected(set) {
  const url = new URL(`../${set}/expected.json`, import.meta.url);
  if (url.protocol === 'file:') {
    const { readFileSync } = await import('node:fs');
    return JSON.parse(readFileSync(url, 'utf8'));
  }
  return (await fetch(url)).json();
}

/** The commands among `programs` (a section's entries): those with `args`. */
export function commandNames(programs) {
  return Object.keys(programs).filter((name) => programs[name].args);
}

/** The `wasi:cli/run` export of an instance: 0.2's, or with `p3` 0.3's. */
export function runExport(instance, p3) {
  const re = p3 ? /^wasi:cli\/run@0\.3\.\d+/ : /^wasi:cli\/run@0\.2\.\d+$/;
  const found = Object.entries(instance).find(([k]) => re.test(k))?.[1];
  if (!found) throw new Error(`no ${re} export (exports: ${Object.keys(instance).join(', ')})`);
  return found;
}

/**
 * Awaits `run()` (a call of a `run` export) and returns the exit code as expected.json
 * means it: 0 when it returns, 1 when it returns `err` (a ComponentError), the code of
 * the shim's `WasiExit`; other errors are thrown.
 */
export async function exitCode(run, WasiExit) {
  try {
    await run();
    return 0;
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    if (e?.name === 'ComponentError') return 1;
    throw e;
  }
}

/**
 * The differences between a command's result `{ stdout, stderr, exitCode, files,
 * peerReceived, peerError }` (files: preopen → path → text, or null when missing) or an
 * http service's `{ responses }` and `spec`, its entry; none when it passes.
 */
export function compare(spec, r) {
  if (spec.requests) {
    return handlerRequests(spec).flatMap((q, i) => compareResponse(q.response, r.responses[i], `request ${i}: `));
  }
  const bad = [];
  const show = JSON.stringify;
  const stdout = expectedStdout(spec);
  if (stdout !== undefined && r.stdout !== stdout) {
    const want = spec.stdoutRepeat ? `${show(spec.stdoutRepeat.text)} × ${spec.stdoutRepeat.times}` : show(stdout);
    bad.push(`stdout ${showLong(r.stdout, stdout)}, expected ${want}`);
  }
  for (const line of spec.stdoutIncludes ?? []) if (!r.stdout.includes(line)) bad.push(`stdout lacks ${show(line)}`);
  if (spec.stderr !== undefined && r.stderr !== spec.stderr) bad.push(`stderr ${show(r.stderr)}, expected ${show(spec.stderr)}`);
  if (r.exitCode !== spec.exitCode) bad.push(`exit code ${r.exitCode}, expected ${spec.exitCode}`);
  if (spec.peerReceived !== undefined && r.peerReceived !== spec.peerReceived) {
    bad.push(`peer received ${show(r.peerReceived)}${r.peerError ? ` (${r.peerError})` : ''}, expected ${show(spec.peerReceived)}`);
  }
  for (const [guest, files] of Object.entries(spec.files ?? {})) {
    for (const [f, text] of Object.entries(files)) {
      const got = r.files?.[guest]?.[f];
      if (got !== text) bad.push(`${guest}/${f}: ${show(got)}, expected ${show(text)}`);
    }
  }
  return bad;
}

/** The stdout an entry expects exactly: `stdout`, or `stdoutRepeat`'s `text` repeated `times` times. */
export function expectedStdout(spec) {
  return spec.stdoutRepeat ? spec.stdoutRepeat.text.repeat(spec.stdoutRepeat.times) : spec.stdout;
}

/** `got` as JSON; if it is long, its length and where it first differs from `want`. @param {string} got @param {string} want */
function showLong(got, want) {
  if (typeof got !== 'string' || got.length <= 1000) return JSON.stringify(got);
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  return `of ${got.length} chars (${want.length} expected), first different at ${i}: ${JSON.stringify(got.slice(i, i + 80))}`;
}

/**
 * A sink for an in-process runner's stdout or stderr that collects into `chunks` and,
 * when `limit` (a `closeOutput` entry's byte count) is a number, plays a reader that
 * closes after that many bytes: once it has them, every later write throws an `EPIPE`
 * error, as node's `writeSync` to a pipe whose reader went away does. The chunks are
 * then cut to `limit` bytes: what a reader that stopped there read.
 * @param {Uint8Array[]} chunks @param {number | undefined} limit
 */
export function outputSink(chunks, limit) {
  let taken = 0;
  return (/** @type {Uint8Array} */ b) => {
    if (limit !== undefined && taken >= limit) {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE', errno: -32, syscall: 'write' });
    }
    const keep = limit === undefined ? b.length : Math.min(b.length, limit - taken);
    chunks.push(b.slice(0, keep));
    taken += keep;
  };
}

/**
 * For an entry with `afterReturn` (the program goes on after `run` returned): waits up
 * to 5 s until `read()`, the stdout so far, is the expected stdout, so that a runner
 * that reads the output when `run` returns sees what the task wrote later.
 * @param {any} spec @param {() => string} read
 */
export async function awaitAfterReturn(spec, read) {
  if (!spec.afterReturn) return;
  const want = expectedStdout(spec);
  const deadline = Date.now() + 5000;
  while (read() !== want && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * The differences between a response `{ status, headers, body, bodyError }` (`headers`:
 * a Headers or an object of lower-case names; `bodyError` when reading it failed) and
 * `want` (`status`, the listed `headers`, and `body` exact or `bodyIncludes`, or
 * `bodyFails`: reading the body must fail), each line starting with `prefix`.
 */
export function compareResponse(want, got, prefix = '') {
  const bad = [];
  const show = JSON.stringify;
  const header = (name) => (typeof got.headers.get === 'function' ? got.headers.get(name) : got.headers[name]) ?? null;
  if (got.status !== want.status) bad.push(`status ${got.status}, expected ${want.status}`);
  for (const [name, value] of Object.entries(want.headers ?? {})) {
    if (header(name) !== value) bad.push(`header ${name} ${show(header(name))}, expected ${show(value)}`);
  }
  if (want.bodyFails) {
    if (got.bodyError === undefined) bad.push(`body ${show(got.body)} read in full, expected reading it to fail`);
    return bad.map((b) => prefix + b);
  }
  if (got.bodyError !== undefined) bad.push(`reading the body failed: ${got.bodyError}`);
  if (want.body !== undefined && got.body !== want.body) bad.push(`body ${show(got.body)}, expected ${show(want.body)}`);
  if (want.bodyIncludes !== undefined && !got.body.includes(want.bodyIncludes)) {
    bad.push(`body ${show(got.body)} lacks ${show(want.bodyIncludes)}`);
  }
  return bad.map((b) => prefix + b);
}

/**
 * A Fetch `Response` as `compareResponse` takes it: `{ status, headers, body }`, and
 * `bodyError` (the message) when reading the body failed. `text` decodes the body's
 * bytes (default UTF-8).
 * @param {Response} res @param {(bytes: Uint8Array) => string} [text]
 */
export async function readResponse(res, text = (b) => new TextDecoder().decode(b)) {
  const got = { status: res.status, headers: res.headers, body: '' };
  try {
    got.body = text(new Uint8Array(await res.arrayBuffer()));
  } catch (e) {
    got.bodyError = String(e?.cause ?? e?.message ?? e);
  }
  return got;
}

/**
 * The requests of an http handler's entry and the responses they must get, in one shape
 * for both sets: `{ method, url, path, headers, body, response }`. A WASI 0.3 service
 * (`programs`) lists `method`, `url`, `body` and `response`; the WASI 0.2 `http-proxy`
 * (the `http` section) lists `method`, `path`, `requestHeaders`, `requestBody` and the
 * response's `status`, `headers`, `body`, `bodyIncludes` and `trailers` inline (its
 * `url` here is `http://localhost<path>`).
 */
export function handlerRequests(spec) {
  return spec.requests.map((q) => {
    if (q.response) {
      const url = new URL(q.url);
      return { method: q.method, url: q.url, path: url.pathname + url.search, headers: {}, body: q.body, response: q.response };
    }
    const { method, path, requestHeaders = {}, requestBody, ...response } = q;
    return { method, url: `http://localhost${path}`, path, headers: requestHeaders, body: requestBody, response };
  });
}
