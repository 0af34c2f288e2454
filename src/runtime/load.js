// Loading core modules: inlined base64, or a file next to the generated module (read
// with node:fs in node, fetched and compiled while streaming in browsers).

/** @param {string} b64 @returns {Promise<WebAssembly.Module>} */
export async function compileBase64(b64) {
  let bytes;
  if (typeof Uint8Array.fromBase64 === 'function') {
    bytes = Uint8Array.fromBase64(b64);
  } else if (typeof atob === 'function') {
    const s = atob(b64);
    bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  } else {
    bytes = Buffer.from(b64, 'base64');
  }
  return WebAssembly.compile(bytes);
}

/** @param {URL} url @returns {Promise<WebAssembly.Module>} */
export async function compileUrl(url) {
  if (globalThis.process?.versions?.node && url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return WebAssembly.compile(await readFile(url));
  }
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    // A server without the application/wasm MIME type: compile from bytes.
    const response = await fetch(url);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}
