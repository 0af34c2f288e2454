// The run configuration beside the input, one panel per kind of component:
// - command (exports wasi:cli/run): arguments, environment, stdin, the preopened
//   directory's files (added before the run, downloaded after);
// - library: one form per exported function, arguments in WAVE checked against the WIT
//   type before the call, results in WAVE (streams chunk by chunk, futures once settled);
// - http (exports wasi:http's handler): a request form;
// - dom (imports webidl:): nothing to configure, the page runs in the frame.
import { WaveError, example, formatValue, parseValue, witType, writable } from './wave.js';

const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
};

function row(label, input) {
  const id = `rc-${label.toLowerCase().replace(/\W+/g, '-')}`;
  input.id = id;
  return el('div', { className: 'row' }, el('label', { htmlFor: id, textContent: label }), input);
}

/** The command panel. `files`: name → Uint8Array, the preopen's initial contents. */
export function commandPanel(root, { args = [], env = {}, stdin = '', preopen, files = {} }, onChange) {
  const argsIn = el('input', { type: 'text', value: args.map(quote).join(' '), spellcheck: false });
  const envIn = el('textarea', { value: Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n'), rows: 2, placeholder: 'NAME=value per line', spellcheck: false });
  const stdinIn = el('textarea', { value: stdin, rows: 3, placeholder: 'what the program reads from stdin', spellcheck: false });
  const preIn = el('input', { type: 'text', value: preopen ?? '', placeholder: 'no directory (e.g. /data)', spellcheck: false });
  for (const i of [argsIn, envIn, stdinIn, preIn]) i.addEventListener('change', () => onChange?.());
  const tree = new Map(Object.entries(files));
  const table = el('table');
  const add = el('input', { type: 'file', multiple: true, hidden: true });
  const addLabel = el('label', { className: 'button', textContent: 'Add files…' }, add);
  add.addEventListener('change', async () => {
    for (const f of add.files) tree.set(f.name, new Uint8Array(await f.arrayBuffer()));
    add.value = '';
    drawFiles();
  });
  function drawFiles(after) {
    table.replaceChildren();
    const rows = after ? flatten(after) : [...tree];
    if (!rows.length) table.append(el('tr', {}, el('td', { className: 'muted', textContent: 'no files' })));
    for (const [name, bytes] of rows) {
      const link = el('a', { href: '#', textContent: name, title: after ? 'download' : '' });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        download(name.split('/').pop(), bytes);
      });
      const remove = el('button', { textContent: '×', title: 'remove', hidden: Boolean(after) });
      remove.addEventListener('click', () => {
        tree.delete(name);
        drawFiles();
      });
      table.append(el('tr', {}, el('td', {}, link), el('td', { className: 'size', textContent: `${bytes.length} B` }), el('td', {}, remove)));
    }
  }
  drawFiles();
  const filesTitle = el('h2', { textContent: 'Files in the directory' });
  root.replaceChildren(
    el('h2', { textContent: 'Command' }),
    row('Arguments', argsIn),
    row('Environment', envIn),
    row('Stdin', stdinIn),
    row('Directory', preIn),
    filesTitle,
    el('div', { className: 'files' }, table, addLabel),
  );
  return {
    read() {
      return {
        args: splitArgs(argsIn.value),
        env: Object.fromEntries(envIn.value.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
        stdin: stdinIn.value,
        preopen: preIn.value.trim() || undefined,
        tree: Object.fromEntries(tree),
      };
    },
    /** After a run: the directory as the program left it (downloadable). */
    showAfter(treeAfter) {
      filesTitle.textContent = 'Files after the run (click to download)';
      drawFiles(treeAfter ?? {});
    },
  };
}

/** The library panel: a form per exported function. `call(fn, values, sink)` runs one. */
export function exportsPanel(root, description, call) {
  root.replaceChildren(el('h2', { textContent: `Exports of ${description.world}` }));
  const fns = description.exports;
  if (fns.length > 6) {
    const filter = el('input', { type: 'search', placeholder: `filter ${fns.length} functions`, className: 'export-filter' });
    filter.addEventListener('input', () => {
      for (const box of root.querySelectorAll('.export-fn')) box.hidden = !box.dataset.name.includes(filter.value.trim());
    });
    root.append(filter);
  }
  for (const fn of fns) root.append(functionForm(fn, call));
  if (description.other.length) {
    root.append(el('p', { className: 'muted', textContent: `Also exported (resources, not callable from here): ${description.other.join(', ')}` }));
  }
  if (!fns.length) root.append(el('p', { className: 'muted', textContent: 'This component exports no functions.' }));
}

/**
 * How a parameter is written: a `stream<T>` parameter as the `list<T>` of its items (one
 * chunk, for `stream<u8>`), a `future<T>` one as its value; other types as themselves.
 * Returns the type to parse and the conversion to the JS value the export takes.
 */
function paramForm(type) {
  if (type.kind === 'stream' && type.type && writable(type.type)) {
    return { type: { kind: 'list', element: type.type }, toJs: (v) => (type.type.kind === 'u8' ? [v] : [...v]) };
  }
  if (type.kind === 'future' && type.type && writable(type.type)) return { type: type.type, toJs: (v) => v };
  return { type, toJs: (v) => v };
}

function functionForm(fn, call) {
  const full = fn.interface ? `${fn.interface}#${fn.name}` : fn.name;
  const sig = el('div', { className: 'sig mono' });
  sig.append(el('b', { textContent: full }), `: ${fn.async ? 'async ' : ''}func(${fn.params.map((p) => `${p.name}: ${witType(p.type)}`).join(', ')})${fn.result ? ` -> ${witType(fn.result)}` : ''}`);
  const forms = fn.params.map((p) => paramForm(p.type));
  const inputs = forms.map(({ type }, i) => {
    const note = type === fn.params[i].type ? '' : ` (written as ${witType(type)})`;
    return el('input', { type: 'text', value: example(type) ?? '', spellcheck: false, className: 'mono', disabled: !writable(type), title: `${witType(fn.params[i].type)}${note}` });
  });
  const args = el('div', { className: 'args' });
  fn.params.forEach((p, i) => args.append(el('label', { textContent: p.name }), inputs[i]));
  const button = el('button', { textContent: 'Call' });
  const check = el('span', { className: 'check' });
  const result = el('pre', { className: 'result mono' });
  const canCall = forms.every((f) => writable(f.type));
  if (!canCall) check.textContent = 'a parameter is a resource (or holds one): not callable from WAVE';
  button.disabled = !canCall;
  button.addEventListener('click', async () => {
    check.textContent = '';
    const values = [];
    for (const [i, p] of fn.params.entries()) {
      inputs[i].classList.remove('bad');
      try {
        values.push(forms[i].toJs(parseValue(inputs[i].value, forms[i].type)));
      } catch (e) {
        inputs[i].classList.add('bad');
        check.textContent = `${p.name}: ${e instanceof WaveError ? `${e.message} (at ${e.offset})` : e.message}`;
        result.textContent = '';
        return;
      }
    }
    result.textContent = fn.async ? 'pending…' : '';
    button.disabled = true;
    try {
      await call(fn, values, resultSink(fn, result));
    } catch (e) {
      // The run ended (stopped, or it trapped) before the call settled.
      result.textContent = `${e.name}: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
  for (const i of inputs) i.addEventListener('keydown', (e) => e.key === 'Enter' && button.click());
  const box = el('div', { className: 'export-fn' }, sig, args, el('div', { className: 'actions' }, button, check), result);
  box.dataset.name = full;
  return box;
}

/** How a call's outcome is printed in `out`. */
function resultSink(fn, out) {
  const t = fn.result;
  const isResult = t?.kind === 'result';
  const fmt = (v, type) => {
    try {
      return type ? formatValue(v, type) : '()';
    } catch (e) {
      return `<cannot print: ${e.message}>`;
    }
  };
  let items = 0;
  return {
    ok(value) {
      if (value?.stream && t?.kind === 'stream') return void (out.textContent = 'stream: (waiting for items)');
      if (value?.future && t?.kind === 'future') return void (out.textContent = 'future: pending…');
      // An async export's promise adopts the future it resolves with: this is its value.
      if (t?.kind === 'future') return this.item(value);
      out.textContent = isResult ? `ok(${fmt(value, t.ok)})`.replace('ok(())', 'ok') : fmt(value, t);
    },
    err(value) {
      out.textContent = t.err ? `err(${fmt(value, t.err)})` : 'err';
    },
    trap(error) {
      out.textContent = `${error.name}: ${error.message}`;
      out.style.color = 'var(--err)';
    },
    item(value) {
      if (t.kind === 'future') out.textContent = `future resolved: ${fmt(value, t.type)}`;
      else {
        if (items++ === 0) out.textContent = 'stream:';
        const v = t.type?.kind === 'u8' && value instanceof Uint8Array ? fmt(value, { kind: 'list', element: t.type }) : fmt(value, t.type);
        out.textContent += `\n  ${v}`;
      }
    },
    end(error) {
      if (error) out.textContent += `\n${error.name}: ${error.message}`;
      else if (t.kind === 'stream') out.textContent += `\n(end of stream, ${items} chunk${items === 1 ? '' : 's'})`;
    },
    uncloneable(what) {
      out.textContent = `(a value the page cannot copy out of the worker: ${what})`;
    },
  };
}

/** The http panel: method, path, headers and body; `send(request)` resolves to the response. */
export function httpPanel(root, { method = 'GET', path = '/', body = '' } = {}, send) {
  const methodIn = el('select');
  for (const m of ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD']) methodIn.append(new Option(m, m));
  methodIn.value = method;
  const pathIn = el('input', { type: 'text', value: path, spellcheck: false, className: 'mono' });
  const headersIn = el('textarea', { rows: 2, placeholder: 'name: value per line', spellcheck: false });
  const bodyIn = el('textarea', { rows: 3, value: body, spellcheck: false });
  const button = el('button', { textContent: 'Send request', className: 'primary' });
  const out = el('pre', { className: 'result mono' });
  button.addEventListener('click', async () => {
    const headers = headersIn.value.split('\n').filter((l) => l.includes(':')).map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]);
    out.textContent = 'sending…';
    try {
      const r = await send({ method: methodIn.value, url: new URL(pathIn.value, 'http://component.test').href, headers, body: bodyIn.value });
      out.textContent = `${r.status}\n${r.headers.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${r.body}`;
    } catch (e) {
      out.textContent = `${e.name ?? 'Error'}: ${e.message}`;
    }
  });
  root.replaceChildren(
    el('h2', { textContent: 'HTTP request' }),
    row('Method', methodIn),
    row('Path', pathIn),
    row('Headers', headersIn),
    row('Body', bodyIn),
    el('div', { className: 'export-fn' }, button, out),
  );
  return { setEnabled: (on) => (button.disabled = !on) };
}

/** A download of `bytes` as `name`. */
export function download(name, bytes, type = 'application/octet-stream') {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A MemFs tree (nested objects of Uint8Array) as [path, bytes] rows. */
function flatten(tree, prefix = '') {
  const rows = [];
  for (const [name, v] of Object.entries(tree)) {
    if (v instanceof Uint8Array) rows.push([`${prefix}${name}`, v]);
    else if (typeof v === 'string') rows.push([`${prefix}${name}`, new TextEncoder().encode(v)]);
    else rows.push(...flatten(v, `${prefix}${name}/`));
  }
  return rows;
}

const quote = (a) => (/^[\w./:@=+-]+$/.test(a) ? a : `"${a.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`);

/** Shell-like words: spaces separate, double quotes group, backslash escapes. */
export function splitArgs(text) {
  const out = [];
  let cur = null;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      cur = (cur ?? '') + text[++i];
    } else if (c === '"') {
      quoted = !quoted;
      cur ??= '';
    } else if (/\s/.test(c) && !quoted) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else {
      cur = (cur ?? '') + c;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}
