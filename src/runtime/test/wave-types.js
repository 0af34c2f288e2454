// Type descriptors for the WAVE tests, as the transpiler's `describe` makes them
// (crates/js/src/describe.rs), which wave.js takes. Two ways to write them: builders
// (`record('point', { x: s32, y: s32 })`) and a compact form (`ty`, below).

export const prim = (kind) => ({ kind });
const camel = (name) => name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
export const list = (element, length) => (length == null ? { kind: 'list', element } : { kind: 'list', element, length });
export const tuple = (...types) => ({ kind: 'tuple', types });
export const option = (type) => ({ kind: 'option', type });
export const result = (ok, err) => ({ kind: 'result', ok, err });
export const map = (key, value) => ({ kind: 'map', key, value });
/** `record(name | null, { 'field-name': type, … })`; `js` is the camelCase name. */
export const record = (name, fields) => ({
  kind: 'record', name, fields: Object.entries(fields).map(([n, type]) => ({ name: n, js: camel(n), type })),
});
/** `variant(name | null, { case: type | null, … })`. */
export const variant = (name, cases) => ({
  kind: 'variant', name, cases: Object.entries(cases).map(([n, type]) => ({ name: n, type })),
});
export const enumType = (name, cases) => ({ kind: 'enum', name, cases });
export const flags = (name, names) => ({ kind: 'flags', name, flags: names.map((n) => ({ name: n, js: camel(n) })) });

/** Types the tests of wave.js and of the playground's helpers use. */
export const [bool, s8, u8, s16, u16, s32, u32, s64, u64, f32, f64, char, string] =
  ['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string'].map(prim);
export const point = record('point', { x: s32, y: s32 });
export const color = enumType('color', ['red', 'green', 'blue']);
export const shape = variant('shape', { circle: f64, rect: tuple(f64, f64), empty: null });
export const perms = flags('perms', ['read', 'write', 'read-only']);
export const thing = { kind: 'own', resource: 'thing' };

// The compact form:
//   'u8' …                                  → { kind: 'u8' }
//   { list: T, len? }                       → { kind: 'list', element, length }
//   { tuple: [T…] }                         → { kind: 'tuple', types }
//   { record: [[name, js, T]…] }            → { kind: 'record', name: null, fields: [{ name, js, type }] }
//   { flags: [[name, js]…] }                → { kind: 'flags', name: null, flags: [{ name, js }] }
//   { variant: [[name, T | null]…] }        → { kind: 'variant', name: null, cases: [{ name, type }] }
//   { enum: [name…] }                       → { kind: 'enum', name: null, cases }
//   { option: T }  { result: [ok, err] }  { map: [K, V] }
export function ty(t) {
  if (typeof t === 'string') return { kind: t };
  if ('list' in t) return { kind: 'list', element: ty(t.list), ...(t.len === undefined ? {} : { length: t.len }) };
  if ('tuple' in t) return { kind: 'tuple', types: t.tuple.map(ty) };
  if ('record' in t) return { kind: 'record', name: null, fields: t.record.map(([name, js, type]) => ({ name, js, type: ty(type) })) };
  if ('flags' in t) return { kind: 'flags', name: null, flags: t.flags.map(([name, js]) => ({ name, js })) };
  if ('variant' in t) return { kind: 'variant', name: null, cases: t.variant.map(([name, type]) => ({ name, type: type === null ? null : ty(type) })) };
  if ('enum' in t) return { kind: 'enum', name: null, cases: t.enum };
  if ('option' in t) return { kind: 'option', type: ty(t.option) };
  if ('result' in t) return { kind: 'result', ok: t.result[0] === null ? null : ty(t.result[0]), err: t.result[1] === null ? null : ty(t.result[1]) };
  if ('map' in t) return { kind: 'map', key: ty(t.map[0]), value: ty(t.map[1]) };
  throw new Error(`not a test type: ${JSON.stringify(t)}`);
}
