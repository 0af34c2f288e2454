// Runs the WASI 0.3 test programs (target/wasi-p3-programs/*.wasm, from
// scripts/build-wasi-p3-programs) in node through weft and @weft/wasi's p3 shim, and
// checks them against expected.json. Usage:
//   node tests/wasi-p3-programs/run-node.mjs [--shim=node|browser] [name…]
// `--shim=browser` runs them with src/p3/browser.js (in-memory preopens). Each program
// is transpiled with `weft transpile X.wasm -o DIR --instantiation` and its
// `wasi:cli/run@0.3.x` export's async `run()` is awaited; for a program with
// `requests` (a `wasi:http/service`), each request goes to its `wasi:http/handler@0.3.x`
// export through the shim's `toFetchHandler`. Needs no JSPI: P3 runs on
// the callback ABI. Builds target/debug/weft if it is missing (WEFT_BIN overrides).
// Exit code 0 when every program passes; the last line is
// `wasi-p3-programs: N passed, M failed`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as nodeShim from '../../npm/wasi/src/p3/node.js';
import * as browserShim from '../../npm/wasi/src/p3/browser.js';

const argv = process.argv.slice(2);
const shimName = argv.find((a) => a.startsWith('--shim='))?.slice(7) ?? 'node';
const shim = { node: nodeShim, browser: browserShim }[shimName];
if (!shim) throw new Error(`unknown shim ${shimName}`);
const { wasiImports, WasiExit, toFetchHandler } = shim;

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const weft = process.env.WEFT_BIN ?? join(root, 'target/debug/weft');
const programs = join(root, 'target/wasi-p3-programs');
const expected = JSON.parse(readFileSync(join(root, 'tests/wasi-p3-programs/expected.json'), 'utf8')).programs;

/** Runs one program; returns { stdout, stderr, exitCode, files }. */
export async function runProgram(name, spec) {
  const out = mkdtempSync(join(tmpdir(), `weft-wasi-p3-${name}-`));
  try {
    execFileSync(weft, ['transpile', join(programs, `${name}.wasm`), '-o', out, '--instantiation'], { stdio: ['ignore', 'ignore', 'inherit'] });
    // A package.json so node loads the generated .js as an ES module.
    writeFileSync(join(out, 'package.json'), '{"type":"module"}');
    const preopens = {};
    for (const guest of spec.preopens ?? []) preopens[guest] = shimName === 'node' ? mkdtempSync(join(out, 'preopen-')) : new browserShim.MemFs();
    const stdout = [];
    const stderr = [];
    const imports = wasiImports({
      args: spec.args,
      env: spec.env,
      preopens,
      stdin: spec.stdin ?? new Uint8Array(0),
      stdout: (b) => stdout.push(Buffer.from(b)),
      stderr: (b) => stderr.push(Buffer.from(b)),
    });
    const { instantiate } = await import(pathToFileURL(join(out, `${name}.js`)).href);
    const instance = await instantiate((file) => WebAssembly.compile(readFileSync(join(out, file))), imports);
    if (spec.requests) {
      const handler = Object.entries(instance).find(([k]) => /^wasi:http\/handler@0\.3\.\d+/.test(k))?.[1];
      if (!handler) throw new Error(`${name}: no wasi:http/handler@0.3.x export (exports: ${Object.keys(instance).join(', ')})`);
      const serve = toFetchHandler(handler);
      const responses = [];
      for (const r of spec.requests) {
        const res = await serve(new Request(r.url, { method: r.method, body: r.body }));
        responses.push({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() });
      }
      return { responses };
    }
    const runIface = Object.entries(instance).find(([k]) => /^wasi:cli\/run@0\.3\.\d+/.test(k))?.[1];
    if (!runIface) throw new Error(`${name}: no wasi:cli/run@0.3.x export (exports: ${Object.keys(instance).join(', ')})`);
    let exitCode = 0;
    try {
      await runIface.run();
    } catch (e) {
      if (e instanceof WasiExit) exitCode = e.code;
      else if (e?.name === 'ComponentError') exitCode = 1;
      else throw e;
    }
    imports.flush();
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
    return { stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString(), exitCode, files };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The differences between a result and its expectation (empty when it passes). */
export function compare(spec, r) {
  const bad = [];
  if (spec.requests) {
    spec.requests.forEach((q, i) => {
      const got = r.responses[i];
      const want = q.response;
      if (got.status !== want.status) bad.push(`request ${i}: status ${got.status}, expected ${want.status}`);
      if (want.body !== undefined && got.body !== want.body) bad.push(`request ${i}: body ${JSON.stringify(got.body)}, expected ${JSON.stringify(want.body)}`);
      for (const [h, v] of Object.entries(want.headers ?? {})) if (got.headers[h] !== v) bad.push(`request ${i}: header ${h} ${JSON.stringify(got.headers[h])}, expected ${JSON.stringify(v)}`);
      if (want.bodyIncludes !== undefined && !got.body.includes(want.bodyIncludes)) bad.push(`request ${i}: body ${JSON.stringify(got.body)} lacks ${JSON.stringify(want.bodyIncludes)}`);
    });
    return bad;
  }
  if (spec.stdout !== undefined && r.stdout !== spec.stdout) bad.push(`stdout ${JSON.stringify(r.stdout)}, expected ${JSON.stringify(spec.stdout)}`);
  for (const line of spec.stdoutIncludes ?? []) if (!r.stdout.includes(line)) bad.push(`stdout lacks ${JSON.stringify(line)}`);
  if (spec.stderr !== undefined && r.stderr !== spec.stderr) bad.push(`stderr ${JSON.stringify(r.stderr)}, expected ${JSON.stringify(spec.stderr)}`);
  if (r.exitCode !== spec.exitCode) bad.push(`exit code ${r.exitCode}, expected ${spec.exitCode}`);
  for (const [guest, files] of Object.entries(spec.files ?? {})) {
    for (const [f, text] of Object.entries(files)) {
      const got = r.files?.[guest]?.[f];
      if (got !== text) bad.push(`${guest}/${f}: ${JSON.stringify(got)}, expected ${JSON.stringify(text)}`);
    }
  }
  return bad;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  if (!existsSync(weft)) execFileSync('cargo', ['build', '-p', 'weft-cli'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(join(programs, 'hello.wasm'))) {
    console.error('target/wasi-p3-programs is empty: run scripts/build-wasi-p3-programs');
    process.exit(2);
  }
  const named = argv.filter((a) => !a.startsWith('--'));
  const names = named.length > 0 ? named : Object.keys(expected);
  let failures = 0;
  for (const name of names) {
    const spec = expected[name];
    if (!spec) throw new Error(`no expectation for ${name}`);
    let bad;
    try {
      bad = compare(spec, await runProgram(name, spec));
    } catch (e) {
      bad = [`threw ${e?.stack ?? e}`];
    }
    if (bad.length) failures++;
    console.log(`${bad.length ? 'FAIL' : 'ok  '} ${name}${bad.map((b) => `\n     ${b}`).join('')}`);
  }
  console.log(`${names.length - failures}/${names.length} WASI 0.3 programs pass on node ${process.version} with the ${shimName} shim`);
  console.log(`wasi-p3-programs: ${names.length - failures} passed, ${failures} failed`);
  process.exitCode = failures ? 1 : 0;
}
