// Loads the wasm build in node: the .wasm is read from the package directory, compiled,
// and instantiated with `initSync`. (wasm-bindgen's async `init` asks `typeof Response`
// first, which makes node load its fetch implementation: ~10 ms of a CLI's start-up.)
import { readFile } from 'node:fs/promises';

const wasmUrl = new URL('../wasm/weft_bg.wasm', import.meta.url);

export async function loadWasm(source) {
  let bindings;
  try {
    bindings = await import('../wasm/weft.js');
  } catch (e) {
    throw new Error('@weft/transpiler: the wasm build is missing (run scripts/build-npm)', { cause: e });
  }
  if (source instanceof WebAssembly.Module) {
    bindings.initSync({ module: source });
  } else if (source === undefined || ArrayBuffer.isView(source) || source instanceof ArrayBuffer) {
    bindings.initSync({ module: await WebAssembly.compile(source ?? (await readFile(wasmUrl))) });
  } else {
    await bindings.default({ module_or_path: source });
  }
  return bindings;
}
