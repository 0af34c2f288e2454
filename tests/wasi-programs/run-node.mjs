// Runs the WASI test programs in node through weft and @weft/wasi, and checks them
// against their expected.json. One runner for both sets:
//   node tests/wasi-programs/run-node.mjs [--p3] [--shim=node|browser] [--compat=jco] [--lowered] [name…]
// - WASI 0.2 (default): target/wasi-programs/*.wasm (scripts/build-wasi-programs),
//   tests/wasi-programs/expected.json, the p2 shims; the `wasi:cli/run@0.2.x` export's
//   `run()` is called (a 0.2 guest blocks synchronously on the node shim).
// - WASI 0.3 (`--p3`): target/wasi-p3-programs/*.wasm (scripts/build-wasi-p3-programs),
//   tests/wasi-p3-programs/expected.json, the p3 shims; `wasi:cli/run@0.3.x`'s async
//   `run()` is awaited, and a program with `requests` (a `wasi:http/service`) answers
//   each request through its `wasi:http/handler@0.3.x` export and the shim's
//   `toFetchHandler`. Needs no JSPI: P3 runs on the callback ABI.
// `--shim=browser` uses the browser shim instead (in-memory preopens, output through the
// stdout/stderr sinks). Each program is transpiled with `weft transpile X.wasm -o DIR
// --instantiation` (WEFT_BIN, else target/debug/weft, built when missing); with
// `--compat=jco`, also `--compat jco`: the shims' values keep weft's own shapes there
// (docs/js-api.md), so every program must behave the same; with `--lowered`, also
// `--lowered` (the core instances linked into one module, the handle tables of the
// WASI resources in core wasm: node 22+). Exit code 0
// when every program passes; the last line is `wasi-programs: N passed, M failed` (0.2)
// or `wasi-p3-programs: N passed, M failed` (0.3). The other runners (run-cli.mjs,
// run-sockets.mjs) share `checkPrograms`; results are compared with expected.json by
// expected.mjs, as the web-tests pages compare theirs.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { awaitAfterReturn, compare, exitCode, handlerRequests, outputSink, readExpected, readResponse, runExport } from './expected.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** The two sets of programs; `shims`: the shim modules under npm/wasi/src (the package's
 * `./p2/node`, `./p2/browser`, `./p3/node`, `./p3/browser` exports). */
const SETS = {
  p2: { dir: 'wasi-programs', shims: { node: 'p2/node.js', browser: 'p2/browser.js' }, p3: false, label: 'WASI programs' },
  p3: { dir: 'wasi-p3-programs', shims: { node: 'p3-node.js', browser: 'p3-browser.js' }, p3: true, label: 'WASI 0.3 programs' },
};

/**
 * Runs one program of `set` with the shim module `shim` (`browser` picks in-memory
 * preopens); returns { stdout, stderr, exitCode, files } or, for an http service,
 * { responses }.
 */
