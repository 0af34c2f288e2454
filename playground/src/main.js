// The playground page: pick or open a component (or edit WAT), transpile it in a
// worker (transpile-worker.js, the wasm build of weft), look at its WIT, JS, .d.ts and
// files, and run it: commands and libraries in a worker (run-worker.js), components
// that use the DOM through webidl: imports in a sandboxed frame (dom-frame.js). The
// state lives in the URL (state.js).
import { renderInto } from './highlight.js';
import { optionsPanel } from './options.js';
import { commandPanel, download, exportsPanel, httpPanel } from './panels.js';
import { Runner } from './runner.js';
import { decodeState, encodeState, gzipSize } from './state.js';
import { Transpiler } from './transpiler.js';
import { zip } from './zip.js';

const $ = (id) => document.getElementById(id);
const ui = {
  gallery: $('gallery'), open: $('open'), wat: $('wat'), binary: $('binary'), blurb: $('blurb'),
  sourceInfo: $('source-info'), view: $('view'), stats: $('stats'), error: $('error'),
  transpile: $('transpile'), run: $('run'), stop: $('stop'), share: $('share'), download: $('download'),
  runConfig: $('run-config'), terminal: $('terminal'), runTitle: $('run-title'), runStatus: $('run-status'),
  frame: $('dom-frame'), drop: $('drop'), jspi: $('jspi'), tabs: [...document.querySelectorAll('.tabs [data-view]')],
};

const transpiler = new Transpiler();
const runner = new Runner({ terminal: ui.terminal, frame: ui.frame, status: ui.runStatus, onStop: () => setRunning(false) });
runner.onTrace = (line) => traceLine(line);
const options = optionsPanel($('options'), () => transpileNow());

/** What the page shows: the input, the last transpile, the chosen view. */
const page = {
  examples: [],
  /** { name, example?, wat?: string, bytes?: Uint8Array } */
  input: null,
  /** { files, description, wit, ms, error } of the last transpile */
  out: null,
  view: 'wit',
  /** The lines of the last run's trace (a transpile with "Record calls"). */
  trace: [],
  config: null,
  kind: null,
};
window.playground = page; // for the tests and the curious

async function main() {
  if (typeof WebAssembly.Suspending !== 'function') {
    ui.jspi.checked = false;
    ui.jspi.disabled = true;
    ui.jspi.parentElement.title = 'This browser has no JSPI: sync and callback-ABI async components run; a call that needs JSPI traps, saying so';
  }
  page.examples = await (await fetch('./examples/examples.json')).json();
  for (const ex of page.examples) ui.gallery.append(new Option(ex.title, ex.id));
  ui.gallery.append(new Option('Your component', 'custom'));
  let state = {};
  try {
    state = await decodeState(location.hash);
  } catch (e) {
    showError(e.message);
  }
  options.write(state.options);
  if (state.bytes) await load({ name: 'component.wasm', bytes: state.bytes }, state);
  else if (state.wat !== undefined) await load({ name: 'component.wat', wat: state.wat }, state);
  else await loadExample(page.examples.find((e) => e.id === state.example) ?? page.examples[0], state);
}

async function loadExample(ex, state = {}) {
  const res = await fetch(`./examples/${ex.file}`);
  if (!res.ok) throw new Error(`examples/${ex.file}: ${res.status}`);
  const input = ex.wat ? { wat: await res.text() } : { bytes: new Uint8Array(await res.arrayBuffer()) };
  await load({ name: ex.file, example: ex, ...input }, state);
}

/** Shows a new input and transpiles it; `state` may carry the run configuration. */
async function load(input, state = {}) {
  runner.stop();
  hideError();
  page.input = input;
  page.kind = null;
  page.state = state;
  ui.gallery.value = input.example?.id ?? 'custom';
  ui.blurb.textContent = input.example?.blurb ?? 'Your component. Transpile options are below; run it with ▶ Run.';
  ui.wat.hidden = input.wat === undefined;
  ui.binary.hidden = input.wat !== undefined;
  if (input.wat !== undefined) ui.wat.value = input.wat;
  else ui.binary.textContent = `${input.name}: a binary component of ${input.bytes.length.toLocaleString('en')} bytes`;
  ui.sourceInfo.textContent = input.name;
  await transpileNow();
}

/** The transpiler's input: the WAT as edited, or the bytes. */
function currentInput() {
  const { input } = page;
  if (input.wat !== undefined) return { data: ui.wat.value, wat: true };
  return { data: input.bytes, wat: false };
}

