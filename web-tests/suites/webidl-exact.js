// The exactness of `webidl:` bindings (issue 16) in a browser: a dummy component importing
// every function of the WIT `weft webidl` makes for dom, html, cssom, uievents, url,
// fetch, streams and console (web-tests/webidl-exact/prepare.mjs made it, transpiled it
// with `--webidl-missing trap`, and wrote idl.json: the IDL as webidl2 reads it, the WIT
// functions, the generator's warnings). For every imported function the page reads the
// platform member the generated code binds it to (the `idlMissingTrap(member, import)`
// guarding its call) and checks:
//  - it is the member the IDL names by the exact naming rule (crates/webidl/src/names.rs,
//    restated below), on the right interface, of the right kind;
//  - whether the browser has it, the same as the module's own record of what it found
//    missing (`globalThis[Symbol.for('weft.webidlMissing')]`, src/runtime/webidl.js);
//  - a member the check calls missing is not one the browser has elsewhere (on the global
//    object or an instance: [Global] interfaces, [LegacyUnforgeable] members);
//  - every IDL member of the bound interfaces that the browser has is bound, or one the
//    generator left out with a warning (counted by reason, not a failure).
// The counts are test names, so the runner prints them.
import { config, test } from '../lib/test.js';

const { functions, warnings, idl, specs } = await (await fetch(new URL('../idl.json', config.out))).json();
const source = await (await fetch(new URL('webidl-exact.js', config.out))).text();

// --- what the module binds each function to -------------------------------------------

/** `webidl:web/<iface>#<function>` → the member its call is guarded by. */
const bound = new Map();
for (const m of source.matchAll(/idlMissingTrap\("([^"]+)", "([^"]+)"\)/g)) bound.set(m[2], m[1]);

const RECORD = Symbol.for('weft.webidlMissing');
delete globalThis[RECORD];
const { instantiate } = await import(new URL('webidl-exact.js', config.out));
let instantiateError;
try {
  await instantiate((p) => WebAssembly.compileStreaming(fetch(new URL(p, config.out))), {});
} catch (e) {
  instantiateError = e;
}
const recorded = new Set((globalThis[RECORD] ?? []).map((r) => r.member));

// --- the naming rule, WIT label → IDL identifier (names.rs, `wit_to_identifier`) --------

function witToIdent(label, type) {
  let out = '';
  let prevAcronym = false;
  for (const [i, frag] of label.split('-').entries()) {
    const lower = /^[a-z][a-z0-9]*$/.test(frag);
    const acronym = /^[A-Z][A-Z0-9]*$/.test(frag);
    if (!lower && !acronym) return null;
    if (acronym && i > 0 && /^N[0-9]/.test(frag)) out += `_${frag.slice(1)}`;
    else if (acronym) out += (prevAcronym ? '_' : '') + frag;
    else if (i === 0 && !type) out += frag;
    else out += frag[0].toUpperCase() + frag.slice(1);
    prevAcronym = acronym;
  }
  return out;
}

// --- what the IDL says each function is ------------------------------------------------

function chain(name) {
  const out = [];
  for (let n = name; n && idl[n] && !out.includes(n); n = idl[n].inherits) out.push(n);
  return out;
}

/**
 * The member `fn` (`{ iface, name }`) names in the IDL, as the binding's check spells it
 * (`Node.prototype.appendChild`, `URL.canParse`, `console.log`, `URL`), `{ cast }` for an
 * `as-*` cast, or `{ error }`.
 */
