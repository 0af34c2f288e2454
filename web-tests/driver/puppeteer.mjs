// The driver of Firefox: puppeteer-core ($WEFT_CACHE/puppeteer, scripts/setup) over
// WebDriver BiDi, Debian's /usr/bin/firefox-esr (no browser download; playwright-core
// drives only its own patched Firefox builds). Without JSPI, Firefox runs with the pref
// `javascript.options.wasm_js_promise_integration` false: no document or worker has
// `WebAssembly.Suspending` or `.promising`.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Frame, PageListeners } from './frame.mjs';

const JSPI_PREF = 'javascript.options.wasm_js_promise_integration';

/**
 * Errors Firefox reports to the console that no script left uncaught (WebDriver BiDi
 * gives them as `javascript` log entries, like uncaught ones; puppeteer as `pageerror`).
 * They go to the page's console messages instead of its errors:
 * - reading a `Response` whose body is a ReadableStream that errors: Firefox reports the
 *   stream's error even when the script handles the read's rejection.
 */
const CAUGHT_BUT_REPORTED = [/^Failed to read data from the ReadableStream: /];

export async function launch({ cache, executable, jspi }) {
  const require = createRequire(join(cache, 'puppeteer/'));
  let puppeteer;
  try {
    puppeteer = require('puppeteer-core');
  } catch (e) {
    throw new Error(`puppeteer-core is not installed in ${cache}/puppeteer (run scripts/setup): ${e.message}`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: executable,
    headless: true,
    // Playwright's default, so that both engines lay pages out alike.
    defaultViewport: { width: 1280, height: 720 },
    extraPrefsFirefox: jspi ? {} : { [JSPI_PREF]: false },
  });
  const version = (await browser.version()).replace(/^firefox\//, '');
  return {
    version: `Firefox ${version}`,
    jspiSwitch: jspi ? 'on (the default)' : `off: the pref ${JSPI_PREF} false`,
    async newContext({ viewport } = {}) {
      // A folder of the context's own: downloads/, where `download` finds them, and
      // uploads/, the files `setInputFile` chose (the page may read them later).
      const dir = mkdtempSync(join(tmpdir(), 'weft-web-firefox-'));
      mkdirSync(join(dir, 'uploads'));
      const downloadPath = join(dir, 'downloads');
      const context = await browser.createBrowserContext({ downloadBehavior: { policy: 'allow', downloadPath } });
      return new Context(context, dir, viewport);
    },
    close: () => browser.close(),
  };
}

class Context extends PageListeners {
  #context;
  #dir;
  #downloads;
  #viewport;
  #offline = false;

  constructor(context, dir, viewport) {
    super();
    this.#context = context;
    this.#dir = dir;
    this.#downloads = join(dir, 'downloads');
    this.#viewport = viewport;
  }

  async newPage() {
    const page = new Page(await this.#context.newPage(), join(this.#dir, 'uploads'));
    if (this.#viewport) await page.setViewport(this.#viewport);
    if (this.#offline) await page.page.setOfflineMode(true);
    return this.adopt(page);
  }

  /** Takes every page of the context off the network (BiDi network conditions), or back on. */
  async setOffline(offline) {
    this.#offline = offline;
    for (const p of this.pages) if (!p.page.isClosed()) await p.page.setOfflineMode(offline);
  }

  /**
   * Runs `trigger` and waits for the download it starts: `{ name, bytes }`, once the file
   * is complete in the context's download folder (Firefox writes `<name>.part` first).
   */
  async download(page, trigger, { timeout = 60_000 } = {}) {
    rmSync(this.#downloads, { recursive: true, force: true });
    mkdirSync(this.#downloads);
    await trigger();
    const deadline = Date.now() + timeout;
    for (;;) {
      const files = readdirSync(this.#downloads);
      const done = files.filter((f) => !f.endsWith('.part'));
      if (done.length > 0 && done.length === files.length) {
        if (done.length > 1) throw new Error(`one download expected, found ${done.join(', ')}`);
        return { name: done[0], bytes: readFileSync(join(this.#downloads, done[0])) };
      }
      if (Date.now() > deadline) throw new Error(`no download finished within ${timeout / 1000} s (found: ${files.join(', ') || 'nothing'})`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }

  async close() {
    await this.#context.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

class PuppeteerFrame extends Frame {
  constructor(frame, uploads) {
    super();
    /** The library's frame. */
    this.native = frame;
    /** Where the files chosen with setInputFile are written (the context's uploads/). */
    this.uploads = uploads;
  }

  _evaluate(fn, arg) {
    return this.native.evaluate(fn, arg);
  }

  _waitForFunction(fn, arg, timeout) {
    return this.native.waitForFunction(fn, { timeout, polling: 100 }, arg);
  }

  _evaluateOn(handle, fn, arg) {
    return handle.evaluate(fn, arg);
  }

  _click(handle) {
    return handle.asElement().click();
  }

  // Typing goes to the focused element, and Firefox does not let a script of a
  // cross-origin frame (the playground's sandboxed one) take the focus without a user's
  // gesture: the field is clicked first, as a person would, before keys go to it.
  async _fill(handle, text) {
    await handle.asElement().click();
    await handle.asElement().asLocator().fill(text);
  }

  async _press(handle, key) {
    await handle.asElement().click();
    await handle.asElement().press(key);
  }

  async _select(handle, value) {
    const picked = await handle.asElement().select(value);
    if (!picked.includes(value)) throw new Error(`no option with the value ${JSON.stringify(value)}`);
  }

  /**
   * BiDi chooses files by path: the bytes go to a file named `name` first, in a folder of
   * its own, kept until the context closes (the page reads the file when it likes).
   */
  async _setInputFile(handle, { name, buffer }) {
    const path = join(mkdtempSync(join(this.uploads, 'file-')), name);
    writeFileSync(path, buffer);
    await handle.asElement().uploadFile(path);
  }

  async _contentFrame(handle) {
    return new PuppeteerFrame(await handle.asElement().contentFrame(), this.uploads);
  }
}

class Page extends PuppeteerFrame {
  constructor(page, uploads) {
    super(page.mainFrame(), uploads);
    this.page = page;
  }

  goto(url) {
    return this.page.goto(url);
  }

  url() {
    return this.page.url();
  }

  #consoleListeners = [];

  onConsole(cb) {
    this.#consoleListeners.push(cb);
    this.page.on('console', (m) => cb(m.type(), m.text()));
  }

  onError(cb) {
    this.page.on('pageerror', (e) => {
      const error = e instanceof Error ? e : new Error(String(e));
      if (!CAUGHT_BUT_REPORTED.some((re) => re.test(error.message))) return cb(error);
      for (const log of this.#consoleListeners) log('error', `${error.message} (reported by Firefox, not uncaught)`);
    });
  }

  setViewport(size) {
    return this.page.setViewport(size);
  }

  screenshot(path) {
    return this.page.screenshot({ path });
  }

  close() {
    return this.page.close();
  }
}
