// What web-tests/driver/ offers for a page or a frame in it, the same over every driver
// library: elements are found by *targets* (plain data, resolved in the page by
// `locate` below) and acted on as a person would (click, type, tick, pick, press). The
// library modules (playwright.mjs, puppeteer.mjs) subclass `Frame` with a few
// primitives; everything that picks elements is here, once.
//
// A target is a CSS selector, or an object:
//   { css,          the elements to consider (required)
//     text,         only those whose textContent includes this string or matches this RegExp
//     has,          only those holding an element that matches this target
//     within,       look only inside the element this target finds
//     nth }         the nth of what is left (default 0, the first)
// Actions and `waitFor` consider visible elements only (what a person could act on);
// `setInputFile`, `text`, `read` and `count` consider every element.

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The element `target` names, or null; `visible`: consider only visible elements. Runs
 * in the page: self-contained, its arguments plain data (see `wire`).
 * @param {{ target: object, visible: boolean, all?: boolean }} query
 */
function locate({ target, visible, all }) {
  const textOk = (el, text) =>
    text === undefined || ('source' in text ? new RegExp(text.source, text.flags).test(el.textContent) : el.textContent.includes(text.includes));
  const shown = (el) => el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0;
  const find = (t, root) => {
    const scopes = t.within ? find(t.within, root).slice(0, 1) : [root];
    return scopes
      .flatMap((scope) => [...scope.querySelectorAll(t.css)])
      .filter((el) => textOk(el, t.text) && (!t.has || find(t.has, el).length > 0) && (!visible || shown(el)));
  };
  const found = find(target, document);
  if (all) return found.length;
  return found[target.nth ?? 0] ?? null;
}

/** A target as plain data for the page: a selector string becomes `{ css }`, a RegExp `{ source, flags }`. */
function wire(target) {
  if (typeof target === 'string') return { css: target };
  const { css, text, has, within, nth } = target;
  return {
    css,
    nth,
    text: text === undefined ? undefined : text instanceof RegExp ? { source: text.source, flags: text.flags } : { includes: String(text) },
    has: has === undefined ? undefined : wire(has),
    within: within === undefined ? undefined : wire(within),
  };
}

/** A target in a message: its selector and filters. */
function describe(target) {
  if (typeof target === 'string') return target;
  const parts = [target.css];
  if (target.text !== undefined) parts.push(`text ${target.text}`);
  if (target.has) parts.push(`has (${describe(target.has)})`);
  if (target.within) parts.push(`within (${describe(target.within)})`);
  if (target.nth) parts.push(`nth ${target.nth}`);
  return parts.join(', ');
}

/**
 * What every driver's context does with its pages: keeps them, and gives each one the
 * console and error listeners registered on the context, before or after it was made.
 * Subclasses make a page and hand it to `adopt`.
 */
export class PageListeners {
  #listeners = [];
  /** The pages made so far. */
  pages = [];

  /** Keeps `page` and gives it the listeners registered so far; returns it. */
  adopt(page) {
    this.pages.push(page);
    for (const [event, cb] of this.#listeners) page[event](cb);
    return page;
  }

  /** `cb(type, text)` for every console message of the context's pages (made with newPage). */
  onConsole(cb) {
    this.#listeners.push(['onConsole', cb]);
    for (const p of this.pages) p.onConsole(cb);
  }

  /** `cb(error)` for every uncaught error (or crash) of the context's pages. */
  onError(cb) {
    this.#listeners.push(['onError', cb]);
    for (const p of this.pages) p.onError(cb);
  }
}

/**
 * A page or an iframe's frame. Subclasses implement the primitives (`_`-prefixed) over
 * their library's handles.
 */
export class Frame {
  /** Runs `fn(arg)` in the frame; its (serializable) result. */
  evaluate(fn, arg) {
    return this._evaluate(fn, arg);
  }

  /** Waits until `fn(arg)` is truthy in the frame (polled every 100 ms). */
  async waitForFunction(fn, arg, { timeout = DEFAULT_TIMEOUT_MS } = {}) {
    await this._waitForFunction(fn, arg, timeout);
  }

  /** The library's handle of the element `target` names, once there (and visible, unless `visible` is false). */
  async _find(target, { visible = true, timeout = DEFAULT_TIMEOUT_MS } = {}) {
    try {
      return await this._waitForFunction(locate, { target: wire(target), visible }, timeout);
    } catch (e) {
      throw new Error(`no ${visible ? 'visible ' : ''}element for ${describe(target)} within ${timeout / 1000} s (${e.message.split('\n')[0]})`);
    }
  }

  /** Waits until an element matches `target` (and is visible, unless `visible` is false). */
  async waitFor(target, options) {
    await this._find(target, options);
  }

  async click(target) {
    await this._click(await this._find(target));
  }

  /** Replaces the value of a text field, as a paste would (an `input` event). */
  async fill(target, text) {
    await this._fill(await this._find(target), text);
  }

  /** Presses `key` (a name such as `Enter`) with the element focused. */
  async press(target, key) {
    await this._press(await this._find(target), key);
  }

  /** Ticks (or with `on` false, unticks) a checkbox by clicking it when it is not so already. */
  async check(target, on = true) {
    const el = await this._find(target);
    if ((await this._evaluateOn(el, (e) => e.checked)) === on) return;
    await this._click(el);
    if ((await this._evaluateOn(el, (e) => e.checked)) !== on) throw new Error(`clicking ${describe(target)} did not ${on ? 'tick' : 'untick'} it`);
  }

  /** Picks the option whose value is `value` in a `<select>`. */
  async select(target, value) {
    await this._select(await this._find(target), value);
  }

  /** Chooses a file `{ name, mimeType, buffer }` in an `<input type=file>` (which may be hidden). */
  async setInputFile(target, file) {
    await this._setInputFile(await this._find(target, { visible: false }), file);
  }

  /** The textContent of the element, once there. */
  async text(target) {
    return this.read(target, (el) => el.textContent);
  }

  /** `fn(element, arg)` run in the page on the element, once there (visible or not). */
  async read(target, fn, arg) {
    return this._evaluateOn(await this._find(target, { visible: false }), fn, arg);
  }

  /** How many elements match `target` now (no waiting). */
  count(target) {
    return this._evaluate(locate, { target: wire(target), visible: false, all: true });
  }

  /** Whether an element matching `target` is visible now (no waiting). */
  async isVisible(target) {
    return (await this._evaluate(locate, { target: wire(target), visible: true, all: true })) > 0;
  }

  /** The frame of the `<iframe>` that `target` names (same or other origin). */
  async frame(target) {
    return this._contentFrame(await this._find(target, { visible: false }));
  }
}
