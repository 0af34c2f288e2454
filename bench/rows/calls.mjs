// The rows of the JS-to-guest table (bench/calls.wat's exports) and its floor, engine-
// neutral: bench/calls.mjs runs them in node, bench/browser/page.mjs in a page. How the
// floor is built and why a cell is timed as it is: bench/calls.mjs's header.
import { fmt } from '../format.mjs';
import { cellFunction, measure } from '../timing.mjs';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/**
 * Minimal hand-written bindings straight onto the core module of bench/calls.wat
 * (`coreBytes`, its .wasm). `more(core)` may add forms that only some engines have (node's
 * `Buffer`): it gets `{ memory, realloc, echo, echo16, echoVia }` and returns methods.
 */
export async function floorExports(coreBytes, more = () => ({})) {
  const { instance } = await WebAssembly.instantiate(coreBytes);
  const {
    memory,
    cabi_realloc: realloc,
    add: coreAdd,
    echo,
    echo16,
    echo32,
    'echo-points': corePoints,
    'echo-post': post,
    'echo-record': coreRecord,
    tag1,
    checked: coreChecked,
  } = instance.exports;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const dec16 = new TextDecoder('utf-16le');
  let viewBuffer, dataView;
  /** A DataView of memory, remade only when memory grew. */
  const view = () => (memory.buffer === viewBuffer ? dataView : (dataView = new DataView((viewBuffer = memory.buffer))));
  /** Calls the core echo `echoFn(p, len)`; returns `read(ptr, len)` of its copy, then frees it. */
  const echoVia = (echoFn, p, len, read) => {
    const r = echoFn(p, len);
    const v = view();
    const result = read(v.getUint32(r, true), v.getUint32(r + 4, true));
    post(r);
    return result;
  };
  const utf8Text = (p, n) => dec.decode(new Uint8Array(memory.buffer, p, n));
  return {
    add: (a, b) => coreAdd(a, b) >>> 0,
    echoString(s) {
      const cap = s.length * 3;
      const p = realloc(0, 0, 1, cap);
      const { written } = enc.encodeInto(s, new Uint8Array(memory.buffer, p, cap));
      return echoVia(echo, p, written, utf8Text);
    },
    echoString16(s) {
      const n = s.length;
      const p = realloc(0, 0, 2, 2 * n);
      const u = new Uint16Array(memory.buffer, p, n);
      for (let i = 0; i < n; i++) u[i] = s.charCodeAt(i);
      return echoVia(echo16, p, n, (q, m) => dec16.decode(new Uint8Array(memory.buffer, q, 2 * m)));
    },
    echoList(bytes) {
      const p = realloc(0, 0, 1, bytes.length);
      new Uint8Array(memory.buffer, p, bytes.length).set(bytes);
      return echoVia(echo, p, bytes.length, (q, n) => new Uint8Array(memory.buffer, q, n).slice());
    },
    echoList32(words) {
      const p = realloc(0, 0, 4, 4 * words.length);
      new Uint32Array(memory.buffer, p, words.length).set(words);
      return echoVia(echo32, p, words.length, (q, n) => new Uint32Array(memory.buffer, q, n).slice());
    },
    echoRecord(r) {
      const q = coreRecord(r.a, r.b, r.c, r.d, r.e, r.f, r.g ? 1 : 0, r.h.codePointAt(0));
      const v = view();
      return {
        a: v.getUint8(q),
        b: v.getInt16(q + 2, true),
        c: v.getUint32(q + 4, true),
        d: v.getBigInt64(q + 8, true),
        e: v.getFloat32(q + 16, true),
        f: v.getFloat64(q + 24, true),
        g: v.getUint8(q + 32) !== 0,
        h: String.fromCodePoint(v.getUint32(q + 36, true)),
      };
    },
    echoPoints(points) {
      const n = points.length;
      const p = realloc(0, 0, 8, 24 * n);
      let v = view();
      for (let i = 0; i < n; i++) {
        const { x, y, z } = points[i];
        v.setUint32(p + 24 * i, x, true);
        v.setFloat64(p + 24 * i + 8, y, true);
        v.setUint16(p + 24 * i + 16, z, true);
      }
      return echoVia(corePoints, p, n, (q, m) => {
        v = view(); // the echo's realloc may have grown memory
        const result = new Array(m);
        for (let i = 0; i < m; i++) {
          const e = q + 24 * i;
          result[i] = { x: v.getUint32(e, true), y: v.getFloat64(e + 8, true), z: v.getUint16(e + 16, true) };
        }
        return result;
      });
    },
    echoPointsTyped(points) {
      const n = points.length;
      const p = realloc(0, 0, 8, 24 * n);
      // 24-byte elements: x at u32 index 6i, y at f64 index 3i + 1, z at u16 index 12i + 8.
      let u32 = new Uint32Array(memory.buffer, p, 6 * n);
      let f64 = new Float64Array(memory.buffer, p, 3 * n);
      let u16 = new Uint16Array(memory.buffer, p, 12 * n);
      for (let i = 0; i < n; i++) {
        const { x, y, z } = points[i];
        u32[6 * i] = x;
        f64[3 * i + 1] = y;
        u16[12 * i + 8] = z;
      }
      return echoVia(corePoints, p, n, (q, m) => {
        u32 = new Uint32Array(memory.buffer, q, 6 * m);
        f64 = new Float64Array(memory.buffer, q, 3 * m);
        u16 = new Uint16Array(memory.buffer, q, 12 * m);
        const result = new Array(m);
        for (let i = 0; i < m; i++) result[i] = { x: u32[6 * i], y: f64[3 * i + 1], z: u16[12 * i + 8] };
        return result;
      });
    },
    some(n) {
      const q = tag1(n);
      const v = view();
      return v.getUint8(q) === 1 ? v.getUint32(q + 4, true) : null;
    },
    checked(n) {
      const q = coreChecked(n);
      const v = view();
      if (v.getUint8(q) === 0) return v.getUint32(q + 4, true);
      const error = new Error(utf8Text(v.getUint32(q + 4, true), v.getUint32(q + 8, true)));
      error.payload = error.message;
      throw error;
    },
    num(n) {
      const q = tag1(n);
      const v = view();
      const tag = v.getUint8(q);
      if (tag === 1) return { tag: 'num', value: v.getUint32(q + 4, true) };
      return tag === 0 ? { tag: 'none' } : { tag: 'text', value: utf8Text(v.getUint32(q + 4, true), v.getUint32(q + 8, true)) };
    },
    ...more({ memory, realloc, echo, echo16, echoVia }),
  };
}

