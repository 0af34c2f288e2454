// Loads the wasm build in node: the .wasm is read from the package directory.
import { readFile } from 'node:fs/promises';

const wasmUrl = new URL('../wasm/weft_bg.wasm', import.meta.url);

export async function loadWasm(source) {
  let bindings;
  try {
    bindings = await import('../wasm/weft.js');
  } catch (e) {
    throw new Error('@weft/transpiler: the wasm build is missing (run scripts/build-npm)', { cause: e });
  }
  await bindings.default({ module_or_path: source ?? (await readFile(wasmUrl)) });
  return bindings;
}
