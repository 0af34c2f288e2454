// The import rules of src/: p2/ and p3/ do not import each other, shared/ imports only
// shared/, and every module file the package exports exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(pkg, 'src');

/** Every .js file under `dir`. @param {string} dir @returns {string[]} */
function jsFiles(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsFiles(p) : p.endsWith('.js') ? [p] : [];
  });
}

/** The relative modules a file loads: static imports and re-exports, `import('…')`,
 * and workers started with `new URL('…', import.meta.url)`. @param {string} file */
function relativeImports(file) {
  const text = readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...text.matchAll(/\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g),
  ].map((m) => m[1]);
  return specs.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s));
}

/** `p2`, `p3`, `shared`, `iface`, or `top` for a file directly in src/. @param {string} file */
const area = (file) => {
  const parts = relative(src, file).split('/');
  return parts.length === 1 ? 'top' : parts[0];
};

test('p2 and p3 do not import each other; shared imports only shared', () => {
  const bad = [];
  let edges = 0;
  for (const file of jsFiles(src)) {
    for (const to of relativeImports(file)) {
      edges++;
      assert.ok(existsSync(to), `${relative(src, file)} imports ${relative(src, to)}, which does not exist`);
      const [a, b] = [area(file), area(to)];
      if ((a === 'p2' && b === 'p3') || (a === 'p3' && b === 'p2') || (a === 'shared' && b !== 'shared')) {
        bad.push(`${relative(src, file)} -> ${relative(src, to)}`);
      }
    }
  }
  assert.ok(edges > 50, `only ${edges} imports found: is the pattern still right?`);
  assert.deepEqual(bad, []);
});

test('package.json exports and imports name files that exist', () => {
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  /** @param {unknown} v @returns {string[]} */
  const targets = (v) => (typeof v === 'string' ? [v] : Object.values(/** @type {object} */ (v)).flatMap(targets));
  const all = [...targets(manifest.exports), ...targets(manifest.imports)];
  assert.ok(all.length >= 15);
  for (const t of all) {
    if (t.includes('*')) assert.ok(existsSync(join(pkg, t.slice(0, t.indexOf('*')))), t);
    else assert.ok(existsSync(join(pkg, t)), t);
  }
});
