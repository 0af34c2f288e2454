// The page of the DOM benchmark (bench/dom/run.mjs drives it): one variant per page,
// `?variant=floor` (bench/dom/floor.js) or `?module=URL` (a transpiled guest: its
// exports `run`, `runLots`, `add`, `update`, `clear`, `swapRows`, `select(id)`,
// `remove(id)`). `window.__step(setup, op, row)` runs the `setup` operations, then
// times `op`: its script time (the call) and the call plus a forced style and layout
// (`document.body.offsetHeight`), and returns both with a summary of the table for the
// runner to compare between variants.
const params = new URLSearchParams(location.search);
const tbody = document.getElementById('tbody');

async function load() {
  if (params.get('variant') === 'floor') {
    const { App } = await import('./floor.js');
    return new App(document);
  }
  return import(params.get('module'));
}

/** FNV-1a of a string. */
function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/** What must be the same after an operation in every variant. */
function summary() {
  const rows = tbody.rows;
  const texts = [];
  let selected = [];
  for (let i = 0; i < rows.length; i++) {
    const tr = rows[i];
    texts.push(`${tr.cells[0].textContent}:${tr.cells[1].textContent}`);
    if (tr.className === 'danger') selected.push(i);
  }
  const pick = (i) => (i >= 0 && i < texts.length ? texts[i] : null);
  return {
    rows: rows.length,
    labels: [pick(0), pick(1), pick(2), pick(10), pick(998), pick(rows.length - 1)],
    selected,
    hash: hash(texts.join('\n')),
    markup: rows.length ? rows[0].outerHTML.replace(/>[^<]*</g, '><') : null,
  };
}

/** The id shown in row `i`. */
function idOfRow(i) {
  return Number(tbody.rows[i].cells[0].textContent);
}

try {
  const app = await load();
  const call = (op, arg) => (arg === undefined ? app[op]() : app[op](arg));
  window.__step = (setup, op, row) => {
    for (const s of setup) call(s);
    void document.body.offsetHeight;
    globalThis.gc?.();
    const arg = row === undefined ? undefined : idOfRow(row);
    const t0 = performance.now();
    call(op, arg);
    const t1 = performance.now();
    void document.body.offsetHeight;
    const t2 = performance.now();
    return { script: t1 - t0, total: t2 - t0, summary: summary() };
  };
  window.__ready = { crossOriginIsolated: globalThis.crossOriginIsolated === true };
} catch (e) {
  window.__ready = { error: `${e?.name ?? 'Error'}: ${e?.message ?? e}` };
}