export async function runProgram(set, shim, browser, weft, name, spec, compat = null, lowered = false) {
  const { wasiImports, WasiExit, toFetchHandler, MemFs } = shim;
  const out = mkdtempSync(join(tmpdir(), `weft-${set.dir}-${name}-`));
  try {
    const wasm = join(root, 'target', set.dir, `${name}.wasm`);
    const flags = compat === null ? [] : ['--compat', compat];
    if (lowered) flags.push('--lowered');
    execFileSync(weft, ['transpile', wasm, '-o', out, '--instantiation', ...flags], { stdio: ['ignore', 'ignore', 'inherit'] });
    // A package.json so node loads the generated .js as an ES module.
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const preopens = {};
    for (const guest of spec.preopens ?? []) preopens[guest] = browser ? new MemFs() : mkdtempSync(join(out, 'preopen-'));
    const stdout = [];
    const stderr = [];
    const imports = wasiImports({
      args: spec.args,
      env: spec.env,
      preopens,
      stdin: spec.stdin ?? new Uint8Array(0),
      stdout: outputSink(stdout, spec.closeOutput?.stdout),
      stderr: outputSink(stderr, spec.closeOutput?.stderr),
    });
    const { instantiate } = await import(pathToFileURL(join(out, `${name}.js`)).href);
    const getCoreModule = (file) => WebAssembly.compile(readFileSync(join(out, file)));
    const instance = await instantiate(getCoreModule, imports);
    if (spec.requests) {
      const handler = Object.entries(instance).find(([k]) => /^wasi:http\/handler@0\.3\.\d+/.test(k))?.[1];
      if (!handler) throw new Error(`${name}: no wasi:http/handler@0.3.x export (exports: ${Object.keys(instance).join(', ')})`);
      // An instance pool (this one first, then fresh ones), so that a request that traps
      // leaves the next one a fresh instance; a trap outside any call (a task streaming a
      // body) reaches it through `reportError`, as under weft serve.
      let first = instance;
      const pool = new shim.InstancePool(
        () => {
          const made = first ?? instantiate(getCoreModule, wasiImports({ args: spec.args, env: spec.env, stdout: () => {}, stderr: () => {} }));
          first = null;
          return made;
        },
        { onTrap: () => {} },
      );
      const reportError = globalThis.reportError;
      globalThis.reportError = (e) => pool.trappedOutside(e);
      try {
        const serve = toFetchHandler(pool);
        const responses = [];
        for (const q of handlerRequests(spec)) {
          const res = await serve(new Request(q.url, { method: q.method, headers: q.headers, body: q.body }));
          const got = await readResponse(res);
          responses.push({ ...got, headers: Object.fromEntries(res.headers) });
        }
        return { responses };
      } finally {
        globalThis.reportError = reportError;
      }
    }
    const runIface = runExport(instance, set.p3);
    const code = await exitCode(() => runIface.run(), WasiExit);
    await awaitAfterReturn(spec, () => Buffer.concat(stdout).toString());
    imports.flush?.();
    const files = {};
    for (const [guest, host] of Object.entries(preopens)) {
      files[guest] = {};
      for (const f of Object.keys(spec.files?.[guest] ?? {})) {
        if (typeof host === 'string') {
          const p = join(host, f);
          files[guest][f] = existsSync(p) ? readFileSync(p, 'utf8') : null;
        } else {
          const bytes = host.readFile(f);
          files[guest][f] = bytes === undefined ? null : new TextDecoder().decode(bytes);
        }
      }
    }
    return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), exitCode: code, files };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Runs `run(name, spec)` for each name, compares with its expectation, prints `ok`/`FAIL`
 * lines and then `<line>: N passed, M failed` (after `detail(passed, total)`, when
 * given), and sets the exit code. With VERBOSE set, a failure also shows the output.
 * An entry with `expectedFailure` (the reason) that fails prints `xfail` and counts as
 * neither (`, K expected failures` ends the last line); if it passes, it is a failure.
 */
export async function checkPrograms(names, expected, run, line, detail) {
  let failures = 0;
  let xfails = 0;
  for (const name of names) {
    const spec = expected[name];
    if (!spec) throw new Error(`no expectation for ${name}`);
    let bad;
    try {
      const r = await run(name, spec);
      bad = compare(spec, r);
      if (bad.length && process.env.VERBOSE) bad.push(`stdout was ${JSON.stringify(r.stdout)}`, `stderr was ${JSON.stringify(r.stderr)}`);
    } catch (e) {
      bad = [`threw ${e?.stack ?? e}`];
    }
    if (spec.expectedFailure !== undefined) {
      if (bad.length) {
        xfails++;
        console.log(`xfail ${name}: ${spec.expectedFailure}\n     ${bad[0].split('\n')[0]}`);
        continue;
      }
      bad = ['passed, but expected.json says it fails (`expectedFailure`): remove that'];
    }
    if (bad.length) failures++;
    console.log(`${bad.length ? 'FAIL' : 'ok  '} ${name}${bad.map((b) => `\n     ${b}`).join('')}`);
  }
  const passed = names.length - failures - xfails;
  if (detail) console.log(detail(passed, names.length));
  console.log(`${line}: ${passed} passed, ${failures} failed${xfails ? `, ${xfails} expected failures` : ''}`);
  process.exitCode = failures ? 1 : 0;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const argv = process.argv.slice(2);
  const set = argv.includes('--p3') ? SETS.p3 : SETS.p2;
  const shimName = argv.find((a) => a.startsWith('--shim='))?.slice(7) ?? 'node';
  if (!['node', 'browser'].includes(shimName)) throw new Error(`unknown shim ${shimName}`);
  const compat = argv.find((a) => a.startsWith('--compat='))?.slice(9) ?? null;
  const lowered = argv.includes('--lowered');
  const shim = await import(`../../npm/wasi/src/${set.shims[shimName]}`);
  const weft = process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
  if (!existsSync(weft)) execFileSync('cargo', ['build', '-p', 'weft-cli'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(join(root, 'target', set.dir, 'hello.wasm'))) {
    console.error(`target/${set.dir} is empty: run scripts/build-${set.dir}`);
    process.exit(2);
  }
  const expected = (await readExpected(set.dir)).programs;
  const named = argv.filter((a) => !a.startsWith('--'));
  const names = named.length > 0 ? named : Object.keys(expected);
  await checkPrograms(
    names,
    expected,
    (name, spec) => runProgram(set, shim, shimName === 'browser', weft, name, spec, compat, lowered),
    set.dir,
    (ok, all) => `${ok}/${all} ${set.label} pass on node ${process.version} with the ${shimName} shim${compat ? ` (--compat ${compat})` : ''}${lowered ? ' (--lowered)' : ''}`,
  );
}
