// The transpile options panel: every option of `weft transpile` (the JS API's names),
// read back as an object holding only what differs from the defaults (what the URL
// keeps and what `transpile()` gets).

/** [key, label, kind, default, extra] */
const FIELDS = [
  ['name', 'Output name', 'text', '', 'default: the input name'],
  ['instantiation', 'Instantiation', 'select', '', [['', 'ES module (default)'], ['async', '--instantiation async'], ['sync', '--instantiation sync']]],
  ['compat', 'Value shapes', 'select', 'native', [['native', 'native (CM Explainer)'], ['jco', 'jco 1.35 (--compat jco)']]],
  ['base64Cutoff', 'Inline core modules below', 'number', 4096, 'bytes'],
  ['typescript', 'Emit .d.ts', 'checkbox', true],
  ['minify', 'Minify', 'checkbox', false],
  ['record', 'Record calls (--record: the Trace tab)', 'checkbox', false],
  ['tlaCompat', 'No top-level await (--tla-compat)', 'checkbox', false],
  ['webidlMissing', 'A WebIDL member the browser lacks', 'select', 'error', [['error', 'fails instantiation'], ['trap', 'traps when called']]],
  ['map', 'Import map (from=to per line)', 'lines', '', 'wasi:*=@weft/wasi/p2/*.js'],
  ['asyncImports', 'Async imports (JSPI), one per line', 'lines', '', 'wasi:io/poll#poll'],
  ['asyncExports', 'Async exports (JSPI), one per line', 'lines', '', 'run'],
  ['maxInstances', 'Max instances', 'number', 10000],
  ['maxNesting', 'Max nesting', 'number', 100],
  ['maxCodeSize', 'Max code size (bytes)', 'number', 67108864],
];

/** Builds the panel into `form`; `onChange()` runs after each edit. */
export function optionsPanel(form, onChange) {
  const inputs = new Map();
  for (const [key, label, kind, def, extra] of FIELDS) {
    const id = `opt-${key}`;
    const l = Object.assign(document.createElement('label'), { htmlFor: id, textContent: label });
    let input;
    if (kind === 'select') {
      input = document.createElement('select');
      for (const [value, text] of extra) input.append(new Option(text, value));
      input.value = def;
    } else if (kind === 'lines') {
      input = document.createElement('textarea');
      input.placeholder = extra;
      input.rows = 2;
    } else {
      input = document.createElement('input');
      input.type = kind;
      if (kind === 'checkbox') input.checked = def;
      else {
        input.placeholder = kind === 'number' ? String(def) : extra ?? '';
        if (kind === 'number') input.min = '0';
      }
    }
    input.id = id;
    input.name = key;
    input.addEventListener('change', onChange);
    inputs.set(key, input);
    if (kind === 'lines') {
      l.className = 'wide';
      input.className = 'wide';
    }
    form.append(l, input);
  }
  return {
    /** The options that differ from the defaults. */
    read() {
      const out = {};
      for (const [key, , kind, def] of FIELDS) {
        const input = inputs.get(key);
        if (kind === 'checkbox') {
          if (input.checked !== def) out[key] = input.checked;
        } else if (kind === 'number') {
          if (input.value.trim() !== '') out[key] = Number(input.value);
        } else if (kind === 'lines') {
          const lines = input.value.split('\n').map((s) => s.trim()).filter(Boolean);
          if (!lines.length) continue;
          out[key] = key === 'map' ? lines.map((l) => splitMap(l)) : lines;
        } else if (input.value !== def) {
          out[key] = input.value;
        }
      }
      if (out.instantiation === '') delete out.instantiation;
      return out;
    },
    /** Sets the panel from an options object (missing keys: defaults). */
    write(options = {}) {
      for (const [key, , kind, def] of FIELDS) {
        const input = inputs.get(key);
        const v = options[key];
        if (kind === 'checkbox') input.checked = v ?? def;
        else if (kind === 'number') input.value = v === undefined ? '' : String(v);
        else if (kind === 'lines') input.value = (v ?? []).map((x) => (Array.isArray(x) ? x.join('=') : x)).join('\n');
        else input.value = v ?? def;
      }
    },
  };
}

/** `from=to` → [from, to]; a line without `=` is an error naming it. */
function splitMap(line) {
  const i = line.indexOf('=');
  if (i < 0) throw new Error(`import map: the line \`${line}\` has no \`=\` (write FROM=TO, as --map takes it)`);
  return [line.slice(0, i).trim(), line.slice(i + 1).trim()];
}
