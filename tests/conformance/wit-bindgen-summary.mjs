// Reads `wit-bindgen test` output (stdin) and the expected failures file; prints the
// failing cases that were not expected, the listed ones that passed, and ends with
// `wit-bindgen: N passed, M failed` (M counts only unexpected failures). Exit code 1
// when anything was unexpected or no case ran.
import { readFileSync } from 'node:fs';

const [expectedFile, label = 'wit-bindgen', markdown] = process.argv.slice(2);
const expected = new Map(
  readFileSync(expectedFile, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t'))
    .map(([name, why]) => [name.trim(), why]),
);
const text = readFileSync(0, 'utf8');
const runtime = text.slice(text.indexOf('=== Running runtime tests ==='));
const cases = [...runtime.matchAll(/^test (.+?) +\.\.\. (ok|FAILED)$/gm)].map((m) => [m[1].trim(), m[2] === 'ok']);
const unexpected = cases.filter(([n, ok]) => !ok && !expected.has(n)).map(([n]) => n);
const stale = cases.filter(([n, ok]) => ok && expected.has(n)).map(([n]) => n);
const passed = cases.filter(([, ok]) => ok).length;
const expectedFailures = cases.filter(([n, ok]) => !ok && expected.has(n)).length;
if (unexpected.length) console.log(`unexpected failures:\n  ${unexpected.join('\n  ')}`);
if (stale.length) console.log(`listed as failing but passing (remove from the list):\n  ${stale.join('\n  ')}`);
console.log(`expected failures: ${expectedFailures} (listed in ${expectedFile.split('/').pop()})`);
console.log(`${label}: ${passed} passed, ${unexpected.length} failed`);
if (markdown) {
  const { appendFileSync } = await import('node:fs');
  appendFileSync(
    markdown,
    [
      `### ${label}`,
      '',
      `**${passed} passed, ${unexpected.length} failed** of ${cases.length} cases; ${expectedFailures} expected failures:`,
      '',
      ...cases.filter(([, ok]) => !ok).map(([n]) => n).sort().map((n) => `- \`${n}\`: ${expected.get(n) ?? 'UNEXPECTED'}`),
      '',
    ].join('\n') + '\n',
  );
}
process.exitCode = unexpected.length || stale.length || cases.length === 0 ? 1 : 0;
