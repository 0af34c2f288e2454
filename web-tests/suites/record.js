// docs/record-replay.md's walkthrough, automated: examples/record/shout.wat transpiled
// with `--record` runs in the page, its host (`log`) is the page; the bug (a trap on
// text longer than 16 bytes) is recorded, the trace goes to node (the runner's
// /record/replay), where `weft replay` reproduces it without the page, and shows where
// the fixed build does something else. Then an async component (the async-basics
// guest): its streams, futures and async host calls recorded in the page, replayed in
// node with the trace as the host.
import { assert } from '../lib/assert.js';
import { config, test } from '../lib/test.js';

const logged = [];
const { instantiate } = await import(new URL('shout.js', config.out));
const getCoreModule = (p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out)));
const inst = await instantiate(getCoreModule, { log: { default: (msg) => logged.push(msg) } });

/**
 * The message of this engine's trap for `unreachable`, which the trace records as the
 * page saw it: `unreachable` in V8, `unreachable executed` in SpiderMonkey.
 */
const UNREACHABLE = (() => {
  // (module (func (export "f") unreachable))
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 5, 1, 3, 0, 0, 11]);
  try {
    new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.f();
  } catch (e) {
    return e.message;
  }
  throw new Error('`unreachable` did not trap');
})();
const TRAP = `-> trap ${JSON.stringify(UNREACHABLE)}`;

/** `weft replay` of `trace` in node, against the recorded or the fixed build. */
async function replay(trace, build) {
  const r = await fetch(`/record/replay?build=${build}`, { method: 'POST', body: trace });
  return r.json();
}

test('the page records every call across the boundary, the trap included', () => {
  assert.equal(inst.shout('weft'), 'WEFT');
  assert.throws(() => inst.shout('a rather long name'), WebAssembly.RuntimeError);
  assert.deepEqual(logged, ['weft', 'a rather long name']);
  const [header, ...events] = inst.$trace.text().trimEnd().split('\n');
  assert.match(header, /^\/\/ weft trace 1; world root; component sha256:[0-9a-f]{64}$/);
  assert.deepEqual(events, [
    '> shout("weft")',
    '  < log("weft") -> ()',
    '-> "WEFT"',
    '> shout("a rather long name")',
    '  < log("a rather long name") -> ()',
    TRAP,
  ]);
});

test('node replays the trace without the page: the same calls, the same trap', async () => {
  const { code, report } = await replay(inst.$trace.text(), 'recorded');
  assert.equal(report, 'replayed 2 calls: as in the trace\n');
  assert.equal(code, 0);
});

test('against the fixed build, replay says where it now does something else', async () => {
  const { code, report } = await replay(inst.$trace.text(), 'fixed');
  assert.equal(code, 1);
  const lines = report.split('\n');
  assert.equal(lines[0], 'the run differs from the trace at line 7 of the trace, in the call of line 5 (> shout("a rather long name")):');
  assert.equal(lines[1], `  trace: ${TRAP}`);
  assert.equal(lines[2], '  run:   -> "A RATHER LONG NAME"');
  assert.match(lines[3], /^note: a different build of the component than the trace's/);
});

test('the trace, edited to what the fix should do, is a test the fixed build passes', async () => {
  const edited = inst.$trace.text().replace(TRAP, '-> "A RATHER LONG NAME"');
  assert.equal((await replay(edited, 'fixed')).code, 0);
  assert.equal((await replay(edited, 'recorded')).code, 1);
});

test('an async component: streams, futures and host calls recorded in the page, replayed in node', async () => {
  const out = new URL(new URLSearchParams(location.search).get('asyncOut'), location.href);
  const { instantiate: load } = await import(new URL('async-basics.js', out));
  const core = (p) => WebAssembly.compileStreaming(fetch(new URL(p, out)));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const host = {
    async hostUpper(s) {
      await sleep(1);
      return s.toUpperCase();
    },
    hostSleep: (ms) => sleep(ms),
  };
  const a = await load(core, { 'weft:test/async-host': host });
  const api = a['weft:test/async-api'];
  const bytes = new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array([1, 2, 3]));
      c.enqueue(new Uint8Array([4]));
      c.close();
    },
  });
  assert.equal(await api.sumBytes(bytes), 10n);
  const chunks = [];
  for await (const c of await api.produce(10, 4)) chunks.push([...c]);
  assert.deepEqual(chunks, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  assert.equal(await api.echoFuture(sleep(2).then(() => 'later')), 'later');
  assert.equal(await api.callHost('page'), 'PAGE');
  const events = a.$trace.text().trimEnd().split('\n').slice(1);
  assert.deepEqual(events.slice(0, 5), ['> weft:test/async-api#sum-bytes(#1) -> task #2', '> stream #1: [1, 2, 3]', '> stream #1: [4]', '> stream #1 end', 'task #2 -> 10']);
  assert.ok(events.includes('< stream #4: [0, 1, 2, 3]') && events.includes('> future #5: "later"'), events.join('\n'));
  const { code, report } = await replay(a.$trace.text(), 'async');
  assert.equal(report, 'replayed 4 calls: as in the trace\n');
  assert.equal(code, 0);
});