function expected({ iface, name }) {
  const find = (owner, label, isStatic) => {
    const want = witToIdent(label, false);
    for (const c of chain(owner)) {
      const ns = idl[c].kind === 'namespace';
      const m = idl[c].members.find((m) => m.name === want && m.type !== 'constructor' && (m.static || ns) === isStatic);
      if (m) return { c, m };
    }
    return null;
  };
  const member = (owner, label, isStatic) => {
    let f = find(owner, label, isStatic);
    let setter = false;
    if (!f && label.startsWith('set-')) {
      f = find(owner, label.slice(4), isStatic);
      setter = true;
      if (f && (f.m.type !== 'attribute' || f.m.readonly)) return { error: `\`${label}\`: \`${f.c}.${f.m.name}\` is not a writable attribute` };
    }
    if (!f) return { error: `no IDL member \`${witToIdent(label, false)}\` of \`${owner}\` or an ancestor` };
    const where = isStatic ? `${f.c}.` : `${f.c}.prototype.`;
    return { what: where + f.m.name, member: f.m, setter };
  };
  if (iface.startsWith('global-')) {
    const ns = witToIdent(iface.slice('global-'.length), false);
    if (idl[ns]?.kind !== 'namespace') return { error: `\`${ns}\` is no IDL namespace` };
    return member(ns, name, true);
  }
  let m;
  if ((m = /^\[constructor\](.*)$/.exec(name))) {
    const i = witToIdent(m[1], true);
    if (!idl[i]?.members.some((x) => x.type === 'constructor')) return { error: `\`${i}\` has no IDL constructor` };
    return { what: i };
  }
  if ((m = /^\[(method|static)\]([^.]*)\.(.*)$/.exec(name))) {
    const i = witToIdent(m[2], true);
    if (!idl[i]) return { error: `\`${i}\` is no IDL interface` };
    const label = m[3];
    if (m[1] === 'method' && label.startsWith('as-')) {
      const to = witToIdent(label.slice(3), true);
      if (chain(i).includes(to) || chain(to).includes(i)) return { cast: to };
    }
    return member(i, label, m[1] === 'static');
  }
  if ((m = /^get-(.*)$/.exec(name))) {
    const i = witToIdent(m[1], true);
    return idl[i]?.global ? { what: i } : { error: `\`${i}\` is no [Global] interface` };
  }
  return { error: 'a function of no known shape' };
}

// --- the browser ----------------------------------------------------------------------

/**
 * Whether `what` (`X.prototype.m`) is a property of each instance, not of the
 * prototype: a `[LegacyUnforgeable]` member, or any member of a `[Global]` interface
 * (the binding then checks only its interface, `X`).
 */
function onInstances(what) {
  const [i, p, name] = what.split('.');
  return p === 'prototype' && (idl[i]?.global || idl[i]?.members.some((m) => m.name === name && m.unforgeable));
}

/** Whether the binding's check finds `what`: the interface, `X.m` or `X.prototype.m`. */
function checked(what) {
  const [i, ...rest] = what.split('.');
  const v = globalThis[i];
  const obj = (typeof v === 'function' || typeof v === 'object') && v !== null ? v : null;
  if (rest.length === 0 || onInstances(what)) return obj !== null;
  if (obj === null) return false;
  if (rest[0] === 'prototype') return obj.prototype != null && rest[1] in obj.prototype;
  return rest[0] in obj;
}

/** Instances of `i` this page has, for members that live on instances. */
function instances(i) {
  const C = globalThis[i];
  if (typeof C !== 'function') return [];
  return [globalThis, document, location, navigator, document.documentElement, new Event('x')].filter((o) => {
    try {
      return o instanceof C;
    } catch {
      return false;
    }
  });
}

/**
 * Whether the browser has `what`: where the check looks, and for a member of instances, on
 * an instance when the page has one.
 */
function has(what) {
  if (!checked(what) || !onInstances(what)) return checked(what);
  const [i, , name] = what.split('.');
  const objs = instances(i);
  return objs.length === 0 || objs.some((o) => name in o);
}

// --- the comparison --------------------------------------------------------------------

