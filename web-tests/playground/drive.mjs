// Drives the playground (playground/dist, served by web-tests/run.mjs at
// /playground/dist/) the way a person would: picks gallery examples, clicks Run, types
// WAVE arguments, pastes WAT, opens files, follows a shared link, stops a run, downloads
// the zip. Each check is a named test; screenshots of each view go to
// target/web-tests/screenshots/playground-*.png. Times are printed, never asserted.
// Pages are driven through web-tests/driver/ (any engine), elements found by targets
// (driver/frame.mjs: a selector, with text and containment filters).
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const here = new URL('.', import.meta.url);
const PASTED = readFileSync(new URL('pasted.wat', here), 'utf8');
const T = 60_000;

/** Text that is `s`, give or take white space around it (a button's or a tab's name). */
const exactly = (s) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
const button = (name) => ({ css: 'button', text: exactly(name) });
const tab = (name) => ({ css: '[role=tab]', text: exactly(name) });
/** The box of the export `name`. */
const fnBox = (name) => ({ css: '.export-fn', has: { css: '.sig b', text: new RegExp(`(^|#)${name}$`) } });

/**
 * `engine` and `jspi` say what the browser is: without JSPI, the page unticks and
 * disables its JSPI box, and a test that needs JSPI is skipped, with the reason.
 */
