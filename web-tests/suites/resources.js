// The resources guest (target/guests/resources.wasm) in ESM mode: an exported resource
// (`Counter`) whose handles the page owns and disposes (`[Symbol.dispose]`, `using`), and
// an imported JS resource (web-tests/hosts/resources-host-things.js) the guest drops. A
// browser version of a subset of tests/guests/resources/test.mjs.
import { assert } from '../lib/assert.js';
import { config, test } from '../lib/test.js';
import { HostThing, disposed } from '../hosts/resources-host-things.js';

const inst = await import(new URL('resources.js', config.out));
const { counters, things } = inst;
const { Counter } = counters;

// Finalizers run between tasks, never inside synchronous code, so `drops()` deltas
// measured within one synchronous stretch count only explicit drops.
const dropsDuring = (f) => {
  const before = counters.drops();
  f();
  return counters.drops() - before;
};

test('exports: interfaces and the resource class', () => {
  assert.equal(inst['weft:test/counters'], counters);
  assert.equal(typeof Counter, 'function');
  assert.equal(typeof Counter.merge, 'function');
  assert.equal(typeof Counter.prototype.addFrom, 'function');
  assert.equal(typeof Counter.prototype[Symbol.dispose], 'function');
});

test('constructor, methods, and [Symbol.dispose] running the destructor', () => {
  const drops = dropsDuring(() => {
    const c = new Counter(5);
    assert.ok(c instanceof Counter);
    assert.equal(c.increment(), 6);
    assert.equal(c.add(4294967295), 5); // wraps
    c[Symbol.dispose]();
  });
  assert.equal(drops, 1);
});

test('`using` disposes at the end of the block', () => {
  // A `using` declaration is a syntax error on engines without explicit resource
  // management; inside a Function body, that fails this test only, not the page.
  let body;
  try {
    body = new Function('Counter', '{ using c = new Counter(1); c.increment(); }');
  } catch {
    body = null;
  }
  assert.ok(body, 'the engine supports `using`');
  assert.equal(
    dropsDuring(() => body(Counter)),
    1,
  );
});

test('borrow and own parameters, statics, lists and options of handles', () => {
  const drops = dropsDuring(() => {
    const a = new Counter(1);
    const b = new Counter(41);
    assert.equal(a.addFrom(b), 42);
    assert.equal(counters.peek(b), 41);
    assert.equal(counters.sumBorrowed([a, b, a]), 42 + 41 + 42);
    assert.equal(a.absorb(b), 83); // drops b
    const merged = Counter.merge(a, Counter.withValue(7)); // drops both
    assert.equal(merged.get(), 90);
    const many = counters.makeMany(4);
    assert.deepEqual(
      many.map((c) => c.get()),
      [0, 1, 2, 3],
    );
    for (const c of many) c[Symbol.dispose]();
    assert.equal(counters.maybeCounter(null), null);
    const c = counters.maybeCounter(merged);
    assert.equal(c.get(), 91);
    assert.equal(counters.consume(c), 91);
  });
  assert.equal(drops, 1 + 2 + 4 + 1);
});

test('imported resource: made, borrowed and renamed by the guest', () => {
  const t = things.newThing('a');
  assert.ok(t instanceof HostThing);
  assert.equal(things.createThing('b').name(), 'created b');
  assert.equal(things.makeThing('c').name(), 'made c');
  things.renameThing(t, 'renamed 😀');
  assert.equal(t.name(), 'renamed 😀');
  assert.equal(things.describeThing(t), 'thing called renamed 😀');
  assert.equal(things.passThing(t), t);
  assert.ok(!disposed.includes('renamed 😀'), 'lending does not dispose');
});

test('imported resource: dropped by the guest runs [Symbol.dispose]', () => {
  things.dropThing(new HostThing('to drop'));
  assert.deepEqual(
    disposed.filter((n) => n === 'to drop'),
    ['to drop'],
  );
  const before = disposed.length;
  assert.equal(things.tempThing('temp'), 'temp!');
  assert.deepEqual(disposed.slice(before), ['temp!']);
});

test('imported resource: handles kept by the guest across calls', () => {
  const a = new HostThing('kept a');
  const b = new HostThing('kept b');
  assert.equal(things.keepThing(a), 1);
  assert.equal(things.keepThing(b), 2);
  const kept = things.takeKept();
  assert.equal(kept[0], a);
  assert.equal(kept[1], b);
  assert.deepEqual(things.takeKept(), []);
});
