// Transpiles a component with the @weft/transpiler API and runs it in node:
//   node main.mjs hello.wasm [out-dir]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpile } from '@weft/transpiler';

const input = process.argv[2] ?? 'hello.wasm';
const outDir = resolve(process.argv[3] ?? 'out');

const { files, imports, exports } = await transpile(new Uint8Array(readFileSync(input)), { name: 'hello' });
mkdirSync(outDir, { recursive: true });
for (const [name, bytes] of files instanceof Map ? files : Object.entries(files)) writeFileSync(join(outDir, name), bytes);
console.log(`transpiled ${input}: ${Object.keys(files instanceof Map ? Object.fromEntries(files) : files).sort().join(', ')}`);
if (imports.length || exports.length) console.log(`imports: ${imports.join(', ') || '-'}; exports: ${exports.join(', ') || '-'}`);

const { add, greet, sum } = await import(pathToFileURL(join(outDir, 'hello.js')).href);
console.log(`add(2, 40) = ${add(2, 40)}`);
console.log(`greet("weft") = ${JSON.stringify(greet('weft'))}`);
console.log(`sum([1, 2, 3, 4294967295]) = ${sum([1, 2, 3, 4294967295])}`);
