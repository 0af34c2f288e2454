// Runs a transpiled component (its `--instantiation` output) in a dedicated Worker: the
// guest cannot reach the page, and Stop is `worker.terminate()`, which ends even a guest
// that loops forever. The page sends `start`, then `call` (an export of a library) or
// `request` (an http handler); everything the guest prints comes back as it is written.
//
// Messages from the page:
//   { type: 'start', files: [[name, bytes]], main, kind, p3, jspi, args, env, stdin,
//     preopen, tree, imports, record }   (jspi: false runs as an engine without JSPI;
//     record: the files were transpiled with `--record`, send the trace's lines)
//   { type: 'call', id, iface, js, args }     (args: JS values, already checked)
//   { type: 'request', id, method, url, headers, body }
// Messages to the page:
//   { type: 'ready', jspi } | { type: 'out', stream: 'stdout' | 'stderr', bytes }
//   { type: 'trace', line }    (a line of the trace, as the recorder writes it)
//   { type: 'exit', code, tree } | { type: 'failed', error }
//   { type: 'settled', id, outcome: 'ok' | 'err' | 'trap', value, error }
//   { type: 'item', id, value } | { type: 'end', id, error }    (a stream result)
//   { type: 'response', id, status, headers, body } | { type: 'failed', id, error }

import { missingImport, withoutJspi } from './missing-import.js';

/** The running component: `instance` (a command or a library) or `handle` (an http handler). */
let state;

/** postMessage, with a value the structured clone cannot copy (a resource instance, a
 * function) replaced by a description of it. */
function post(msg) {
  try {
    self.postMessage(msg);
  } catch (e) {
    if (e?.name !== 'DataCloneError') throw e;
    self.postMessage({ ...msg, value: undefined, uncloneable: `${Object.prototype.toString.call(msg.value)} (${e.message})` });
  }
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'start') await start(data);
    else if (data.type === 'call') await call(data);
    else if (data.type === 'request') await request(data);
  } catch (e) {
    self.postMessage({ type: 'failed', id: data.id, error: describeError(e) });
  }
};

/** The error as the page shows it: its class, message and, for a trap, that it is one. */
function describeError(e) {
  if (e instanceof Error) return { name: e.name, message: e.message, trap: e instanceof WebAssembly.RuntimeError || e.name === 'Trap' };
  return { name: typeof e, message: String(e), trap: false };
}

async function start(msg) {
  if (msg.jspi === false) withoutJspi();
  // The recorder streams its lines to this sink (read when the module is instantiated).
  if (msg.record) globalThis[Symbol.for('weft.trace.sink')] = (line) => self.postMessage({ type: 'trace', line });
  const files = new Map(msg.files);
  const js = URL.createObjectURL(new Blob([files.get(msg.main)], { type: 'text/javascript' }));
  const { instantiate } = await import(/* @vite-ignore */ js);
  const getCoreModule = (name) => {
    const bytes = files.get(name);
    if (!bytes) throw new Error(`the output has no core module ${name}`);
    return WebAssembly.compile(bytes);
  };
  const shim = msg.p3 ? await import('@weft/wasi/p3/browser') : await import('@weft/wasi/p2/browser');
  const fs = msg.preopen ? new shim.MemFs(msg.tree ?? {}) : undefined;
  const output = (stream) => (bytes) => self.postMessage({ type: 'out', stream, bytes: bytes.slice() });
  const makeImports = () => withStubs(
    msg.imports,
    shim.wasiImports({
      args: msg.args,
      env: msg.env,
      stdin: new TextEncoder().encode(msg.stdin ?? ''),
      preopens: fs ? { [msg.preopen]: fs } : {},
      stdout: output('stdout'),
      stderr: output('stderr'),
    }),
  );
  const fresh = () => instantiate(getCoreModule, makeImports());
  state = {};
  if (msg.kind === 'http') {
    if (msg.p3) {
      state.handle = shim.toFetchHandler(fresh, { onTrap: (e) => self.postMessage({ type: 'out', stream: 'stderr', bytes: new TextEncoder().encode(`trap: ${e.message}\n`) }) });
    } else {
      const { handleRequest, InstancePool } = await import('@weft/wasi/p2/serve');
      const pool = new InstancePool(fresh, { onTrap: () => {} });
      state.handle = (r) => handleRequest(pool, r);
    }
  } else {
    state.instance = await fresh();
  }
  self.postMessage({ type: 'ready', jspi: typeof WebAssembly.Suspending === 'function' });
  if (msg.kind === 'command') {
    const code = await runCommand(state.instance, shim.WasiExit);
    self.postMessage({ type: 'exit', code, tree: fs?.toTree() });
  }
}

/** The shim's imports (a Proxy, which a spread would not copy), and a stub for each
 * non-WASI import: the playground has no host for them; calling one throws. */
function withStubs(names, wasi) {
  const own = stubs(names);
  return new Proxy(wasi, {
    get: (target, key) => (typeof key === 'string' && key in own ? own[key] : Reflect.get(target, key)),
    has: (target, key) => key in own || Reflect.has(target, key),
  });
}

function stubs(names = []) {
  return Object.fromEntries(names.filter((n) => !n.startsWith('wasi:')).map((n) => [n, missingImport(n)]));
}

/** `wasi:cli/run`'s `run`: 0 for ok, 1 for err, the code of an exit. */
async function runCommand(instance, WasiExit) {
  const iface = Object.entries(instance).find(([k]) => k.startsWith('wasi:cli/run@'))?.[1] ?? instance.run;
  try {
    await iface.run();
    return 0;
  } catch (e) {
    if (e instanceof WasiExit) return e.code;
    if (e?.name === 'ComponentError') return 1;
    throw e;
  }
}

/** The function an export names: in its interface's object, or on the instance. */
function exported(iface, js) {
  const obj = iface === null ? state.instance : state.instance[iface];
  const f = obj?.[js] ?? obj?.[`${js}_`];
  if (typeof f !== 'function') throw new Error(`the instance has no export ${iface ? `${iface}#` : ''}${js}`);
  return f;
}

async function call({ id, iface, js, args }) {
  const f = exported(iface, js);
  let value;
  try {
    value = await f(...args);
  } catch (e) {
    if (e?.name === 'ComponentError' && 'payload' in e) {
      post({ type: 'settled', id, outcome: 'err', value: e.payload });
    } else {
      self.postMessage({ type: 'settled', id, outcome: 'trap', error: describeError(e) });
    }
    return;
  }
  if (value instanceof ReadableStream) {
    self.postMessage({ type: 'settled', id, outcome: 'ok', value: { stream: true } });
    await pump(id, value);
    return;
  }
  if (value && typeof value.then === 'function') {
    self.postMessage({ type: 'settled', id, outcome: 'ok', value: { future: true } });
    try {
      post({ type: 'item', id, value: await value });
      self.postMessage({ type: 'end', id });
    } catch (e) {
      self.postMessage({ type: 'end', id, error: describeError(e) });
    }
    return;
  }
  post({ type: 'settled', id, outcome: 'ok', value });
}

/** Each chunk of a stream result as it arrives. */
async function pump(id, stream) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      post({ type: 'item', id, value });
    }
    self.postMessage({ type: 'end', id });
  } catch (e) {
    self.postMessage({ type: 'end', id, error: describeError(e) });
  }
}

async function request({ id, method, url, headers, body }) {
  const init = { method, headers };
  if (body && method !== 'GET' && method !== 'HEAD') init.body = body;
  const response = await state.handle(new Request(url, init));
  const text = await response.text();
  self.postMessage({ type: 'response', id, status: response.status, headers: [...response.headers], body: text });
}
