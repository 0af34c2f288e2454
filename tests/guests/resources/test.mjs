// The `resources` guest: an exported resource (`Counter`) handled from JS, and an
// imported resource (`HostThing`, in host-things.mjs) handled by the guest. Runs in node
// and in the page (see ../testing.mjs).
import { assert, loadGuest, test } from '../testing.mjs';
import * as hostThings from './host-things.mjs';

const { HostThing, disposed } = hostThings;
const imports = () => ({ 'weft:test/host-things': { ...hostThings } });
const { instance: inst, instantiate } = await loadGuest('resources', imports);
const { counters, things } = inst;
const { Counter } = counters;

// Finalizers run between tasks, never inside synchronous code, so `drops()` deltas
// measured within one synchronous stretch count only explicit drops.
const dropsDuring = (f) => {
  const before = counters.drops();
  const result = f();
  return [counters.drops() - before, result];
};

test('exports: interfaces and the resource class', () => {
  assert.equal(inst['weft:test/counters'], counters);
  assert.equal(inst['weft:test/things'], things);
  assert.equal(typeof Counter, 'function');
  assert.equal(typeof Counter.merge, 'function');
  assert.equal(typeof Counter.withValue, 'function');
  assert.equal(typeof Counter.prototype.get, 'function');
  assert.equal(typeof Counter.prototype.addFrom, 'function');
  assert.equal(typeof Counter.prototype[Symbol.dispose], 'function');
  const c = new Counter(0);
  assert.equal(typeof c[Symbol.dispose], 'function');
  c[Symbol.dispose]();
});

test('constructor, methods, and dispose running the destructor', () => {
  const [drops] = dropsDuring(() => {
    const c = new Counter(5);
    assert.ok(c instanceof Counter);
    assert.equal(c.get(), 5);
    assert.equal(c.increment(), 6);
    assert.equal(c.add(10), 16);
    assert.equal(c.add(4294967295), 15); // wraps
    assert.equal(c.get(), 15);
    c[Symbol.dispose]();
  });
  assert.equal(drops, 1);
});

test('`using` disposes at the end of the block', { needs: ['using'] }, () => {
  // Compiled at run time: on an engine without `using` this file must still parse.
  const body = new Function('Counter', '{ using c = new Counter(1); c.increment(); }');
  const [drops] = dropsDuring(() => body(Counter));
  assert.equal(drops, 1);
});

test('handles are independent', () => {
  const [drops] = dropsDuring(() => {
    const a = new Counter(0);
    const b = new Counter(100);
    a.increment();
    assert.equal(a.get(), 1);
    assert.equal(b.get(), 100);
    a[Symbol.dispose]();
    assert.equal(b.get(), 100);
    b[Symbol.dispose]();
  });
  assert.equal(drops, 2);
});

test('borrow<counter> parameters: the caller keeps the handle', () => {
  const [drops] = dropsDuring(() => {
    const a = new Counter(1);
    const b = new Counter(41);
    assert.equal(a.addFrom(b), 42);
    assert.equal(b.get(), 41);
    assert.equal(counters.peek(a), 42);
    assert.equal(counters.peek(b), 41);
    assert.equal(a.addFrom(a), 84);
    assert.equal(counters.sumBorrowed([a, b, a]), 84 + 41 + 84);
    assert.equal(counters.sumBorrowed([]), 0);
    a[Symbol.dispose]();
    b[Symbol.dispose]();
  });
  assert.equal(drops, 2);
});

test('own<counter> parameters: the callee drops it', () => {
  const [drops] = dropsDuring(() => {
    const a = new Counter(10);
    const b = new Counter(5);
    assert.equal(a.absorb(b), 15);
    assert.equal(counters.consume(a), 15);
  });
  assert.equal(drops, 2);
});

test('returning own<counter>: a new object owning the handle', () => {
  const [drops] = dropsDuring(() => {
    const m = counters.makeCounter(7);
    assert.ok(m instanceof Counter);
    assert.equal(m.get(), 7);
    const s = Counter.withValue(3);
    assert.ok(s instanceof Counter);
    const merged = Counter.merge(m, s);
    assert.equal(merged.get(), 10);
    merged[Symbol.dispose]();
  });
  assert.equal(drops, 3); // m, s (consumed by merge) and merged
});

