// The page's side of transpile-worker.js: one worker, requests matched to answers by id.
// An answer with `ok: false` rejects with an Error carrying the transpiler's message.

export class Transpiler {
  constructor() {
    // Spelt out here, so Vite bundles the worker with the transpiler's wasm.
    this.worker = new Worker(new URL('./transpile-worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.next = 0;
    this.worker.onmessage = ({ data }) => {
      const p = this.pending.get(data.id);
      this.pending.delete(data.id);
      if (data.ok) p.resolve({ result: data.result, ms: data.ms });
      else p.reject(Object.assign(new Error(data.error.message), { code: data.error.code }));
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`the transpiler's worker failed: ${e.message}`));
      this.pending.clear();
    };
  }

  /** `op`: 'transpile' | 'wit' | 'describe'. Resolves to { result, ms }. */
  call(op, input, options) {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, input, options });
    });
  }

  /** The web platform's IDL files (examples/webidl.json), fetched once, when a component needs them. */
  webidlFiles() {
    this.idl ??= fetch(new URL('examples/webidl.json', document.baseURI)).then((r) => {
      if (!r.ok) throw new Error(`examples/webidl.json: ${r.status}`);
      return r.json();
    });
    return this.idl;
  }
}
