// Random bytes and u64s from `crypto.getRandomValues`, for `wasi:random` of WASI 0.2 and 0.3.

/**
 * Fills `len` bytes from `crypto.getRandomValues`, 64 KiB per call (the Web Crypto limit).
 * @param {bigint | number} len
 */
export function randomBytes(len) {
  const out = new Uint8Array(Number(len));
  for (let i = 0; i < out.length; i += 65536) crypto.getRandomValues(out.subarray(i, i + 65536));
  return out;
}

/** A random u64 (a bigint). */
export function randomU64() {
  return crypto.getRandomValues(new BigUint64Array(1))[0];
}
