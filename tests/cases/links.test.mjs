import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

// Direct links (crates/js/src/link.rs, docs/lazy-values.md): the second instance's
// imports are the first instance's exports.
const dir = new URL(`file://${process.env.WEFT_OUT}/inst/`);
const { instantiate } = await import(new URL('links.js', dir));
const load = (p) => WebAssembly.compile(readFileSync(new URL(p, dir)));
const hostImports = {
  'echo-in': { default: (s) => s },
  'echo16-in': { default: (s) => s },
  'boom-in': { default: () => 7 },
};

/** `f` behind a Proxy that counts calls made through JS. */
function counted(f) {
  const c = { calls: 0 };
  c.f = new Proxy(f, {
    apply(target, self, args) {
      c.calls++;
      return Reflect.apply(target, self, args);
    },
  });
  return c;
}

const text = 'héllo wörld ☃ 𝄞 '.repeat(20);

test('an export passed as an import of the same type is called directly', async () => {
  const first = await instantiate(load, hostImports);
  const echo = counted(first.echo);
  const second = await instantiate(load, {
    'echo-in': { default: echo.f },
    'echo16-in': { default: echo.f },
    'boom-in': { default: first.boom },
  });
  assert.equal(second.relay(text), text);
  // utf16 caller, utf8 callee: transcoded between the memories both ways.
  assert.equal(second.relay16(text), text);
  assert.equal(second.relay(''), '');
  assert.equal(echo.calls, 0, 'no call went through JS');
});

test('an ordinary JS function or an export of another type is called through JS', async () => {
  const first = await instantiate(load, hostImports);
  const echo = counted((s) => first.echo(s));
  const wrong = counted(first.echo); // echo is (string) -> string, boom-in is () -> u32
  const second = await instantiate(load, {
    'echo-in': { default: echo.f },
    'echo16-in': { default: echo.f },
    'boom-in': { default: wrong.f },
  });
  assert.equal(second.relay(text), text);
  assert.equal(echo.calls, 1);
  assert.throws(() => second.relayBoom(), TypeError);
  assert.equal(wrong.calls, 1);
});

test('a trap in the linked callee poisons it and reaches the caller', async () => {
  const first = await instantiate(load, hostImports);
  const second = await instantiate(load, {
    'echo-in': { default: first.echo },
    'echo16-in': { default: first.echo },
    'boom-in': { default: first.boom },
  });
  assert.throws(() => second.relayBoom(), WebAssembly.RuntimeError);
  assert.throws(() => first.echo('x'), /trapped earlier/);
  assert.throws(() => second.relay('x'), /trapped earlier/);
});

test('a poisoned callee traps a linked call before it starts', async () => {
  const first = await instantiate(load, hostImports);
  const second = await instantiate(load, {
    'echo-in': { default: first.echo },
    'echo16-in': { default: first.echo },
    'boom-in': { default: () => 1 },
  });
  assert.throws(() => first.boom(), WebAssembly.RuntimeError);
  assert.throws(() => second.relay('x'), /trapped earlier/);
});
