// The entry of every test page (page.html): removes JSPI when asked (`?nojspi`), imports
// the suite module named by `?suite=` (which registers tests with test.js), runs them.
import { params, run } from './test.js';

if (params.has('nojspi')) {
  // Before anything transpiled is imported: the runtime must take the callback-ABI path.
  delete WebAssembly.Suspending;
  delete WebAssembly.promising;
}

let loadError;
try {
  await import(new URL(params.get('suite'), location.href).href);
} catch (e) {
  loadError = e;
}
await run(loadError);
