import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const dir = process.env.WEFT_OUT;
// `--lowered` output links the instances into one module: no import objects to read.
const lowered = basename(dir) === 'lowered';

for (const mode of ['esm', 'inst']) {
  test(`a core instance gets each same-named export of another under its name (${mode})`, async () => {
    const m = mode === 'esm'
      ? await import(`${dir}/esm/linked-symbols.js`)
      : await (await import(`${dir}/inst/linked-symbols.js`)).instantiate(undefined, {});
    assert.equal(m.sum(), 511 + 512 + 8 * 1024 + 8 * 2048);
    if (lowered) return;
    // Nine names from one instance: not listed at all (the module declares them); eight
    // from another: listed once each; none as `name: exportsN["name"]`.
    const js = readFileSync(`${dir}/${mode}/linked-symbols.js`, 'utf8');
    assert.match(js, /otherImports\(exports0,\s*module\d+,\s*"env",\s*sameNames\(exports1,\s*\[/);
    assert.doesNotMatch(js, /"lib\.so:a"/);
    assert.match(js, /"m:0"/);
    assert.doesNotMatch(js, /"m:0":\s*exports1/);
    assert.match(js, /renamed:\s*exports0\.other/);
    // Eight names one prefix away: not listed either.
    assert.match(js, /"GOT\.mem":\s*otherImports\(exports2,\s*module\d+,\s*"GOT\.mem",\s*\{\},\s*"lib3\.so:"\)/);
    assert.doesNotMatch(js, /"lib3\.so:y0"/);
  });
}