// --- the rows -------------------------------------------------------------------------
// A row: `call`, a JS expression of `m` (the implementation's exports) and `x` (the row's
// input); `floor`, the floor's expressions when they differ from `call` (the cell is the
// fastest; keys label them in the note); `reference`, more forms of the floor timed for
// the note only, not counted (node's `Buffer`); `reps`, calls per timed function;
// `ok(result)`.
const ascii = (n) => {
  let s = '';
  for (let i = 0; s.length < n; i++) s += String.fromCharCode(32 + (i % 95));
  return s.slice(0, n);
};
const sameItems = (a, b) => a?.length === b.length && b.every((x, i) => a[i] === x);
const sizes = [
  ['16 B', 16],
  ['1 KiB', KiB],
  ['1 MiB', MiB],
];

function stringRows(reference) {
  const utf8 = sizes.map(([label, n]) => {
    const x = ascii(n);
    return {
      name: `echo-string, utf8, ${label}`,
      x,
      call: 'm.echoString(x)',
      floor: { portable: 'm.echoString(x)' },
      reference: reference.utf8,
      ok: (r) => r === x,
    };
  });
  const utf16 = sizes.map(([label, n]) => {
    const x = ascii(n);
    return {
      name: `echo-string, utf16, ${label}`,
      x,
      call: 'm.echoString16(x)',
      floor: { portable: 'm.echoString16(x)' },
      reference: reference.utf16,
      ok: (r) => r === x,
    };
  });
  return [...utf8, ...utf16];
}

function listRows() {
  const bytes = Uint8Array.from({ length: MiB }, (_, i) => (i * 7) % 256);
  const words = Uint32Array.from({ length: 256 * KiB }, (_, i) => Math.imul(i, 2654435761) >>> 0);
  const points = Array.from({ length: 10_000 }, (_, i) => ({ x: (i * 40503) >>> 0, y: i / 7, z: i & 0xffff }));
  const samePoints = (r) =>
    r?.length === points.length && points.every((p, i) => r[i].x === p.x && r[i].y === p.y && r[i].z === p.z);
  return [
    { name: 'echo-list<u8>, 1 MiB', x: bytes, call: 'm.echoList(x)', ok: (r) => r instanceof Uint8Array && sameItems(r, bytes) },
    { name: 'echo-list<u32>, 256 Ki', x: words, call: 'm.echoList32(x)', ok: (r) => sameItems(r, words) },
    {
      name: 'echo-list<point>, 10,000',
      x: points,
      call: 'm.shapes.echoPoints(x)',
      floor: { DataView: 'm.echoPoints(x)', 'typed arrays': 'm.echoPointsTyped(x)' },
      ok: samePoints,
    },
  ];
}