export default async function drive({ context, origin, test, screenshot, engine, jspi }) {
  const app = `${origin}/playground/dist/index.html`;
  const page = await context.newPage();
  const needsJspi = jspi ? undefined : `needs JSPI, which ${engine} without JSPI lacks`;

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
    if (await page.isVisible('#error')) throw new Error(`the page shows an error: ${await page.text('#error')}`);
  };
  const pick = async (id, name) => {
    await page.select('#gallery', id);
    await transpiled(name);
  };
  const run = () => page.click(button('▶ Run'));
  const terminal = () => page.text('#terminal');
  const runStatus = () => page.text('#run-status');
  const waitTerminal = (re) => page.waitForFunction((src) => new RegExp(src).test(document.getElementById('terminal').textContent), re.source, { timeout: T });
  const call = async (name, args) => {
    const box = fnBox(name);
    for (const [i, a] of args.entries()) await page.fill({ css: '.args input', within: box, nth: i }, a);
    await page.click({ ...button('Call'), within: box });
    return box;
  };
  const argCount = (name) => page.count({ css: '.args input', within: fnBox(name) });
  const resultOf = async (box, re) => {
    await page.waitFor({ css: '.result', within: box, text: re }, { timeout: T });
    return page.text({ css: '.result', within: box });
  };
  /**
   * Runs `f` with the JSPI box unticked, as a browser without JSPI (the run worker deletes
   * WebAssembly.Suspending), then ticks it again. In a browser without JSPI the box is
   * unticked and disabled already.
   */
  const withoutJspi = async (f) => {
    assert.equal(await page.read('#jspi', (el) => el.disabled), !jspi, `the JSPI box is ${jspi ? 'enabled' : 'disabled (no JSPI here)'}`);
    if (!jspi) {
      assert.equal(await page.read('#jspi', (el) => el.checked), false, 'the JSPI box is unticked (no JSPI here)');
      return f();
    }
    await page.check('#jspi', false);
    try {
      return await f();
    } finally {
      await page.check('#jspi');
    }
  };

  await test('first load: the hello example is transpiled, its WIT shown (navigation to first transpile printed)', async () => {
    const t0 = Date.now();
    await page.goto(app);
    await transpiled('hello');
    const ms = Date.now() - t0;
    console.log(`  playground: navigation to the first transpile of hello: ${ms} ms (transpile itself ${await page.read('#stats', (el) => el.getAttribute('data-ms'))} ms)`);
    const wit = await page.text('#view');
    assert.match(wit, /export greet: func\(name: string\) -> string;/);
    assert.match(await page.text('#stats'), /JS [\d.]+ KB \([\d.]+ KB gzip\) · (\d+ core modules? [\d.]+ KB|core modules inlined) · transpiled in \d+ ms/);
    await screenshot(page, 'playground-wit.png');
  });

  await test('the JS view shows the "use components" directive highlighted, the .d.ts and the files', async () => {
    await page.click(tab('JS'));
    assert.equal(await page.text('#view .tok-directive'), '"use components"');
    await screenshot(page, 'playground-js.png');
    await page.click(tab('.d.ts'));
    assert.match(await page.text('#view'), /declare function greet\(name: string\): string;/);
    await page.click(tab('Files'));
    assert.match(await page.text('#view'), /hello\.js.*bytes.*ES module/s);
    await page.click(tab('WIT'));
  });

  await test('hello: Run, then call exports with WAVE arguments; a bad argument is refused before the call', async () => {
    await run();
    await page.waitFor(fnBox('greet'), { timeout: T });
    assert.equal(await resultOf(await call('add', ['2', '40']), /42/), '42');
    assert.equal(await resultOf(await call('greet', ['"weft"']), /Hello/), '"Hello, weft!"');
    assert.equal(await resultOf(await call('sum', ['[1, 2, 3, 4294967295]']), /\d/), '4294967301');
    const box = await call('add', ['-1', '2']);
    assert.match(await page.text({ css: '.check', within: box }), /a: expected a u32/);
    assert.match(await page.read({ css: '.args input', within: box }, (el) => el.getAttribute('class')), /\bbad\b/);
    await screenshot(page, 'playground-exports.png');
  });

  await test('Record calls: the run\'s trace in the Trace tab as it happens, downloaded as a file weft replay runs', async () => {
    await page.click('#options-box summary');
    await page.check('#opt-record');
    await page.waitForFunction(() => window.playground.out?.options?.record === true, null, { timeout: T });
    await run();
    // The new run's panel (the last run's boxes are gone once it says so).
    await waitTerminal(/instantiated: call its exports/);
    await page.waitFor(fnBox('greet'), { timeout: T });
    assert.equal(await resultOf(await call('greet', ['"weft"']), /Hello/), '"Hello, weft!"');
    assert.equal(await resultOf(await call('add', ['2', '40']), /42/), '42');
    await page.click(tab('Trace'));
    await page.waitFor({ css: '#view', text: '> add(2, 40) -> 42' }, { timeout: T });
    const text = await page.text('#view');
    assert.match(text, /^Download trace 3 lines · replay in node: weft replay hello\.trace hello\.wat/);
    assert.match(text, /\/\/ weft trace 1; world \S+; component sha256:[0-9a-f]{64}\n> greet\("weft"\) -> "Hello, weft!"\n> add\(2, 40\) -> 42\n$/);
    await screenshot(page, 'playground-trace.png');
    const download = await context.download(page, () => page.click('#download-trace'), { timeout: T });
    assert.equal(download.name, 'hello.trace');
    assert.equal(download.bytes.toString('utf8'), text.slice(text.indexOf('//')));
    // A WASI 0.3 command recorded in the worker: its output is a stream the host reads.
    await pick('wasi-p3-streams', 'wasi-p3-streams');
    await run();
    await waitTerminal(/exit code \d+/);
    await page.waitFor({ css: '#view', text: '< stream #' }, { timeout: T });
    assert.match(await page.text('#view'), /> wasi:cli\/run@0\.3\.\d+#run\(\)[\s\S]*< wasi:cli\/stdout@0\.3\.\d+#write-via-stream\(#\d+\)[\s\S]*< stream #\d+: \[104, 101, 108, 108, 111/);
    await page.check('#opt-record', false);
    await page.waitForFunction(() => window.playground.out?.options?.record === undefined, null, { timeout: T });
    await page.click('#options-box summary');
    await page.click(tab('WIT'));
    await pick('hello', 'hello');
  });

  await test('pasted WAT: tuple and s64 arguments in WAVE, results in WAVE; Stop ends a call that never returns', async () => {
    await page.fill('#wat', PASTED);
    await page.waitForFunction(() => window.playground.out?.description?.exports.some((e) => e.name === 'sum-pair'), null, { timeout: T });
    await run();
    await page.waitFor(fnBox('sum-pair'), { timeout: T });
    assert.equal(await resultOf(await call('sum-pair', ['(40, 2)']), /\d/), '42');
    assert.equal(await resultOf(await call('negate', ['-9223372036854775807']), /\d/), '9223372036854775807');
    const spin = await call('spin', []);
    await new Promise((ok) => setTimeout(ok, 300));
    assert.equal(await page.read({ ...button('Call'), within: spin }, (el) => el.disabled), true, 'the call is still running');
    await page.click(button('■ Stop'));
    await page.waitFor({ css: '#run-status', text: 'stopped' }, { timeout: T });
    assert.match(await terminal(), /stopped after \d+ ms/);
    assert.equal(await page.read(button('■ Stop'), (el) => el.disabled), true);
  });

  await test('WASI 0.2 command: writes files, prints, exits 0; the directory after the run is listed', async () => {
    await pick('wasi-files', 'wasi-files');
    await run();
    await waitTerminal(/exit code \d+/);
    const out = await terminal();
    assert.match(out, /wrote and read 23 bytes\n[\s\S]*fs ok\n/);
    assert.match(out, /exit code 0/);
    await page.waitFor({ css: '.files', text: 'result.txt' }, { timeout: T });
    assert.match(await page.text('.files'), /notes\.txt/);
    await screenshot(page, 'playground-command.png');
  });

  await test('WASI 0.3 command: stdin and streams, output as the program writes it', async () => {
    await pick('wasi-p3-streams', 'wasi-p3-streams');
    await run();
    await waitTerminal(/exit code \d+/);
    const out = await terminal();
    assert.match(out, /^hello, world\ncancelled write: Cancelled, 23 bytes back\n/);
    assert.match(out, /exit code 0/);
  });

  await test('async exports (callback ABI): a stream result chunk by chunk, stream and future arguments, a future settling', async () => {
    await pick('async-exports', 'async-exports');
    await run();
    await page.waitFor(fnBox('echo'), { timeout: T });
    const echo = await call('echo', ['"hi"']);
    assert.match(await resultOf(echo, /hi/), /"hi"/);
    const n = await argCount('produce');
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

  await test('without JSPI (the JSPI box unticked: the run worker has no WebAssembly.Suspending): callback-ABI async exports still run', () =>
    withoutJspi(async () => {
      await run();
      await page.waitFor({ css: '#run-status', text: /^(running|failed)/ }, { timeout: T });
      assert.equal(await runStatus(), 'running (no JSPI)', await terminal());
      const box = await call('produce', Array(await argCount('produce')).fill('2'));
      assert.match(await resultOf(box, /end of stream/), /^stream:\n/);
      assert.equal(await resultOf(await call('sum-bytes', ['[7, 8]']), /\d/), '15');
    }),
  );

  await test(
    'cooperative threads with JSPI: spawned threads interleave and join; a chain of direct switches',
    async () => {
      await pick('threads', 'threads');
      await run();
      await page.waitFor(fnBox('spawn-join'), { timeout: T });
      assert.equal(await resultOf(await call('spawn-join', ['3', '2']), /\[/), '[1, 2, 3, 1, 2, 3]');
      assert.equal(await resultOf(await call('switch-chain', ['4']), /\[/), '[1, 2, 3, 4, 0]');
      await screenshot(page, 'playground-threads.png');
    },
    { skip: needsJspi },
  );

  await test('cooperative threads without JSPI: a call that suspends a thread traps, saying it needs JSPI', async () => {
    await pick('threads', 'threads');
    await withoutJspi(async () => {
      await run();
      await page.waitFor({ css: '#run-status', text: /^running \(no JSPI\)/ }, { timeout: T });
      const box = await call('spawn-join', ['2', '1']);
      assert.match(await resultOf(box, /JSPI/), /thread\.suspend.*needs JSPI/);
    });
  });

  await test('http handler: a request from the form gets the handler\'s response', async () => {
    await pick('http-handler', 'http-handler');
    await run();
    await page.waitFor({ css: '#run-status', text: /^(running|failed|trapped)/ }, { timeout: T });
    assert.equal(await runStatus(), jspi ? 'running' : 'running (no JSPI)', await terminal());
    await page.click(button('Send request'));
    await page.waitFor({ css: '.run-config .result', text: /^\d{3}/ }, { timeout: T });
    const text = await page.text('.run-config .result');
    assert.match(text, /^200\n/);
    assert.match(text, /\/hello\?x=1: SOME BODY$/);
    await screenshot(page, 'playground-http.png');
  });

  await test('DOM (webidl: imports): the todo page runs in the sandboxed frame and answers clicks', async () => {
    await pick('dom-todo', 'dom-todo');
    await run();
    await page.waitForFunction(() => /running/.test(document.getElementById('run-status').textContent), null, { timeout: T });
    const frame = await page.frame('#dom-frame');
    await frame.fill('#new-todo', 'Try the playground');
    await frame.press('#new-todo', 'Enter');
    await frame.waitFor({ css: '#list .text', text: 'Try the playground' }, { timeout: T });
    await frame.click('#list .text');
    await frame.waitFor('#list .item.done', { timeout: T });
    await screenshot(page, 'playground-dom.png');
  });

  await test('invalid bytes: the transpiler\'s message and the byte offset are shown', async () => {
    await page.setInputFile('#open', { name: 'broken.wasm', mimeType: 'application/wasm', buffer: Buffer.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff, 0xff]) });
    await page.waitFor('#error', { timeout: T });
    const text = await page.text('#error');
    assert.match(text, /broken\.wasm/);
    assert.match(text, /at byte offset \d+ \(0x[0-9a-f]+\)/);
    await screenshot(page, 'playground-error.png');
  });

  await test('a shared link brings back the component (edited WAT) and the options', async () => {
    await pick('hello', 'hello');
    await page.fill('#wat', PASTED);
    await page.waitForFunction(() => window.playground.out?.description?.exports.some((e) => e.name === 'sum-pair'), null, { timeout: T });
    await page.click('#options-box summary');
    await page.check('#opt-minify');
    await page.select('#opt-compat', 'jco');
    await page.waitForFunction(() => window.playground.out?.options?.minify === true && window.playground.out?.options?.compat === 'jco', null, { timeout: T });
    const js = await page.evaluate(() => new TextDecoder().decode(window.playground.out.files[`${window.playground.out.name}.js`]));
    await page.click(button('Share'));
    await page.waitForFunction(() => location.hash.includes('wat='), null, { timeout: T });
    const link = page.url();
    const other = await context.newPage();
    await other.goto(link);
    await other.waitForFunction(() => window.playground?.out?.description?.exports.some((e) => e.name === 'sum-pair'), null, { timeout: T });
    assert.equal(await other.read('#wat', (el) => el.value), PASTED);
    assert.equal(await other.read('#opt-minify', (el) => el.checked), true);
    assert.equal(await other.read('#opt-compat', (el) => el.value), 'jco');
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
      await run();
      await waitTerminal(/exit code \d+/);
      assert.match(await terminal(), /fs ok\n[\s\S]*exit code 0/);
    } finally {
      await context.setOffline(false);
    }
  });

  await test('Download .zip: the transpiled files, stored under the output name', async () => {
    const { bytes } = await context.download(page, () => page.click(button('Download .zip')), { timeout: T });
    assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'a zip local file header');
    // The central directory's entries: signature, 24 bytes, name length (u16) at 28, name at 46.
    const names = [];
    for (let at = bytes.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = bytes.indexOf('PK\x01\x02', at + 4, 'latin1')) {
      names.push(bytes.toString('utf8', at + 46, at + 46 + bytes.readUInt16LE(at + 28)));
    }
    assert.ok(names.some((n) => n.endsWith('.js')), `entries: ${names.join(', ')}`);
  });
}
