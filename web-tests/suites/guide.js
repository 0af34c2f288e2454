// A page of docs/guide.md as scripts/guide built it (target/guide/<page>/: the Vite app
// built with Vite 8 or 7, or the plain page with its import map), in an iframe: it shows
// what the Rust component (examples/guide/greeter) computed, and recomputes on input.
import { assert } from '../lib/assert.js';
import { params, test } from '../lib/test.js';

const page = params.get('page');
const frame = document.createElement('iframe');
frame.src = page;
const loaded = new Promise((ok) => frame.addEventListener('load', ok, { once: true }));
document.body.append(frame);
await loaded;
const doc = frame.contentDocument;
const $ = (selector) => doc.querySelector(selector);
const texts = (selector) => Array.from(doc.querySelectorAll(selector), (e) => e.textContent);

/** Waits until the page's module ran (it fills #parsed last). */
async function ran(ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (doc.querySelectorAll('#parsed li').length > 0) return;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`the page's module did not run: #greeting is ${JSON.stringify($('#greeting')?.textContent)}`);
}

/** Types `value` into the field `selector` (an `input` event, as typing sends). */
function type(selector, value) {
  const field = $(selector);
  field.value = value;
  field.dispatchEvent(new frame.contentWindow.Event('input'));
}

test('greet: the greeting, and a new one on input', async () => {
  await ran();
  assert.equal($('#greeting').textContent, 'Hello, Ada!');
  type('#name', 'Chromium');
  assert.equal($('#greeting').textContent, 'Hello, Chromium!');
});

test('topWords: a list of records as table rows', async () => {
  await ran();
  assert.deepEqual(texts('#words tr'), ['the3', 'rain3', 'in2', 'plain2']);
  type('#text', 'b a b c c c');
  assert.deepEqual(texts('#words tr'), ['c3', 'b2', 'a1']);
});

test('parseColor: ok values as swatches, err as a thrown ComponentError', async () => {
  await ran();
  assert.deepEqual(texts('#parsed li'), [
    '#e76f51 → { r: 231, g: 111, b: 81 }',
    '#2a9d8f → { r: 42, g: 157, b: 143 }',
    '#fc0 → { r: 255, g: 204, b: 0 }',
    'teal → ComponentError: "teal" does not start with #',
    '#12345 → ComponentError: "#12345" has 5 digits, not 3 or 6',
  ]);
  const swatches = Array.from(doc.querySelectorAll('#parsed .swatch'), (e) => frame.contentWindow.getComputedStyle(e).backgroundColor);
  assert.deepEqual(swatches, ['rgb(231, 111, 81)', 'rgb(42, 157, 143)', 'rgb(255, 204, 0)']);
  type('#colors', '#zzz');
  assert.deepEqual(texts('#parsed li'), ['#zzz → ComponentError: "#zzz" is not hexadecimal']);
});

test('the core module is fetched once, as its own .wasm file', async () => {
  await ran();
  const urls = frame.contentWindow.performance.getEntriesByType('resource').map((e) => e.name);
  const wasm = urls.filter((u) => /\.wasm(\?|$)/.test(u));
  assert.equal(wasm.length, 1, urls.join(', '));
  // Vite: a hashed asset; the plain page: weft transpile's file.
  assert.match(wasm[0], params.get('plain') ? /\/greeter\/greeter\.core\.wasm$/ : /\/assets\/greeter\.core-[\w-]+\.wasm$/);
});

if (params.get('plain')) {
  test('the import map resolved @weft/wasi/p2/* to the installed package', async () => {
    await ran();
    const urls = frame.contentWindow.performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
    const base = new URL('node_modules/@weft/wasi/src/iface/', new URL(page, location.href)).pathname;
    assert.ok(urls.includes(`${base}p2/cli/stderr.js`), urls.join(', '));
    assert.ok(urls.includes(`${base}p2-defaults-browser.js`), urls.join(', '));
  });
}
