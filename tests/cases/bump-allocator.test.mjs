import { test } from 'node:test';
import assert from 'node:assert/strict';

const dir = process.env.WEFT_OUT;
const TAG = 2 ** 31;

for (const mode of ['esm', 'inst']) {
  test(`a host string is allocated once at its exact size (${mode})`, async () => {
    const m = mode === 'esm'
      ? await import(`${dir}/esm/bump-allocator.js`)
      : await (await import(`${dir}/inst/bump-allocator.js`)).instantiate(undefined, {});
    for (const [s, utf8] of [['abc', 3], ['é', 2], ['naïve café', 12], ['😀', 4], ['x'.repeat(200) + 'é', 202]]) {
      assert.equal(m.utf8Len(s), utf8, s);
      assert.equal(m.utf16Len(s), s.length, s);
      assert.equal(m.compactLen(s), /[^\0-\xff]/.test(s) ? s.length + TAG : s.length, s);
    }
  });
}
