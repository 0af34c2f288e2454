// Type descriptors for the WAVE tests, written compactly and turned into the JSON the
// transpiler's `describe` makes (crates/js/src/describe.rs), which wave.js takes:
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
