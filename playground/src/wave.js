// WAVE in the playground's call boxes: reading and writing are the runtime's
// (`@weft/transpiler/wave`, src/runtime/wave.js: wasm-wave 0.263's syntax); this module
// adds what a form needs: which types can be typed in, an example to start from, and
// placeholders for the values WAVE has no form for.
import { WaveError, waveRead, waveWrite, witType } from '@weft/transpiler/wave';

export { WaveError, witType };

/** The JS value `text` denotes, of `type`; a WaveError with its `offset` if it is none. */
export const parseValue = (text, type) => waveRead(type, text);

/**
 * `value` of `type` as WAVE; handles, futures, streams and error contexts are shown as
 * placeholders (`<own thing>`). A TypeError names the path of a value not of the type.
 */
export const formatValue = (value, type, root = 'value') => waveWrite(type, value, { root, handle: placeholder });

function placeholder(type, v) {
  switch (type.kind) {
    case 'own':
    case 'borrow':
      return `<${type.kind} ${type.resource}>`;
    case 'error-context':
      return typeof v?.message === 'string' ? `<error-context: ${v.message}>` : '<error-context>';
    default:
      return `<${type.kind}>`;
  }
}

const UNWRITABLE = new Set(['own', 'borrow', 'future', 'stream', 'error-context']);

/** Whether a value of the type can be written in WAVE (no handles, futures, …). */
export function writable(type) {
  if (UNWRITABLE.has(type.kind)) return false;
  switch (type.kind) {
    case 'list':
      return writable(type.element);
    case 'record':
      return type.fields.every((f) => writable(f.type));
    case 'variant':
      return type.cases.every((c) => c.type == null || writable(c.type));
    case 'tuple':
      return type.types.every(writable);
    case 'option':
      return writable(type.type);
    case 'result':
      return [type.ok, type.err].every((t) => t == null || writable(t));
    case 'map':
      return writable(type.key) && writable(type.value);
    default:
      return true;
  }
}

const KEYWORDS = new Set(['true', 'false', 'some', 'none', 'ok', 'err', 'inf', 'nan']);
const label = (name) => (KEYWORDS.has(name) ? `%${name}` : name);

/** A short valid WAVE text for the type, or null when the type is not writable. */
export function example(type) {
  return writable(type) ? exampleOf(type) : null;
}

function exampleOf(type) {
  switch (type.kind) {
    case 'bool': return 'true';
    case 'f32':
    case 'f64': return '3.5';
    case 'char': return "'x'";
    case 'string': return '"hello"';
    case 'list': {
      const element = exampleOf(type.element);
      return `[${type.length == null ? element : Array(type.length).fill(element).join(', ')}]`;
    }
    case 'record':
      if (type.fields.length === 0) return '{:}';
      return `{${type.fields.map((f) => `${f.name}: ${exampleOf(f.type)}`).join(', ')}}`;
    case 'tuple': return `(${type.types.map(exampleOf).join(', ')})`;
    case 'variant': {
      const c = type.cases[0];
      return c.type == null ? label(c.name) : `${label(c.name)}(${exampleOf(c.type)})`;
    }
    case 'enum': return label(type.cases[0]);
    case 'option': return `some(${exampleOf(type.type)})`;
    case 'result': return type.ok == null ? 'ok' : `ok(${exampleOf(type.ok)})`;
    case 'flags': return type.flags.length === 0 ? '{}' : `{${type.flags[0].name}}`;
    case 'map': return `{${exampleOf(type.key)}: ${exampleOf(type.value)}}`;
    default: return '42'; // the integers
  }
}