async function transpileOptions() {
  const o = options.read();
  const stem = page.input.name.replace(/\.(wasm|wat)$/, '').replace(/[^\w-]/g, '-') || 'component';
  const extra = { inputName: page.input.name, name: o.name || stem };
  if (page.needsWebidl) extra.webidl = await transpiler.webidlFiles();
  return { ...o, ...extra };
}

let generation = 0;
/** Transpiles the current input with the panel's options; shows the result. */
async function transpileNow() {
  if (!page.input) return;
  const mine = ++generation;
  ui.transpile.disabled = true;
  try {
    const { data, wat } = currentInput();
    const { result: description } = await transpiler.call('describe', data, { inputName: page.input.name, wat });
    page.needsWebidl = description.imports.some((i) => i.startsWith('webidl:'));
    const opts = { ...(await transpileOptions()), wat };
    const [out, witText] = await Promise.all([transpiler.call('transpile', data, opts), transpiler.call('wit', data, { inputName: page.input.name, wat })]);
    if (mine !== generation) return;
    page.out = { files: out.result.files, warnings: out.result.warnings, ms: out.ms, wit: witText.result, description, name: opts.name, options: opts, input: { data, wat } };
    hideError();
    await showStats();
    configureRun(description);
  } catch (e) {
    if (mine !== generation) return;
    page.out = null;
    showError(e.message);
    ui.stats.textContent = '';
    resetRun('The component does not transpile: the error is on the right.');
  } finally {
    if (mine === generation) ui.transpile.disabled = false;
    ui.download.disabled = !page.out;
    showView(page.view);
  }
}

async function showStats() {
  const { files, name, ms } = page.out;
  const js = files[`${name}.js`];
  const core = Object.entries(files).filter(([n]) => n.endsWith('.wasm'));
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const coreBytes = core.reduce((s, [, b]) => s + b.length, 0);
  const coreText = core.length ? `${core.length} core module${core.length === 1 ? '' : 's'} ${kb(coreBytes)}` : 'core modules inlined';
  ui.stats.textContent = `JS ${kb(js.length)} (${kb(await gzipSize(js))} gzip) · ${coreText} · transpiled in ${ms.toFixed(0)} ms`;
  ui.stats.dataset.ms = String(ms);
}

function showView(view) {
  page.view = view;
  for (const t of ui.tabs) t.setAttribute('aria-selected', String(t.dataset.view === view));
  if (view === 'trace') return void showTrace();
  const out = page.out;
  if (!out) return void ui.view.replaceChildren();
  if (view === 'files') return void showFiles(out);
  const file = { js: `${out.name}.js`, dts: `${out.name}.d.ts` }[view];
  if (view === 'wit') return void renderInto(ui.view, out.wit, 'wit');
  const bytes = out.files[file];
  if (!bytes) return void (ui.view.textContent = view === 'dts' ? 'No .d.ts: the "Emit .d.ts" option is off.' : '');
  renderInto(ui.view, new TextDecoder().decode(bytes), 'js');
}

/**
 * The Trace view: the last run's trace (docs/record-replay.md), with a download; or how
 * to get one. `weft replay` runs the downloaded file in node.
 */
function showTrace() {
  if (page.trace.length === 0) {
    const recording = page.out?.options.record === true;
    ui.view.textContent = recording
      ? 'Run the component: each call across its boundary shows here as it happens, one line in WAVE.'
      : 'Tick "Record calls" in the transpile options, then Run: each call across the component\'s boundary shows here, in WAVE, and downloads as a trace that `weft replay` runs in node.';
    return;
  }
  const text = `${page.trace.join('\n')}\n`;
  const save = Object.assign(document.createElement('button'), { textContent: 'Download trace', id: 'download-trace' });
  save.addEventListener('click', () => download(`${page.out?.name ?? 'component'}.trace`, new TextEncoder().encode(text), 'text/plain'));
  const info = Object.assign(document.createElement('span'), {
    className: 'muted',
    textContent: ` ${page.trace.length} lines · replay in node: weft replay ${page.out?.name ?? 'component'}.trace ${page.input?.name ?? 'component.wasm'}`,
  });
  const bar = Object.assign(document.createElement('div'), { className: 'trace-bar' });
  bar.append(save, info);
  ui.view.replaceChildren(bar, text);
}

let traceFrame = 0;
/** A line of the running component's trace: kept, and shown at the next frame. */
function traceLine(line) {
  page.trace.push(line);
  if (page.view !== 'trace' || traceFrame) return;
  traceFrame = requestAnimationFrame(() => {
    traceFrame = 0;
    if (page.view === 'trace') showTrace();
  });
}

