// The `webidl` guest: its `webidl:web` imports are bound to the platform itself (no
// import object for them), so each export's observations are what the engine's own URL,
// TextEncoder, Request, Event and console did. Runs in node and in the page (see
// ../testing.mjs); both have these Web APIs.
import { assert, loadGuest, test } from '../testing.mjs';

const { instance: g, instantiate } = await loadGuest('webidl', () => ({}));

test('URL and URLSearchParams: constructor, getters, setters, statics, nullable results', () => {
  assert.deepEqual(g.urlDemo('https://example.org:8080/a?x=1'), [
    'https://example.org:8080/a?x=1',
    'https://example.org:8080',
    'https:',
    'example.org',
    '/a',
    'https://example.org:8080/b/c?x=1&q=a+b&q=c',
    'a b',
    'none',
    'a b|c',
    '3',
    'false',
    'true',
    'none',
    'https://example.org:8080/b/c?x=1&q=a+b&q=c',
  ]);
});

test('a platform exception (new URL of a bad URL) unwinds the guest, which is then poisoned', async () => {
  const h = await instantiate();
  assert.throws(() => h.urlDemo('not a url'), TypeError);
  assert.throws(() => h.urlDemo('https://example.org/'), (e) => e.poisoned === true);
});

test('bytes: Uint8Array results and list<u8> arguments', () => {
  const [bytes, back] = g.bytesDemo('héllo €');
  assert.deepEqual([...bytes], [...new TextEncoder().encode('héllo €')]);
  assert.equal(back, 'héllo €');
});

test('Request: a dictionary with enums (the empty string value too) and a union', () => {
  const h = g;
  for (const [empty, policy] of [[true, 'ReferrerPolicy::Empty'], [false, 'ReferrerPolicy::NoReferrer']]) {
    assert.deepEqual(h.requestDemo('https://example.org/r', empty), [
      'POST',
      'https://example.org/r',
      policy,
      'RequestMode::SameOrigin',
      '1',
      '3',
      'false',
      'POST',
      'https://example.org/r',
    ]);
  }
});

test('Event, EventTarget, constants, casts, AbortController and any', () => {
  assert.deepEqual(g.eventsDemo(), [
    'ping',
    'true',
    'true',
    '0',
    'no target',
    'true',
    'a target',
    '0 2',
    'not a signal',
    'false',
    'undefined',
    'true',
    'string stop',
    'a signal, aborted true',
    'object',
    'undefined',
  ]);
});

test('console.log: a namespace function with variadic arguments', () => {
  const calls = [];
  const log = console.log;
  console.log = (...args) => calls.push(args);
  try {
    g.logDemo('from the guest');
  } finally {
    console.log = log;
  }
  assert.deepEqual(calls, [['from the guest', 42, true]]);
});
