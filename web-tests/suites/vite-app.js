// An app of npm/examples (vite-app: Vite 8, vite7-app: Vite 7) as `vite build` made it
// (scripts/build-examples), `app` the dist/ directory, or from its Vite's dev server
// (`dev=1`, `app` where the runner mounted it): the page, in an iframe, runs
// examples/hello through the weft plugin's output and shows the same lines as
// examples/hello/run.mjs in node (the runner writes those to /out/hello-expected.json),
// plus a second instance made with the default export and a third with `?instantiate`.
import { assert } from '../lib/assert.js';
import { params, test } from '../lib/test.js';

const app = params.get('app') ?? '/npm/examples/vite-app/dist/';
const expected = await (await fetch('/out/hello-expected.json')).json();

const frame = document.createElement('iframe');
frame.src = new URL('index.html', new URL(app, location.href)).href;
const loaded = new Promise((ok) => frame.addEventListener('load', ok, { once: true }));
document.body.append(frame);
await loaded;

/** Waits for the app's `window.weftLines` (set once the component ran). */
async function lines(ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // A copy in this realm (the iframe's arrays have another Array.prototype).
    if (frame.contentWindow.weftLines) return JSON.parse(JSON.stringify(frame.contentWindow.weftLines));
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`the app did not finish; #out says: ${frame.contentDocument.querySelector('#out')?.textContent}`);
}

test('the built page shows the same lines as node', async () => {
  const got = await lines();
  assert.deepEqual(got.slice(0, 3), expected);
  assert.equal(expected.length, 3);
  assert.equal(frame.contentDocument.querySelector('#out').textContent, got.join('\n'));
});

test('default export: a second instance', async () => {
  assert.equal((await lines())[3], 'a second instance: add(1, 2) = 3');
});

test('?instantiate: a third instance', async () => {
  assert.equal((await lines())[4], '?instantiate: greet("again") = "Hello, again!"');
});

if (params.get('dev') === '1') {
  test('dev server: core modules inlined, none fetched', async () => {
    await lines();
    const urls = Array.from(frame.contentWindow.performance.getEntriesByType('resource'), (e) => e.name);
    // The component itself is fetched as JS modules (`hello.wasm?import&weft-esm`, ...).
    assert.ok(urls.some((n) => /hello\.wasm\?import&weft-esm$/.test(n)), urls.join(', '));
    assert.deepEqual(urls.filter((n) => /\.core[\w.-]*\.wasm/.test(n)), [], urls.join(', '));
  });
} else {
  test('the core module is one hashed asset, served as application/wasm', async () => {
    await lines();
    const urls = frame.contentWindow.performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm'));
    const wasm = [...new Set(urls)].map((name) => ({ name }));
    assert.equal(wasm.length, 1, urls.join(', '));
    assert.match(wasm[0].name, /\/assets\/hello\.core-[\w-]+\.wasm$/);
    const response = await fetch(wasm[0].name);
    assert.equal(response.headers.get('content-type'), 'application/wasm');
    const bytes = new Uint8Array(await response.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 8)], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  });

  test('no JS of the app mentions node: modules except behind the node check', async () => {
    const scripts = [...frame.contentDocument.querySelectorAll('script[src]')];
    assert.equal(scripts.length, 1);
    const js = await (await fetch(scripts[0].src)).text();
    assert.ok(!/^\s*import\s[^;]*from\s*["']node:/m.test(js), 'a static node: import');
  });
}
