// The page a component that uses the DOM (webidl: imports) runs in: the example's HTML
// in an iframe with `sandbox="allow-scripts"`, so its origin is opaque and the guest's
// DOM bindings (which reach `window.parent` through the Window interface, say) cannot
// touch the playground. A loader script in the page takes the transpiled files from a
// message, imports the module from a blob URL, instantiates it and calls its `run`
// export if it has one. WASI imports get stubs there: the shims live in the playground's
// origin, which an opaque frame cannot load modules from; a call to one throws, naming
// it. The loader answers `{ weftPlayground: true, error? }` once instantiated, and with
// `record` sends each line of the trace as `{ weftPlayground: true, trace }`.
import { missingImport, withoutJspi } from './missing-import.js';

const LOADER = `
const missingImport = ${missingImport};
const withoutJspi = ${withoutJspi};
const stubs = new Map();
const imports = new Proxy({}, {
  get: (_, name) => (typeof name === 'string' && name !== 'then' ? (stubs.get(name) ?? stubs.set(name, missingImport(name)).get(name)) : undefined),
  has: () => true,
});
addEventListener('message', async (e) => {
  if (e.source !== parent || !e.data || !e.data.files) return;
  const { files, main, jspi, record } = e.data;
  if (jspi === false) withoutJspi();
  const say = (msg) => parent.postMessage({ weftPlayground: true, ...msg }, '*');
  if (record) globalThis[Symbol.for('weft.trace.sink')] = (line) => say({ trace: line });
  try {
    const url = URL.createObjectURL(new Blob([files[main]], { type: 'text/javascript' }));
    const { instantiate } = await import(url);
    const inst = await instantiate((p) => WebAssembly.compile(files[p]), imports);
    say({});
    const run = inst.run ?? Object.values(inst).find((v) => v && typeof v.run === 'function')?.run;
    if (typeof run === 'function') await run();
  } catch (err) {
    console.error(err);
    say({ error: (err && err.name ? err.name + ': ' : '') + (err && err.message ? err.message : String(err)) });
  }
}, { once: false });
`;

/** The frame's `srcdoc`: `html` (a whole page) with the loader added before `</body>`. */
export function framePage(html) {
  const script = `<script type="module">${LOADER}</script>`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${script}</body>`) : `${html}${script}`;
}
