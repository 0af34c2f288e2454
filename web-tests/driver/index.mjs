// The browsers web-tests/run.mjs drives, behind one small API, so that the runner and the
// playground's driver (web-tests/playground/drive.mjs) do not care which library drives
// which engine: Chromium through playwright-core (playwright.mjs), Firefox through
// puppeteer-core over WebDriver BiDi (puppeteer.mjs). Both are Debian's browsers, both
// libraries are installed by scripts/setup into $WEFT_CACHE; neither downloads anything.
//
//   const browser = await launch('firefox', { jspi: false, cache })
//   browser.version, browser.jspiSwitch          e.g. `Firefox 153.8.0`, how JSPI was set
//   const context = await browser.newContext({ viewport })   a fresh profile-like context
//   context.newPage(), .onConsole(cb), .onError(cb), .setOffline(bool),
//          .download(page, trigger) → { name, bytes }, .close()
//   page.goto(url), .url(), .evaluate(fn, arg), .waitForFunction(fn, arg, { timeout }),
//        .onConsole(cb(type, text)), .onError(cb(error)), .setViewport({ width, height }),
//        .screenshot(path), .close(), and what every frame has (frame.mjs): click, fill,
//        press, check, select, setInputFile, waitFor, text, read, count, isVisible, frame
//
// Page functions (`fn`) run in the page: self-contained, with one serializable `arg`.

/** The engines, with the binary each runs (an environment variable names another). */
export const ENGINES = {
  chromium: { driver: './playwright.mjs', executable: process.env.CHROMIUM ?? '/usr/bin/chromium' },
  firefox: { driver: './puppeteer.mjs', executable: process.env.FIREFOX ?? '/usr/bin/firefox-esr' },
};

/**
 * Starts `engine` headless, with JSPI (`WebAssembly.Suspending` and `.promising`) or, with
 * `jspi` false, as an engine without it (each driver says how in its header).
 */
export async function launch(engine, { jspi, cache }) {
  const { driver, executable } = ENGINES[engine] ?? {};
  if (!driver) throw new Error(`unknown engine ${JSON.stringify(engine)} (known: ${Object.keys(ENGINES).join(', ')})`);
  const { launch: start } = await import(driver);
  return start({ cache, executable, jspi });
}