function showFiles(out) {
  const table = document.createElement('table');
  table.className = 'files-view';
  for (const [name, bytes] of Object.entries(out.files)) {
    const tr = table.insertRow();
    const a = Object.assign(document.createElement('a'), { href: '#', textContent: name });
    a.addEventListener('click', (e) => {
      e.preventDefault();
      download(name, bytes);
    });
    tr.insertCell().append(a);
    tr.insertCell().textContent = `${bytes.length.toLocaleString('en')} bytes`;
    tr.insertCell().textContent = name.endsWith('.wasm') ? 'core module' : name.endsWith('.d.ts') ? 'TypeScript declarations' : 'ES module';
  }
  const warnings = out.warnings.map((w) => `warning: ${w}`).join('\n');
  ui.view.replaceChildren(table, warnings ? Object.assign(document.createElement('p'), { textContent: warnings }) : '');
}

/** The kind of component, from what it exports and imports. */
function kindOf(d) {
  if (d.imports.some((i) => i.startsWith('webidl:'))) return 'dom';
  const names = d.exports.map((e) => e.interface ?? '');
  if (names.some((n) => n.startsWith('wasi:cli/run@'))) return 'command';
  if (names.some((n) => n.startsWith('wasi:http/incoming-handler@') || n.startsWith('wasi:http/handler@'))) return 'http';
  return 'library';
}

/** No run configuration (the input does not transpile); `why` says so. */
function resetRun(why) {
  runner.stop();
  page.kind = null;
  page.run = null;
  page.config = null;
  ui.runTitle.textContent = 'Output';
  ui.frame.hidden = true;
  ui.terminal.hidden = false;
  runner.clear();
  ui.runConfig.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: why }));
}

/** The run panel for this component (kept while only the options change). */
function configureRun(description) {
  const kind = kindOf(description);
  const p3 = [...description.imports, ...description.exports.map((e) => e.interface ?? '')].some((n) => /^wasi:.*@0\.3\./.test(n));
  const key = `${kind}:${description.world}:${description.exports.length}`;
  page.run = { kind, p3, description };
  if (page.kind === key) return;
  page.kind = key;
  const ex = page.input.example ?? {};
  const st = page.state ?? {};
  ui.runTitle.textContent = { command: 'Terminal', library: 'Output', http: 'Server log', dom: 'The component’s page' }[kind];
  ui.frame.hidden = kind !== 'dom';
  ui.terminal.hidden = kind === 'dom';
  if (kind === 'command') {
    const files = Object.fromEntries(Object.entries(ex.files ?? {}).map(([n, t]) => [n, new TextEncoder().encode(t)]));
    page.config = commandPanel(ui.runConfig, { args: st.args ?? ex.args ?? [page.input.name.replace(/\.\w+$/, '')], env: ex.env ?? {}, stdin: st.stdin ?? ex.stdin ?? '', preopen: ex.preopen, files });
  } else if (kind === 'library') {
    page.config = null;
    ui.runConfig.replaceChildren();
    ui.runConfig.append(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'Press ▶ Run to instantiate the component; then call its exports here.' }));
  } else if (kind === 'http') {
    page.config = httpPanel(ui.runConfig, ex.request, (rq) => runner.request(rq));
    page.config.setEnabled(false);
  } else {
    page.config = null;
    ui.runConfig.replaceChildren(Object.assign(document.createElement('p'), { className: 'muted', textContent: 'This component imports Web APIs (webidl:): ▶ Run opens its page in the frame below, bound to the DOM.' }));
  }
}

function setRunning(on) {
  ui.stop.disabled = !on;
  ui.run.disabled = false;
}

/**
 * The files a run instantiates: the `--instantiation` output of the transpile `out`
 * (its own files when it is that already; else transpiled once more from the same input
 * with the same options, kept on `out` for the next run).
 */
async function runFiles(out) {
  if (out.options.instantiation === 'async') return out.files;
  if (!out.runFiles) {
    const { map: _, ...o } = out.options;
    const { data, wat } = out.input;
    out.runFiles = (await transpiler.call('transpile', data, { ...o, instantiation: 'async', typescript: false, tlaCompat: false, wat })).result.files;
  }
  return out.runFiles;
}

