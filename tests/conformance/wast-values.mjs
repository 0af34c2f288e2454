// Wast values as JS values, and the comparison of a result with an expected wast value:
// the rules of the spec suite's run (spec.mjs), shared with the async driver's replays
// (tests/async-driver/targets/spec.mjs), so that both judge results alike.

/** The JS name weft gives an export. */
export function camel(name) {
  return name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

function f32FromBits(bits) {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, Number(bits));
  return dv.getFloat32(0);
}
function f64FromBits(bits) {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, BigInt(bits));
  return dv.getFloat64(0);
}

/** A wast typed value → the JS value weft accepts. */
export function toJs(v) {
  switch (v.type) {
    case 'bool': return v.value;
    case 'u8': case 's8': case 'u16': case 's16': case 'u32': case 's32': return Number(v.value);
    case 'u64': case 's64': return BigInt(v.value);
    case 'f32': return f32FromBits(v.value);
    case 'f64': return f64FromBits(v.value);
    case 'char': case 'string': return v.value;
    case 'list': case 'tuple': return v.value.map(toJs);
    case 'record': return Object.fromEntries(v.value.map(([k, x]) => [camel(k), toJs(x)]));
    case 'variant':
      return v.value.payload === undefined || v.value.payload === null
        ? { tag: v.value.case }
        : { tag: v.value.case, value: toJs(v.value.payload) };
    case 'enum': return v.value;
    case 'flags': return Object.fromEntries(v.value.map((f) => [camel(f), true]));
    case 'option':
      if (v.value === null) return null;
      if (v.value.type === 'option') return { tag: 'some', value: toJs(v.value) };
      return toJs(v.value);
    case 'result': {
      const [[tag, payload]] = Object.entries(v.value);
      const t = tag.toLowerCase();
      return payload === null || payload === undefined ? { tag: t } : { tag: t, value: toJs(payload) };
    }
    default: throw new Error(`unsupported wast value type ${v.type}`);
  }
}

function sameFloat(a, b) {
  return (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
}

/** Compares an actual JS value with an expected wast value; returns a reason or null. */
export function mismatch(actual, exp, path = 'result') {
  const bad = (why) => `${path}: ${why}`;
  switch (exp.type) {
    case 'f32': return sameFloat(actual, f32FromBits(exp.value)) ? null : bad(`expected ${f32FromBits(exp.value)}, got ${actual}`);
    case 'f64': return sameFloat(actual, f64FromBits(exp.value)) ? null : bad(`expected ${f64FromBits(exp.value)}, got ${actual}`);
    case 'list': case 'tuple': {
      const arr = actual instanceof Map ? [...actual] : actual;
      if (!arr || typeof arr.length !== 'number') return bad(`expected a ${exp.type}, got ${String(actual)}`);
      if (arr.length !== exp.value.length) return bad(`expected length ${exp.value.length}, got ${arr.length}`);
      for (let i = 0; i < arr.length; i++) {
        const m = mismatch(arr[i], exp.value[i], `${path}[${i}]`);
        if (m) return m;
      }
      return null;
    }
    case 'record': {
      for (const [k, x] of exp.value) {
        const m = mismatch(actual?.[camel(k)], x, `${path}.${k}`);
        if (m) return m;
      }
      return null;
    }
    case 'variant': {
      if (actual?.tag !== exp.value.case) return bad(`expected case ${exp.value.case}, got ${actual?.tag}`);
      if (exp.value.payload == null) return null;
      return mismatch(actual.value, exp.value.payload, `${path}.${exp.value.case}`);
    }
    case 'option': {
      if (exp.value === null) {
        return actual === null || actual?.tag === 'none' ? null : bad(`expected none, got ${String(actual)}`);
      }
      if (exp.value.type === 'option') {
        if (actual?.tag !== 'some') return bad('expected some');
        return mismatch(actual.value, exp.value, path);
      }
      return mismatch(actual, exp.value, path);
    }
    case 'result': {
      const [[tag, payload]] = Object.entries(exp.value);
      const t = tag.toLowerCase();
      if (actual?.tag !== t) return bad(`expected ${t}, got ${actual?.tag}`);
      return payload == null ? null : mismatch(actual.value, payload, `${path}.${t}`);
    }
    case 'flags': {
      const want = new Set(exp.value.map(camel));
      for (const [k, b] of Object.entries(actual ?? {})) {
        if (b !== want.has(k)) return bad(`flag ${k} is ${b}`);
      }
      return null;
    }
    default: {
      const want = toJs(exp);
      return actual === want ? null : bad(`expected ${String(want)}, got ${String(actual)}`);
    }
  }
}
