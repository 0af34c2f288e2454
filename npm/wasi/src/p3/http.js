// wasi:http@0.3: not implemented yet.
export function httpInterfaces(/** @type {any} */ _options) {
  return {};
}
export function toFetchHandler() {
  throw new Error('wasi:http@0.3 handler: not implemented yet');
}
export const serveHandler = toFetchHandler;
