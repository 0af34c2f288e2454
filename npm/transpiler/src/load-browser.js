// Loads the wasm build in browsers (and bundlers): fetched next to this module, so
// bundlers that understand `new URL(..., import.meta.url)` copy it as an asset.
export async function loadWasm(source) {
  const bindings = await import('../wasm/weft.js');
  await bindings.default({ module_or_path: source ?? new URL('../wasm/weft_bg.wasm', import.meta.url) });
  return bindings;
}