const wrong = []; // bound to another member than the IDL names, or not bound
const casts = [];
const bindings = new Map(); // what → [functions]
for (const fn of functions) {
  const label = `webidl:web/${fn.iface}#${fn.name}`;
  const want = expected(fn);
  const got = bound.get(label);
  if (want.cast !== undefined) {
    if (got !== undefined) wrong.push(`${label}: a cast, bound to \`${got}\``);
    else casts.push(label);
    continue;
  }
  if (want.error) {
    wrong.push(`${label}: ${want.error}${got ? ` (bound to \`${got}\`)` : ''}`);
    continue;
  }
  if (got === undefined) {
    wrong.push(`${label}: not bound (the IDL names \`${want.what}\`)`);
  } else if (got !== want.what) {
    wrong.push(`${label}: bound to \`${got}\`, the IDL names \`${want.what}\``);
  } else {
    if (!bindings.has(got)) bindings.set(got, []);
    bindings.get(got).push(label);
  }
}

const members = [...bindings.keys()];
const lacking = members.filter((w) => !has(w));
const elsewhere = lacking.filter((w) => {
  const [i, p, name] = w.split('.');
  return p === 'prototype' && instances(i).some((o) => name in o);
});
// What the module recorded missing: the member, or for a member of instances its interface.
const disagree = members.filter((w) => checked(w) === recorded.has(onInstances(w) ? w.split('.')[0] : w));

// IDL members of the bound interfaces that the browser has and nothing is bound to.
const boundInterfaces = new Set(members.map((w) => w.split('.')[0]));
const leftOut = { count: 0, byReason: new Map() };
const notBound = [];
for (const i of boundInterfaces) {
  if (!idl[i]) continue;
  for (const m of idl[i].members) {
    if (m.type === 'constructor') continue;
    const isStatic = m.static || idl[i].kind === 'namespace';
    const what = isStatic ? `${i}.${m.name}` : `${i}.prototype.${m.name}`;
    if (bindings.has(what) || !has(what)) continue;
    // The warning names the member (`X.m`), or, for a name WIT already has, its label.
    const warning = warnings.find((w) => w.includes(`\`${i}.${m.name}\``) || w.includes(`\`${i}.${m.name}:`))
      ?? warnings.find((w) => w.includes('the name is taken') && witToIdent(/`([^`]*)`/.exec(w.replace(/^[^:]*:\d+:\d+: /, ''))?.[1] ?? '', false) === m.name);
    if (warning) {
      leftOut.count++;
      const reason = warning.replace(/^[^:]*:\d+:\d+: /, '').replace(/`[^`]*`/g, '…').replace(/\s+/g, ' ');
      leftOut.byReason.set(reason, (leftOut.byReason.get(reason) ?? 0) + 1);
    } else if (!notBound.includes(what)) {
      notBound.push(what);
    }
  }
}

/** `X.prototype.a, X.prototype.b, Y.c` → `X: a, b; Y: c` (static ones as `.c`). */
function byInterface(whats) {
  const groups = new Map();
  for (const w of whats) {
    const [i, ...rest] = w.split('.');
    const m = rest[0] === 'prototype' ? rest.slice(1).join('.') : rest.length ? `.${rest.join('.')}` : '(the interface)';
    if (!groups.has(i)) groups.set(i, []);
    groups.get(i).push(m);
  }
  return [...groups].map(([i, ms]) => `${i}: ${ms.join(', ')}`).join('; ');
}

const functionsBound = [...bindings.values()].reduce((n, l) => n + l.length, 0);
const lackingInterfaces = lacking.filter((w) => !w.includes('.'));

test(`instantiates with --webidl-missing trap (${specs.join(', ')}: ${functions.length} WIT functions)`, () => {
  if (instantiateError) throw instantiateError;
});

test(
  `webidl exactness: ${members.length} members bound (${functionsBound} functions, ${casts.length} casts), ` +
    `${members.length - lacking.length} in the browser, ${lacking.length} lacking (${lackingInterfaces.length} whole interfaces)`,
  () => {},
);

test(`lacking in the browser (${lacking.length}), by interface: ${byInterface(lacking)}`, () => {});

test(
  `left out by weft webidl with warnings: ${warnings.length} warnings; ${leftOut.count} members the browser has, by reason: ` +
    [...leftOut.byReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n}× ${r}`).join(' | '),
  () => {},
);

/** Fails listing every item of `list`, if any. */
function none(list) {
  if (list.length) throw new Error(`${list.length}:\n${list.join('\n')}`);
}

test('every function is bound to the member the IDL names, exactly', () => none(wrong));

test("the module's record of missing members is what the browser lacks", () =>
  none(disagree.map((w) => `${w}: ${checked(w) ? 'present, recorded missing' : 'missing, not recorded'}`)));

test('no member is called missing that the browser has on the global object or an instance', () => none(elsewhere));

test('every IDL member of the bound interfaces that the browser has is bound (or left out with a warning)', () => none(notBound));
