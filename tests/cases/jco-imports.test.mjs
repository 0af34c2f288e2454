import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

const dir = process.env.WEFT_OUT;

class Counter {
  constructor(n) { this.n = n; }
  static zero() { return new Counter(0); }
  bump() { return ++this.n; }
}

function hostImports(keys) {
  return {
    // jco finds a function named `throw` under that name, weft's own mode as `throw_`.
    [keys.api]: { twice: (x) => 2 * x, throw: (x) => x + 1, throw_: (x) => x + 2 },
    [keys.other]: keys.otherMember ? { Other: { seven: () => 7 } } : { seven: () => 7 },
    counter: { default: Counter },
    check: {
      default: (x) => {
        if (x === 1) throw 5; // not an Error: jco makes it the err payload
        if (x === 2) throw new Error('an Error traps');
        if (x === 3) throw { payload: 9 };
        return x;
      },
    },
    'check-str': {
      default: (x) => {
        if (x === 1) throw 'b';
        if (x === 2) throw new Error('boom'); // string errors take an Error's message
        return x;
      },
    },
  };
}

test('--compat jco: versionless keys, --map across versions to a member, root resource classes', async () => {
  const { instantiate } = await import(`${dir}/jco-inst/jco-imports.js`);
  const inst = await instantiate(undefined, hostImports({ api: 'ex:pkg/api', other: './other.js', otherMember: true }));
  assert.equal(inst.useApi(21), 42);
  assert.equal(inst.useOther(), 7);
  assert.equal(inst.useThrow(1), 2);
  // new Counter(5): bumps to 6 and 7; Counter.zero(): bumps to 1.
  assert.equal(inst.useCounter(5), 6 + 7 * 1000 + 1 * 1000000);
});

test('--compat jco: what a host function returning a result throws', async () => {
  const { instantiate } = await import(`${dir}/jco-inst/jco-imports.js`);
  const inst = await instantiate(undefined, hostImports({ api: 'ex:pkg/api', other: './other.js', otherMember: true }));
  assert.equal(inst.check(7), 7);
  assert.equal(inst.check(1), 1005);
  assert.equal(inst.check(3), 1009);
  assert.equal(inst.checkStr(7), 7);
  assert.equal(inst.checkStr(1), 100000 + 1000 + 'b'.charCodeAt(0));
  assert.equal(inst.checkStr(2), 100000 + 4000 + 'b'.charCodeAt(0));
  assert.throws(() => inst.check(2), { message: 'an Error traps' });
});

test('--compat jco: the full WIT name is accepted as a key too, and a missing import names both', async () => {
  const { instantiate } = await import(`${dir}/jco-inst/jco-imports.js`);
  const imports = hostImports({ api: 'ex:pkg/api@0.1.2', other: './other.js', otherMember: true });
  assert.equal((await instantiate(undefined, imports)).useApi(2), 4);
  delete imports['ex:pkg/api@0.1.2'];
  await assert.rejects(instantiate(undefined, imports), {
    name: 'TypeError',
    message: 'missing import `ex:pkg/api` or `ex:pkg/api@0.1.2`',
  });
  const noMember = hostImports({ api: 'ex:pkg/api', other: './other.js', otherMember: false });
  await assert.rejects(instantiate(undefined, noMember), {
    name: 'TypeError',
    message: 'missing import `./other.js`.Other',
  });
});

test('--compat jco ES module: the specifiers jco would import', async () => {
  const js = await readFile(`${dir}/jco/jco-imports.js`, 'utf8');
  for (const spec of ['ex:pkg/api', 'counter', 'check', 'check-str']) {
    assert.match(js, new RegExp(`from ?["']${spec}["']`), spec);
  }
  assert.match(js, /import ?\{ ?Other as \w+ ?\} ?from ?["']\.\/other\.js["']/);
  assert.doesNotMatch(js, /from ?["']ex:pkg\/api@/);
});

test("weft's own mode: full names, and a thrown non-Error traps", async () => {
  const { instantiate } = await import(`${dir}/inst/jco-imports.js`);
  const host = hostImports({ api: 'ex:pkg/api@0.1.2', other: 'ex:pkg/other@0.1.5', otherMember: false });
  const inst = await instantiate(undefined, {
    ...host,
    '[constructor]counter': { default: { Counter } },
    '[method]counter.bump': { default: null },
    '[static]counter.zero': { default: { Counter } },
  });
  assert.equal(inst.useApi(21), 42);
  assert.equal(inst.useOther(), 7);
  assert.equal(inst.useThrow(1), 3);
  assert.equal(inst.check(3), 1009);
  assert.throws(() => inst.check(1), (e) => e === 5);
});