/** Runs the last transpile's component, as its kind says. */
async function run() {
  runner.stop();
  runner.clear('preparing…');
  if (!page.out) await transpileNow();
  if (!page.out || !page.run) return;
  const { kind, p3, description } = page.run;
  const { out } = page;
  const files = await runFiles(out);
  const config = page.config?.read?.() ?? {};
  ui.run.disabled = true;
  const jspi = ui.jspi.checked;
  page.trace = [];
  if (page.view === 'trace') showTrace();
  const record = out.options.record === true;
  const starting = runner.start({ files, main: `${out.name}.js`, kind, p3, jspi, record, imports: description.imports, html: page.input.example?.html, ...config });
  setRunning(true); // after start(), which stops the previous run
  const started = await starting;
  ui.run.disabled = false;
  if (!started) return;
  if (kind === 'library') {
    exportsPanel(ui.runConfig, description, (fn, values, sink) => runner.call(fn, values, sink));
    runner.note('instantiated: call its exports on the left; each result shows under its call, traps here too');
  }
  if (kind === 'http') page.config.setEnabled(true);
  if (kind === 'command') {
    const exit = await runner.exited;
    if (exit) page.config.showAfter(exit.tree);
  }
}

function showError(message) {
  ui.error.hidden = false;
  ui.error.replaceChildren(message);
  const m = /offset (0x[0-9a-f]+|\d+)/i.exec(message);
  if (m) {
    const off = Number(m[1]);
    const badge = Object.assign(document.createElement('div'), { className: 'offset', textContent: `at byte offset ${off} (0x${off.toString(16)})` });
    ui.error.append(badge);
  }
}
const hideError = () => (ui.error.hidden = true);

async function share() {
  const { input } = page;
  let opts;
  try {
    opts = options.read();
  } catch (e) {
    return void showError(e.message);
  }
  const state = { options: opts };
  if (input.example && (input.wat === undefined || ui.wat.value === input.wat)) state.example = input.example.id;
  else if (input.wat !== undefined) state.wat = ui.wat.value;
  else state.bytes = input.bytes;
  const cfg = page.config?.read?.();
  if (cfg?.args) state.args = cfg.args;
  if (cfg?.stdin) state.stdin = cfg.stdin;
  const hash = await encodeState(state);
  history.replaceState(null, '', hash);
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    flash(ui.share, 'Link copied');
  } catch {
    flash(ui.share, 'Link in the address bar');
  }
  return url;
}

function flash(button, text) {
  const old = button.textContent;
  button.textContent = text;
  setTimeout(() => (button.textContent = old), 1500);
}

function downloadZip() {
  if (!page.out) return;
  const entries = Object.entries(page.out.files).map(([n, b]) => [`${page.out.name}/${n}`, b]);
  download(`${page.out.name}.zip`, zip(entries), 'application/zip');
}

async function openFile(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const isWat = file.name.endsWith('.wat') || (bytes[0] !== 0 && /^\s*\(/.test(new TextDecoder().decode(bytes.subarray(0, 64))));
  if (isWat) await load({ name: file.name, wat: new TextDecoder().decode(bytes) });
  else await load({ name: file.name, bytes });
}

// --- events ----------------------------------------------------------------------------

ui.gallery.addEventListener('change', () => {
  const ex = page.examples.find((e) => e.id === ui.gallery.value);
  if (ex) loadExample(ex).catch((e) => showError(e.message));
});
ui.open.addEventListener('change', () => ui.open.files[0] && openFile(ui.open.files[0]));
ui.transpile.addEventListener('click', () => transpileNow());
ui.run.addEventListener('click', () => run().catch((e) => showError(e.message)));
ui.stop.addEventListener('click', () => runner.stop('stopped'));
ui.share.addEventListener('click', () => share());
ui.download.addEventListener('click', downloadZip);
for (const t of ui.tabs) t.addEventListener('click', () => showView(t.dataset.view));
let watTimer;
ui.wat.addEventListener('input', () => {
  clearTimeout(watTimer);
  watTimer = setTimeout(() => transpileNow(), 400);
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run().catch((err) => showError(err.message));
  }
});
let dragDepth = 0;
document.addEventListener('dragenter', (e) => {
  e.preventDefault();
  dragDepth++;
  ui.drop.hidden = false;
});
document.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) ui.drop.hidden = true;
});
document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  dragDepth = 0;
  ui.drop.hidden = true;
  const file = e.dataTransfer?.files?.[0];
  if (file) openFile(file);
});

page.ready = main().catch((e) => showError(e.message));
// Offline once loaded (public/sw.js keeps every file of the build); registered after the
// first transpile so it never delays it. Not in the dev server, whose files change.
page.offline = page.ready.then(async () => {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return false;
  await navigator.serviceWorker.register('./sw.js');
  await navigator.serviceWorker.ready;
  return true;
});
