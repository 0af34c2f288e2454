// A stand-in for `transpile` of @weft/transpiler that runs the native CLI, with the
// same contract: `await transpile(bytes, options) -> { files, imports, exports }`.
// Test set-up only (plugin tests, scripts/build-examples) until src/index.js exports
// `transpile`; point WEFT_TRANSPILE_MODULE at this file to use it. The weft binary:
// WEFT_BIN, else target/debug/weft of this repository (built if missing).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function weftBin() {
  if (process.env.WEFT_BIN) return process.env.WEFT_BIN;
  const bin = join(root, 'target/debug/weft');
  if (!existsSync(bin)) {
    const r = spawnSync('cargo', ['build', '--quiet', '-p', 'weft-cli'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('cargo build -p weft-cli failed');
  }
  return bin;
}

/**
 * @param {Uint8Array} bytes
 * @param {{ name?: string, instantiation?: boolean, compat?: string, base64Cutoff?: number,
 *   map?: [string, string][], typescript?: boolean, asyncImports?: string[], asyncExports?: string[],
 *   maxInstances?: number, maxNesting?: number, maxCodeSize?: number }} [options]
 */
export async function transpile(bytes, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'weft-cli-'));
  try {
    const name = options.name ?? 'component';
    const input = join(dir, 'input.wasm');
    const out = join(dir, 'out');
    writeFileSync(input, bytes);
    const args = ['transpile', input, '-o', out, '-q', '--name', name];
    if (options.instantiation) args.push('--instantiation');
    if (options.compat) args.push('--compat', options.compat);
    if (options.base64Cutoff !== undefined) args.push('--base64-cutoff', String(Math.min(options.base64Cutoff, 2 ** 32 - 1)));
    for (const [from, to] of options.map ?? []) args.push('--map', `${from}=${to}`);
    if (options.typescript === false) args.push('--no-typescript');
    for (const p of options.asyncImports ?? []) args.push('--async-imports', p);
    for (const p of options.asyncExports ?? []) args.push('--async-exports', p);
    if (options.maxInstances !== undefined) args.push('--max-instances', String(options.maxInstances));
    if (options.maxNesting !== undefined) args.push('--max-nesting', String(options.maxNesting));
    if (options.maxCodeSize !== undefined) args.push('--max-code-size', String(options.maxCodeSize));
    const r = spawnSync(weftBin(), args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error((r.stderr || r.error?.message || `weft exited with ${r.status}`).trim().replaceAll(input, '<input>'));
    /** @type {Record<string, Uint8Array>} */
    const files = {};
    for (const f of readdirSync(out)) files[f] = new Uint8Array(readFileSync(join(out, f)));
    return { files, imports: [], exports: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
