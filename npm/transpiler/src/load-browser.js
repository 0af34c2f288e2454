// Loads the wasm build in browsers (and bundlers): fetched next to this module, so
// bundlers that understand `new URL(..., import.meta.url)` copy it as an asset.
export async function loadWasm(source) {
  const bindings = await import('../wasm/weft.js');
  // Any view as bytes: V8 takes typed arrays, not a `DataView`.
  if (ArrayBuffer.isView(source)) source = new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  await bindings.default({ module_or_path: source ?? new URL('../wasm/weft_bg.wasm', import.meta.url) });
  return bindings;
}
