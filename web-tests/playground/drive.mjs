// Drives the playground (playground/dist, served by web-tests/run.mjs at
// /playground/dist/) the way a person would: picks gallery examples, clicks Run, types
// WAVE arguments, pastes WAT, opens files, follows a shared link, stops a run, downloads
// the zip. Each check is a named test; screenshots of each view go to
// target/web-tests/screenshots/playground-*.png. Times are printed, never asserted.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const here = new URL('.', import.meta.url);
const PASTED = readFileSync(new URL('pasted.wat', here), 'utf8');
const T = 60_000;

export default async function drive({ context, origin, test, screenshot }) {
  const app = `${origin}/playground/dist/index.html`;
  const page = await context.newPage();

  /** Waits until the input `name` (its file's stem) is loaded and its transpile
   * finished: the stats line shows it, or an error shows (the page hides the previous
   * input's error before it switches inputs). */
  const transpiled = async (name) => {
    await page.waitForFunction(
      (n) => {
        const p = window.playground;
        if (p?.input?.name?.replace(/\.\w+$/, '') !== n) return false;
        return (p.out?.name === n && document.getElementById('stats').textContent.includes('transpiled in')) || !document.getElementById('error').hidden;
      },
      name,
      { timeout: T },
    );
    const error = await page.locator('#error').isVisible();
    if (error) throw new Error(`the page shows an error: ${await page.locator('#error').textContent()}`);
  };
  const pick = async (id, name) => {
    await page.selectOption('#gallery', id);
    await transpiled(name);
  };
  const terminal = () => page.locator('#terminal').textContent();
  const waitTerminal = (re) => page.waitForFunction((src) => new RegExp(src).test(document.getElementById('terminal').textContent), re.source, { timeout: T });
  const fnBox = (name) => page.locator('.export-fn', { has: page.locator('.sig b', { hasText: new RegExp(`(^|#)${name}$`) }) });
  const call = async (name, args) => {
    const box = fnBox(name);
    const inputs = box.locator('.args input');
    for (const [i, a] of args.entries()) await inputs.nth(i).fill(a);
    await box.getByRole('button', { name: 'Call' }).click();
    return box;
  };
  const resultOf = async (box, re) => {
    const out = box.locator('.result');
    await out.filter({ hasText: re }).waitFor({ timeout: T });
    return out.textContent();
  };

  await test('first load: the hello example is transpiled, its WIT shown (navigation to first transpile printed)', async () => {
    const t0 = Date.now();
    await page.goto(app);
    await transpiled('hello');
    const ms = Date.now() - t0;
    console.log(`  playground: navigation to the first transpile of hello: ${ms} ms (transpile itself ${await page.locator('#stats').getAttribute('data-ms')} ms)`);
    const wit = await page.locator('#view').textContent();
    assert.match(wit, /export greet: func\(name: string\) -> string;/);
    assert.match(await page.locator('#stats').textContent(), /JS [\d.]+ KB \([\d.]+ KB gzip\) · (\d+ core modules? [\d.]+ KB|core modules inlined) · transpiled in \d+ ms/);
    await screenshot(page, 'playground-wit.png');
  });

  await test('the JS view shows the "use components" directive highlighted, the .d.ts and the files', async () => {
    await page.getByRole('tab', { name: 'JS' }).click();
    assert.equal(await page.locator('#view .tok-directive').first().textContent(), '"use components"');
    await screenshot(page, 'playground-js.png');
    await page.getByRole('tab', { name: '.d.ts' }).click();
    assert.match(await page.locator('#view').textContent(), /declare function greet\(name: string\): string;/);
    await page.getByRole('tab', { name: 'Files' }).click();
    assert.match(await page.locator('#view').textContent(), /hello\.js.*bytes.*ES module/s);
    await page.getByRole('tab', { name: 'WIT' }).click();
  });

  await test('hello: Run, then call exports with WAVE arguments; a bad argument is refused before the call', async () => {
    await page.getByRole('button', { name: '▶ Run' }).click();
    await fnBox('greet').waitFor({ timeout: T });
    assert.equal(await resultOf(await call('add', ['2', '40']), /42/), '42');
    assert.equal(await resultOf(await call('greet', ['"weft"']), /Hello/), '"Hello, weft!"');
    assert.equal(await resultOf(await call('sum', ['[1, 2, 3, 4294967295]']), /\d/), '4294967301');
    const box = await call('add', ['-1', '2']);
    assert.match(await box.locator('.check').textContent(), /a: expected a u32/);
    assert.match(await box.locator('.args input').first().getAttribute('class'), /\bbad\b/);
    await screenshot(page, 'playground-exports.png');
  });

  await test('Record calls: the run\'s trace in the Trace tab as it happens, downloaded as a file weft replay runs', async () => {
    await page.locator('#options-box summary').click();
    await page.locator('#opt-record').check();
    await page.waitForFunction(() => window.playground.out?.options?.record === true, null, { timeout: T });
    await page.getByRole('button', { name: '▶ Run' }).click();
    // The new run's panel (the last run's boxes are gone once it says so).
    await waitTerminal(/instantiated: call its exports/);
    await fnBox('greet').waitFor({ timeout: T });
    assert.equal(await resultOf(await call('greet', ['"weft"']), /Hello/), '"Hello, weft!"');
    assert.equal(await resultOf(await call('add', ['2', '40']), /42/), '42');
    await page.getByRole('tab', { name: 'Trace' }).click();
    await page.locator('#view', { hasText: '> add(2, 40) -> 42' }).waitFor({ timeout: T });
    const text = await page.locator('#view').textContent();
    assert.match(text, /^Download trace 3 lines · replay in node: weft replay hello\.trace hello\.wat/);
    assert.match(text, /\/\/ weft trace 1; world \S+; component sha256:[0-9a-f]{64}\n> greet\("weft"\) -> "Hello, weft!"\n> add\(2, 40\) -> 42\n$/);
    await screenshot(page, 'playground-trace.png');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.locator('#download-trace').click()]);
    assert.equal(download.suggestedFilename(), 'hello.trace');
    assert.equal(readFileSync(await download.path(), 'utf8'), text.slice(text.indexOf('//')));
    // A WASI 0.3 command recorded in the worker: its output is a stream the host reads.
    await pick('wasi-p3-streams', 'wasi-p3-streams');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await waitTerminal(/exit code \d+/);
    await page.locator('#view', { hasText: '< stream #' }).waitFor({ timeout: T });
    assert.match(await page.locator('#view').textContent(), /> wasi:cli\/run@0\.3\.\d+#run\(\)[\s\S]*< wasi:cli\/stdout@0\.3\.\d+#write-via-stream\(#\d+\)[\s\S]*< stream #\d+: \[104, 101, 108, 108, 111/);
    await page.locator('#opt-record').uncheck();
    await page.waitForFunction(() => window.playground.out?.options?.record === undefined, null, { timeout: T });
    await page.locator('#options-box summary').click();
    await page.getByRole('tab', { name: 'WIT' }).click();
    await pick('hello', 'hello');
  });

  await test('pasted WAT: tuple and s64 arguments in WAVE, results in WAVE; Stop ends a call that never returns', async () => {
    await page.locator('#wat').fill(PASTED);
    await page.waitForFunction(() => window.playground.out?.description?.exports.some((e) => e.name === 'sum-pair'), null, { timeout: T });
    await page.getByRole('button', { name: '▶ Run' }).click();
    await fnBox('sum-pair').waitFor({ timeout: T });
    assert.equal(await resultOf(await call('sum-pair', ['(40, 2)']), /\d/), '42');
    assert.equal(await resultOf(await call('negate', ['-9223372036854775807']), /\d/), '9223372036854775807');
    const spin = await call('spin', []);
    await page.waitForTimeout(300);
    assert.equal(await spin.getByRole('button', { name: 'Call' }).isDisabled(), true, 'the call is still running');
    await page.getByRole('button', { name: '■ Stop' }).click();
    await page.locator('#run-status', { hasText: 'stopped' }).waitFor({ timeout: T });
    assert.match(await terminal(), /stopped after \d+ ms/);
    assert.equal(await page.getByRole('button', { name: '■ Stop' }).isDisabled(), true);
  });

  await test('WASI 0.2 command: writes files, prints, exits 0; the directory after the run is listed', async () => {
    await pick('wasi-files', 'wasi-files');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await waitTerminal(/exit code \d+/);
    const out = await terminal();
    assert.match(out, /wrote and read 23 bytes\n[\s\S]*fs ok\n/);
    assert.match(out, /exit code 0/);
    await page.locator('.files', { hasText: 'result.txt' }).waitFor({ timeout: T });
    assert.match(await page.locator('.files').textContent(), /notes\.txt/);
    await screenshot(page, 'playground-command.png');
  });

  await test('WASI 0.3 command: stdin and streams, output as the program writes it', async () => {
    await pick('wasi-p3-streams', 'wasi-p3-streams');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await waitTerminal(/exit code \d+/);
    const out = await terminal();
    assert.match(out, /^hello, world\ncancelled write: Cancelled, 23 bytes back\n/);
    assert.match(out, /exit code 0/);
  });

  await test('async exports (callback ABI): a stream result chunk by chunk, stream and future arguments, a future settling', async () => {
    await pick('async-exports', 'async-exports');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await fnBox('echo').waitFor({ timeout: T });
    const echo = await call('echo', ['"hi"']);
    assert.match(await resultOf(echo, /hi/), /"hi"/);
    const produce = fnBox('produce');
    const n = await produce.locator('.args input').count();
    const args = n === 1 ? ['3'] : Array(n).fill('3');
    const box = await call('produce', args);
    const text = await resultOf(box, /end of stream/);
    assert.match(text, /^stream:\n/);
    // A stream<u8> parameter is written as a list<u8>, a future<string> one as a string.
    assert.equal(await resultOf(await call('sum-bytes', ['[1, 2, 250]']), /\d/), '253');
    assert.equal(await resultOf(await call('echo-future', ['"later"']), /later/), '"later"');
    assert.equal(await resultOf(await call('make-future', ['"soon"']), /resolved/), 'future resolved: "soon"');
    await screenshot(page, 'playground-async.png');
  });

  await test('without JSPI (the JSPI box unticked: the run worker has no WebAssembly.Suspending): callback-ABI async exports still run', async () => {
    await page.locator('#jspi').uncheck();
    try {
      await page.getByRole('button', { name: '▶ Run' }).click();
      await page.locator('#run-status', { hasText: /^(running|failed)/ }).waitFor({ timeout: T });
      assert.equal(await page.locator('#run-status').textContent(), 'running (no JSPI)', await terminal());
      const box = await call('produce', Array(await fnBox('produce').locator('.args input').count()).fill('2'));
      assert.match(await resultOf(box, /end of stream/), /^stream:\n/);
      assert.equal(await resultOf(await call('sum-bytes', ['[7, 8]']), /\d/), '15');
    } finally {
      await page.locator('#jspi').check();
    }
  });

  await test('cooperative threads: spawned threads interleave and join; a chain of direct switches; without JSPI, the trap', async () => {
    await pick('threads', 'threads');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await fnBox('spawn-join').waitFor({ timeout: T });
    assert.equal(await resultOf(await call('spawn-join', ['3', '2']), /\[/), '[1, 2, 3, 1, 2, 3]');
    assert.equal(await resultOf(await call('switch-chain', ['4']), /\[/), '[1, 2, 3, 4, 0]');
    await screenshot(page, 'playground-threads.png');
    await page.locator('#jspi').uncheck();
    try {
      await page.getByRole('button', { name: '▶ Run' }).click();
      await page.locator('#run-status', { hasText: /^running \(no JSPI\)/ }).waitFor({ timeout: T });
      const box = await call('spawn-join', ['2', '1']);
      assert.match(await resultOf(box, /JSPI/), /thread\.suspend.*needs JSPI/);
    } finally {
      await page.locator('#jspi').check();
    }
  });

  await test('http handler: a request from the form gets the handler\'s response', async () => {
    await pick('http-handler', 'http-handler');
    await page.getByRole('button', { name: '▶ Run' }).click();
    await page.locator('#run-status', { hasText: /^(running|failed|trapped)/ }).waitFor({ timeout: T });
    assert.equal(await page.locator('#run-status').textContent(), 'running', await terminal());
    await page.getByRole('button', { name: 'Send request' }).click();
    const out = page.locator('.run-config .result');
    await out.filter({ hasText: /^\d{3}/ }).waitFor({ timeout: T });
    const text = await out.textContent();
    assert.match(text, /^200\n/);
    assert.match(text, /\/hello\?x=1: SOME BODY$/);
    await screenshot(page, 'playground-http.png');
  });

  await test('DOM (webidl: imports): the todo page runs in the sandboxed frame and answers clicks', async () => {
    await pick('dom-todo', 'dom-todo');
    await page.getByRole('button', { name: '▶ Run' }).click();
    const frame = page.frameLocator('#dom-frame');
    const input = frame.locator('#new-todo');
    await page.waitForFunction(() => /running/.test(document.getElementById('run-status').textContent), null, { timeout: T });
    await input.fill('Try the playground');
    await input.press('Enter');
    await frame.locator('#list .text', { hasText: 'Try the playground' }).waitFor({ timeout: T });
    await frame.locator('#list .text').first().click();
    await frame.locator('#list .item.done').waitFor({ timeout: T });
    await screenshot(page, 'playground-dom.png');
  });

  await test('invalid bytes: the transpiler\'s message and the byte offset are shown', async () => {
    await page.locator('#open').setInputFiles({ name: 'broken.wasm', mimeType: 'application/wasm', buffer: Buffer.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff, 0xff]) });
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible', timeout: T });
    const text = await error.textContent();
    assert.match(text, /broken\.wasm/);
    assert.match(text, /at byte offset \d+ \(0x[0-9a-f]+\)/);
    await screenshot(page, 'playground-error.png');
  });

  await test('a shared link brings back the component (edited WAT) and the options', async () => {
    await pick('hello', 'hello');
    await page.locator('#wat').fill(PASTED);
    await page.waitForFunction(() => window.playground.out?.description?.exports.some((e) => e.name === 'sum-pair'), null, { timeout: T });
    await page.locator('#options-box summary').click();
    await page.locator('#opt-minify').check();
    await page.locator('#opt-compat').selectOption('jco');
    await page.waitForFunction(() => window.playground.out?.options?.minify === true && window.playground.out?.options?.compat === 'jco', null, { timeout: T });
    const js = await page.evaluate(() => new TextDecoder().decode(window.playground.out.files[`${window.playground.out.name}.js`]));
    await page.getByRole('button', { name: 'Share' }).click();
    await page.waitForFunction(() => location.hash.includes('wat='), null, { timeout: T });
    const link = page.url();
    const other = await context.newPage();
    await other.goto(link);
    await other.waitForFunction(() => window.playground?.out?.description?.exports.some((e) => e.name === 'sum-pair'), null, { timeout: T });
    assert.equal(await other.locator('#wat').inputValue(), PASTED);
    assert.equal(await other.locator('#opt-minify').isChecked(), true);
    assert.equal(await other.locator('#opt-compat').inputValue(), 'jco');
    const js2 = await other.evaluate(() => new TextDecoder().decode(window.playground.out.files[`${window.playground.out.name}.js`]));
    assert.equal(js2, js);
    await other.close();
  });

  await test('offline once loaded: with the network gone, the page reloads, transpiles and runs a command', async () => {
    assert.equal(await page.evaluate(() => window.playground.offline), true, 'the service worker is active');
    await context.setOffline(true);
    try {
      await page.goto(app);
      await transpiled('hello');
      await pick('wasi-files', 'wasi-files');
      await page.getByRole('button', { name: '▶ Run' }).click();
      await waitTerminal(/exit code \d+/);
      assert.match(await terminal(), /fs ok\n[\s\S]*exit code 0/);
    } finally {
      await context.setOffline(false);
    }
  });

  await test('Download .zip: the transpiled files, stored under the output name', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: T }), page.getByRole('button', { name: 'Download .zip' }).click()]);
    const path = await download.path();
    const bytes = readFileSync(path);
    assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'a zip local file header');
    // The central directory's entries: signature, 24 bytes, name length (u16) at 28, name at 46.
    const names = [];
    for (let at = bytes.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = bytes.indexOf('PK\x01\x02', at + 4, 'latin1')) {
      names.push(bytes.toString('utf8', at + 46, at + 46 + bytes.readUInt16LE(at + 28)));
    }
    assert.ok(names.some((n) => n.endsWith('.js')), `entries: ${names.join(', ')}`);
  });
}
