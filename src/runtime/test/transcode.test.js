import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lowered } from '../strings.js';
import { transcode } from '../transcode.js';
import { lowerUtf8, liftUtf8 } from '../utf8.js';
import { lowerUtf16, liftUtf16 } from '../utf16.js';
import { lowerCompactUtf16, liftCompactUtf16 } from '../latin1.js';
import { guest, FUN_STRINGS } from './helpers.js';

const ENCODINGS = {
  utf8: [lowerUtf8, liftUtf8],
  utf16: [lowerUtf16, liftUtf16],
  'latin1+utf16': [lowerCompactUtf16, liftCompactUtf16],
};

test('all nine encoding pairs copy every string intact', () => {
  for (const [srcEnc, [lower]] of Object.entries(ENCODINGS)) {
    for (const [dstEnc, [, lift]] of Object.entries(ENCODINGS)) {
      for (const s of FUN_STRINGS) {
        const src = guest();
        const dst = guest();
        const sp = lower(src.memory, src.realloc, s);
        const dp = transcode(src.memory, srcEnc, sp, lowered.len, dst.memory, dst.realloc, dstEnc);
        assert.equal(lift(dst.memory, dp, lowered.len), s, `${srcEnc} -> ${dstEnc}: ${JSON.stringify(s.slice(0, 20))}`);
      }
    }
  }
});

test('realloc sequences follow store_string', () => {
  const run = (srcEnc, dstEnc, s) => {
    const src = guest();
    const dst = guest();
    const sp = ENCODINGS[srcEnc][0](src.memory, src.realloc, s);
    transcode(src.memory, srcEnc, sp, lowered.len, dst.memory, dst.realloc, dstEnc);
    return dst.calls;
  };
  assert.deepEqual(run('utf8', 'utf8', 'aé'), [[0, 0, 1, 3]]);
  assert.deepEqual(run('utf8', 'utf16', 'aé'), [[0, 0, 2, 6], [8, 6, 2, 4]]);
  assert.deepEqual(run('utf16', 'utf8', 'aé'), [[0, 0, 1, 2], [8, 2, 1, 6], [10, 6, 1, 3]]);
  assert.deepEqual(run('utf8', 'latin1+utf16', 'aé'), [[0, 0, 2, 3], [8, 3, 2, 2]]);
  assert.deepEqual(run('latin1+utf16', 'latin1+utf16', 'aé'), [[0, 0, 2, 2]]);
  assert.deepEqual(run('utf16', 'latin1+utf16', 'aΩ'), [[0, 0, 2, 2], [8, 2, 2, 4]]);
  assert.deepEqual(run('latin1+utf16', 'utf8', 'aé'), [[0, 0, 1, 2], [8, 2, 1, 4], [10, 4, 1, 3]]);
});

test('invalid sources trap before anything is allocated', () => {
  const src = guest();
  const dst = guest();
  new Uint8Array(src.memory.buffer).set([0xc3], 64);
  assert.throws(() => transcode(src.memory, 'utf8', 64, 1, dst.memory, dst.realloc, 'utf16'), /invalid UTF-8/);
  assert.deepEqual(dst.calls, []);
});