test('passing a handle through', () => {
  const [drops] = dropsDuring(() => {
    const c = new Counter(9);
    const back = counters.passThrough(c);
    assert.ok(back instanceof Counter);
    assert.equal(back.get(), 9);
    back[Symbol.dispose]();
  });
  assert.equal(drops, 1);
});

test('lists and options of handles', () => {
  const [drops] = dropsDuring(() => {
    const many = counters.makeMany(4);
    assert.equal(many.length, 4);
    assert.deepEqual(
      many.map((c) => c.get()),
      [0, 1, 2, 3],
    );
    assert.equal(counters.sumBorrowed(many), 6);
    for (const c of many) c[Symbol.dispose]();
    assert.deepEqual(counters.makeMany(0), []);
    assert.equal(counters.maybeCounter(null), null);
    const c = counters.maybeCounter(new Counter(1));
    assert.equal(c.get(), 2);
    c[Symbol.dispose]();
  });
  assert.equal(drops, 5);
});

test('handles that do not fit are TypeErrors naming the argument, before anything moves', () => {
  const fails = (f, message) => assert.throws(f, (e) => e instanceof TypeError && e.message === message, message);
  const a = new Counter(1);
  const b = new Counter(2);
  fails(() => Counter.prototype.get.call({}), 'this: expected a counter resource for a borrowed handle');
  assert.throws(() => Counter.merge(a, {}), (e) => e instanceof TypeError && /^arg 1: expected a counter resource/.test(e.message));
  assert.equal(a.get(), 1, 'a was not moved by the call that failed');
  fails(() => Counter.merge(a, a), 'arg 1: the counter resource is passed as owned earlier in this call');
  fails(() => a.absorb(a), 'arg 0: the counter resource is borrowed earlier in this call, so it cannot be passed as owned');
  assert.equal(a.get(), 1);
  const c = Counter.merge(a, b);
  assert.equal(c.get(), 3);
  fails(() => a.get(), 'this: not a valid counter resource: it was already moved or disposed');
  c[Symbol.dispose]();
});

test('a moved handle cannot be used again', { needs: ['instances'] }, async () => {
  // On an instance of its own: how the misuse is reported (a TypeError before the call,
  // or a trap that poisons the instance) is up to the runtime.
  const other = await instantiate(imports());
  const c = new other.counters.Counter(1);
  assert.equal(other.counters.consume(c), 1);
  assert.throws(() => c.get());
});

test('imported resource: constructor, static and function called by the guest', () => {
  const t = things.newThing('a');
  assert.ok(t instanceof HostThing);
  assert.equal(t.name(), 'a');
  const s = things.createThing('b');
  assert.ok(s instanceof HostThing);
  assert.equal(s.name(), 'created b');
  const m = things.makeThing('c');
  assert.ok(m instanceof HostThing);
  assert.equal(m.name(), 'made c');
});

test('imported resource: borrowed by the guest, methods called by the guest', () => {
  const t = new HostThing('orig');
  assert.equal(things.thingName(t), 'orig');
  things.renameThing(t, 'renamed 😀');
  assert.equal(t.name(), 'renamed 😀');
  assert.equal(things.describeThing(t), 'thing called renamed 😀');
  // Lending does not dispose.
  assert.ok(!disposed.includes('renamed 😀'));
});

test('imported resource: passed to the guest and back is the same object', () => {
  const t = new HostThing('round');
  const back = things.passThing(t);
  assert.equal(back, t);
  assert.ok(!disposed.includes('round'));
});

test('imported resource: dropped by the guest runs [Symbol.dispose]', () => {
  const t = new HostThing('to drop');
  things.dropThing(t);
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
  assert.equal(things.keepThing(a), 3); // the same object, owned twice
  const kept = things.takeKept();
  assert.equal(kept.length, 3);
  assert.equal(kept[0], a);
  assert.equal(kept[1], b);
  assert.equal(kept[2], a);
  assert.deepEqual(things.takeKept(), []);
  assert.ok(!disposed.includes('kept a'));
});
