import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const dir = process.env.WEFT_OUT;
const poisoned = { name: 'Trap', message: 'cannot enter component instance: it trapped earlier' };

const where = (port) => ({ port, octets: [10, 0, 0, port & 255], scope: 'eth0', flow: null, labels: ['a', 'bc'], hint: [1, 2, 3, 4] });
/** Every case of `err`, with and without the optional parts. */
const errs = [
  { tag: 'timeout' },
  { tag: 'dns', value: { rcode: 'NXDOMAIN', info: 3 } },
  { tag: 'dns', value: { rcode: null, info: null } },
  { tag: 'size', value: 1n << 40n },
  { tag: 'size', value: null },
  { tag: 'addr', value: where(8080) },
  { tag: 'addr', value: { port: 1, octets: [0, 0, 0, 0], scope: null, flow: 7, labels: [], hint: null } },
  { tag: 'other', value: 'ünïcode' },
  { tag: 'denied' },
];
const items = errs.map((e, i) => ({
  r: i % 2 ? { tag: 'ok', value: i } : { tag: 'err', value: e },
  o: i % 3 ? e : null,
}));

/** An instance whose `host` functions are `fns`; `seen` gets what `report-items` received. */
async function make(fns, mode = 'inst') {
  const { instantiate } = await import(`${dir}/${mode}/outlined-types.js`);
  return instantiate(undefined, { host: { getItems: () => [], reportItems: () => {}, getErr: () => 0, ...fns } });
}

/** `TypeError` whose message is exactly `message`. */
const error = (message) => (e) => {
  assert.ok(e instanceof TypeError, `${e?.name}: ${e?.message}`);
  assert.equal(e.message, message);
  return true;
};

test('every case of a large variant is stored into guest memory and lifted back as it was', async () => {
  let seen;
  const inst = await make({ getItems: () => items, reportItems: (l) => void (seen = l) });
  assert.equal(inst.echoItems(), items.length);
  assert.deepEqual(seen, items);
});

test('trampolines returning the same large type share its functions', () => {
  const js = readFileSync(`${dir}/inst/outlined-types.js`, 'utf8');
  const defs = (kind) => js.match(new RegExp(`function ${kind}T\\d*\\(`, 'g')) ?? [];
  // `err` and `where`, once each: `get-items` and `get-err` check and store `err`
  // through the same functions, `report-items` loads both.
  assert.equal(defs('check').length, 2);
  assert.equal(defs('store').length, 2);
  assert.equal(defs('load').length, 2);
});

test('a bad value inside an outlined type names its whole path', async () => {
  const bad = (value) => make({ getItems: () => [items[1], { r: { tag: 'ok', value: 1 }, o: value }] });
  const cases = [
    [5, 'result of host#get-items [1].o: expected object with a `tag`, got number 5'],
    [{ tag: 'nope' }, "result of host#get-items [1].o.tag: expected one of 'timeout', 'dns', 'size', 'addr', 'other', 'denied', got string"],
    [{ tag: 'dns', value: { rcode: 5, info: null } }, 'result of host#get-items [1].o.value.rcode: expected string, got number 5'],
    [{ tag: 'size', value: 5 }, 'result of host#get-items [1].o.value: expected bigint, got number 5'],
    // `where` is outlined too: its checks continue the path they were given
    [{ tag: 'addr', value: { ...where(1), port: '80' } }, 'result of host#get-items [1].o.value.port: expected number, got string'],
    [{ tag: 'addr', value: 'x' }, 'result of host#get-items [1].o.value: expected object, got string'],
    [{ tag: 'addr', value: { ...where(1), labels: ['a', 7] } }, 'result of host#get-items [1].o.value.labels[1]: expected string, got number 7'],
    [{ tag: 'addr', value: { ...where(1), hint: [1, 2, 3] } }, 'result of host#get-items [1].o.value.hint: expected Array of 4 elements, got Array (length 3)'],
  ];
  for (const [value, message] of cases) {
    const inst = await bad(value);
    assert.throws(() => inst.echoItems(), error(message));
    assert.throws(() => inst.echoItems(), poisoned);
  }
  const inResult = await make({ getItems: () => [{ r: { tag: 'err', value: { tag: 'addr', value: { ...where(1), flow: 'x' } } }, o: null }] });
  assert.throws(() => inResult.echoItems(), error('result of host#get-items [0].r.value.value.flow: expected number, got string'));
});

test("a large variant as the payload of what a host import threw", async () => {
  const thrown = (payload) => make({ getErr: () => { throw Object.assign(new Error('e'), { payload }); } });
  assert.equal((await thrown({ tag: 'denied' })).callGetErr(), 1 + (5 << 8));
  assert.equal((await thrown({ tag: 'addr', value: where(3) })).callGetErr(), 1 + (3 << 8));
  assert.equal((await make({ getErr: () => 9 })).callGetErr(), 9 << 8); // `ok`, its u32 where the case would be
  const inst = await thrown({ tag: 'addr', value: { ...where(3), octets: null } });
  assert.throws(() => inst.callGetErr(), error('err payload of host#get-err .value.octets: expected Array of 4 elements, got null'));
  assert.throws(() => inst.callGetErr(), poisoned);
});

test('jco shapes: the same round trip', async () => {
  const jcoShape = (v) =>
    Array.isArray(v) ? v.map(jcoShape)
    : v === null ? undefined
    : typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k === 'value' ? 'val' : k, jcoShape(x)]))
    : v;
  // jco's `result` of a host import is its `ok` payload, or thrown: inside a list it is `{ tag, val }`.
  const given = jcoShape(items);
  let seen;
  const inst = await make({ getItems: () => given, reportItems: (l) => void (seen = l) }, 'jco-inst');
  assert.equal(inst.echoItems(), items.length);
  assert.deepEqual(seen, given);
});
