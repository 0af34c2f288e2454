// Reinterpreting float bits as integers and back, for variant payloads that share a
// flat slot of a different core type (`lower_flat_variant` / `lift_flat_variant`).

const bitsBuffer = new ArrayBuffer(8);
const bitsF32 = new Float32Array(bitsBuffer);
const bitsI32 = new Int32Array(bitsBuffer);
const bitsF64 = new Float64Array(bitsBuffer);
const bitsI64 = new BigInt64Array(bitsBuffer);

/** @param {number} f @returns {number} the f32 bits as a signed i32 */
export function f32ToI32(f) {
  bitsF32[0] = f;
  return bitsI32[0];
}

/** @param {number} i @returns {number} the f32 whose bits are `i` */
export function i32ToF32(i) {
  bitsI32[0] = i;
  return bitsF32[0];
}

/** @param {number} f @returns {bigint} the f64 bits as a signed i64 */
export function f64ToI64(f) {
  bitsF64[0] = f;
  return bitsI64[0];
}

/** @param {bigint} i @returns {number} the f64 whose bits are `i` */
export function i64ToF64(i) {
  bitsI64[0] = i;
  return bitsF64[0];
}
