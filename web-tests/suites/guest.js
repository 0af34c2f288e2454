// A guest's own tests in the page: imports tests/guests/<guest>/test.mjs (`?guest=`),
// the module `node --test` runs too; through tests/guests/testing.mjs its tests register
// with ../lib/test.js and load the guest from `?out=` in `?mode=`. A page that asks for
// JSPI (`?jspi`) or for none (`?nojspi`, which page.js removes first) checks that first.
import { assert } from '../lib/assert.js';
import { config, params, test } from '../lib/test.js';

if (params.has('jspi') || params.has('nojspi')) {
  test(config.jspi ? 'the page has JSPI' : 'the page has no JSPI', () => {
    assert.equal(typeof WebAssembly.Suspending === 'function', config.jspi, 'WebAssembly.Suspending');
    assert.equal(typeof WebAssembly.promising === 'function', config.jspi, 'WebAssembly.promising');
  });
}

await import(`/tests/guests/${params.get('guest')}/test.mjs`);
