// The transpiler in a Web Worker: @weft/transpiler's wasm build, so a long transpile
// never blocks the page. Requests: { id, op: 'transpile' | 'wit' | 'describe', input,
// options }; answers: { id, ok: true, result, ms } or { id, ok: false, error: { message,
// code } } (the message is what the native `weft` prints after `error: `).
import { describe, init, transpile, wit } from '@weft/transpiler';

const ready = init();
const ops = { transpile, wit, describe };

self.onmessage = async ({ data: { id, op, input, options } }) => {
  try {
    await ready;
    const t0 = performance.now();
    const result = await ops[op](input, options);
    const ms = performance.now() - t0;
    self.postMessage({ id, ok: true, result, ms });
  } catch (e) {
    self.postMessage({ id, ok: false, error: { message: e?.message ?? String(e), code: e?.code } });
  }
};
