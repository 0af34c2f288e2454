// The driver of Chromium: playwright-core ($WEFT_CACHE/playwright, scripts/setup) over
// the Chrome DevTools Protocol, Debian's /usr/bin/chromium (no browser download). Without
// JSPI, every context's pages and frames lose `WebAssembly.Suspending` and `.promising`
// before their first script runs (Chromium has no switch to turn JSPI off); workers keep
// them (playwright has no init script for workers).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Frame, PageListeners } from './frame.mjs';

const ARGS = [
  '--headless',
  // CI runs as root, where Chromium's sandbox cannot start.
  '--no-sandbox',
  '--disable-gpu',
  // Off the network: no update checks, no component downloads, no sync.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What the no-JSPI configuration runs in every document before its scripts. */
const REMOVE_JSPI = 'delete WebAssembly.Suspending; delete WebAssembly.promising;';

export async function launch({ cache, executable, jspi }) {
  const require = createRequire(join(cache, 'playwright/'));
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    throw new Error(`playwright-core is not installed in ${cache}/playwright (run scripts/setup): ${e.message}`);
  }
  const browser = await chromium.launch({ executablePath: executable, args: ARGS });
  return {
    version: `Chromium ${browser.version()}`,
    jspiSwitch: jspi ? 'on (shipped)' : 'off: WebAssembly.Suspending and .promising deleted in every document before its scripts (an init script)',
    async newContext({ viewport } = {}) {
      const context = await browser.newContext(viewport ? { viewport } : {});
      if (!jspi) await context.addInitScript(REMOVE_JSPI);
      return new Context(context);
    },
    close: () => browser.close(),
  };
}

class Context extends PageListeners {
  #context;

  constructor(context) {
    super();
    this.#context = context;
  }

  async newPage() {
    return this.adopt(new Page(await this.#context.newPage()));
  }

  setOffline(offline) {
    return this.#context.setOffline(offline);
  }

  /** Runs `trigger` and waits for the download it starts in `page`: `{ name, bytes }`. */
  async download(page, trigger, { timeout = 60_000 } = {}) {
    const [download] = await Promise.all([page.page.waitForEvent('download', { timeout }), trigger()]);
    return { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
  }

  close() {
    return this.#context.close();
  }
}

class PlaywrightFrame extends Frame {
  constructor(frame) {
    super();
    /** The library's frame. */
    this.native = frame;
  }

  _evaluate(fn, arg) {
    return this.native.evaluate(fn, arg);
  }

  _waitForFunction(fn, arg, timeout) {
    return this.native.waitForFunction(fn, arg, { timeout, polling: 100 });
  }

  _evaluateOn(handle, fn, arg) {
    return handle.evaluate(fn, arg);
  }

  _click(handle) {
    return handle.asElement().click();
  }

  _fill(handle, text) {
    return handle.asElement().fill(text);
  }

  _press(handle, key) {
    return handle.asElement().press(key);
  }

  async _select(handle, value) {
    await handle.asElement().selectOption(value);
  }

  _setInputFile(handle, file) {
    return handle.asElement().setInputFiles(file);
  }

  async _contentFrame(handle) {
    return new PlaywrightFrame(await handle.asElement().contentFrame());
  }
}

class Page extends PlaywrightFrame {
  constructor(page) {
    super(page.mainFrame());
    this.page = page;
  }

  goto(url) {
    return this.page.goto(url);
  }

  url() {
    return this.page.url();
  }

  onConsole(cb) {
    this.page.on('console', (m) => cb(m.type(), m.text()));
  }

  onError(cb) {
    this.page.on('pageerror', cb);
    this.page.on('crash', () => cb(new Error('the page crashed')));
  }

  setViewport(size) {
    return this.page.setViewportSize(size);
  }

  screenshot(path) {
    return this.page.screenshot({ path });
  }

  close() {
    return this.page.close();
  }
}
