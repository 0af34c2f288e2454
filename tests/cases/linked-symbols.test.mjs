import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const dir = process.env.WEFT_OUT;

for (const mode of ['esm', 'inst']) {
  test(`a core instance gets each same-named export of another under its name (${mode})`, async () => {
    const m = mode === 'esm'
      ? await import(`${dir}/esm/linked-symbols.js`)
      : await (await import(`${dir}/inst/linked-symbols.js`)).instantiate(undefined, {});
    assert.equal(m.sum(), 511);
    // Eight names from one instance: listed once each, not as `name: exports0["name"]`.
    const js = readFileSync(`${dir}/${mode}/linked-symbols.js`, 'utf8');
    assert.match(js, /sameNames\(exports0,\s*\[/);
    assert.doesNotMatch(js, /"lib\.so:a":\s*exports0/);
    assert.match(js, /renamed:\s*exports0\.other/);
  });
}