function scalarRows() {
  const r8 = { a: 200, b: -12345, c: 0xdead_beef, d: -(2n ** 40n) - 1n, e: 1.5, f: Math.PI, g: true, h: '\u{1F600}' };
  const sameR8 = (r) => r !== null && typeof r === 'object' && Object.keys(r8).every((k) => r[k] === r8[k]);
  const reps = 100;
  return [
    { name: 'add(u32, u32)', reps, call: 'm.add(0xffff_fff0, 7)', ok: (r) => r === (0xffff_fff0 + 7) >>> 0 },
    { name: 'echo-record(r8)', reps, x: r8, call: 'm.shapes.echoRecord(x)', floor: 'm.echoRecord(x)', ok: sameR8 },
    { name: 'some(u32) -> option<u32>', reps, call: 'm.some(7)', ok: (r) => r === 7 },
    { name: 'checked -> result<u32, string>, ok', reps, call: 'm.checked(7)', ok: (r) => r === 7 },
    {
      name: 'checked -> result<u32, string>, err + catch',
      reps,
      call: 'm.checked(0xffff_ffff)',
      ok: (r) => r instanceof Error && r.payload === 'value too large',
    },
    {
      name: 'num(u32) -> variant, num case',
      reps,
      call: 'm.shapes.num(7)',
      floor: 'm.num(7)',
      ok: (r) => r?.tag === 'num' && (r.value ?? r.val) === 7, // jco's payload key is `val`
    },
  ];
}

/**
 * The rows, in table order. `reference`: `{ utf8, utf16 }`, floor forms of the string
 * rows timed for their note only (`{ label: expression }`; node's `Buffer` codecs).
 */
export function callRows({ reference = {} } = {}) {
  return [...scalarRows(), ...stringRows(reference), ...listRows()];
}

/** ns per call of `call` on `m`, or an error message if its result is wrong. */
async function timeCall(label, row, call, m, T) {
  const reps = row.reps ?? 1;
  const f = cellFunction(label, call, m, row.x, reps);
  const r = f();
  if (!row.ok(r)) return { error: r instanceof Error ? `threw ${r.name}: ${r.message}` : 'returned wrong data' };
  return { ns: (await measure(f, T)) / reps };
}

/** `[label, expression, counted]` triples `name` runs for `row`: several only for a floor with a choice. */
function callsOf(row, name) {
  if (name !== 'floor' || row.floor === undefined) return [['', row.call, true]];
  if (typeof row.floor === 'string') return [['', row.floor, true]];
  const forms = Object.entries(row.floor).map(([label, call]) => [label, call, true]);
  const reference = Object.entries(row.reference ?? {}).map(([label, call]) => [label, call, false]);
  return [...forms, ...reference];
}

/**
 * Times one row on every implementation (`impls`: `{ name: exports }`, the floor's
 * under `floor`). Returns `{ name, cells: { name: ns }, note, errors, failed }`: a wrong
 * result leaves its cell empty with its error, and fails the run unless it is jco's.
 */
export async function runCallRow(row, impls, T) {
  const cells = {};
  const notes = [];
  const errors = [];
  let failed = false;
  for (const [name, m] of Object.entries(impls)) {
    const times = [];
    for (const [label, call, counted] of callsOf(row, name)) {
      const { ns, error } = await timeCall(`${name} ${label}: ${row.name}`, row, call, m, T);
      if (error) {
        errors.push(`${name}: ${row.name}${label && ` (${label})`} ${error}`);
        if (name !== 'jco') failed = true;
      } else times.push([label, ns, counted]);
    }
    // Reference forms (node's Buffer codecs) are timed for the note only: the floor is
    // what any JS engine offers (the issue's definition), as weft's output must run
    // everywhere.
    const counted = times.filter(([, , c]) => c);
    if (counted.length) cells[name] = Math.min(...counted.map(([, ns]) => ns));
    if (times.length > 1) {
      const forms = times.map(([l, ns, c]) => `${l}${c ? '' : ' (node only, not the floor)'} ${fmt(ns)} ns`);
      notes.push(`floor forms: ${forms.join(', ')}`);
    }
  }
  return { name: row.name, cells, note: notes.join('; ') || undefined, errors, failed };
}
