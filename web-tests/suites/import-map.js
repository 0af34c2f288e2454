// The wasi:cli hello program (target/wasi-programs/hello.wasm) as ES module output in a
// plain page, no bundler: web-tests/import-map/<page>.html maps the @weft/wasi specifiers
// and #p2-defaults with an import map (the maps npm/wasi/README.md documents) and runs
// the module the `out` parameter names; the page, in an iframe, must print what the
// program prints in node and exit with 0.
import { assert } from '../lib/assert.js';
import { params, test } from '../lib/test.js';

const page = params.get('page');
const out = params.get('out');
const frame = document.createElement('iframe');
frame.src = `/web-tests/import-map/${page}.html?out=${encodeURIComponent(out)}`;
const loaded = new Promise((ok) => frame.addEventListener('load', ok, { once: true }));
document.body.append(frame);
await loaded;

async function lines(ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (frame.contentWindow.weftLines) return JSON.parse(JSON.stringify(frame.contentWindow.weftLines));
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`the page did not finish; #out says: ${frame.contentDocument.querySelector('#out')?.textContent}`);
}

test(`${page}.html runs ${out} through its import map`, async () => {
  assert.deepEqual(await lines(), ['hello from wasi', 'exit 0']);
});
