"""Differential oracle: the spec's executable reference, definitions.py, against weft.

Generates one batch of random types and values and writes, into an output directory:
  world.wit   a world importing, per type T<i>, `get<i>: func() -> T<i>` and exporting
              `lower<i>: func(x: T<i>)`, `pair<i>: func(x: T<i>, y: T<j>)` (j another
              type), `lift<i>: func() -> T<i>` and `call<i>: func()` (which calls
              `get<i>`), plus `reset`,
  core.wat    the core module: `lower<i>` and `pair<i>` record their flat arguments,
              `lift<i>` returns a preset flat value or pointer, `call<i>` records what
              `get<i>` returned (or has it stored at RETPTR), `cabi_realloc` is the allocator
              of the spec's tests (run_tests.py `Heap`) that logs every call, zeroes the
              block it returns and leaves a canary gap after it, and that `reset` can
              make hostile (one call returns a chosen pointer),
  cases.json  per case, what definitions.py (and, for the shapes of JS values,
              docs/js-api.md through oracle_js.py) says must happen:
              lower    the plain JS value lowered: flat values, realloc calls and the
                       bytes of the heap (or a trap); `result`: the same as get<i>'s
                       result; `pair`: the same with a second argument,
              coerced  other JS values of the same value (wrapped numbers, Arrays for
                       typed arrays, lone surrogates, missing none fields, ...): the same,
              evil     the plain value with a hostile realloc: the lowering or a trap,
              wrong    JS values of the wrong shape: a TypeError or RangeError naming
                       the path, or the value's own exception, before the guest runs,
              flip     JS values whose getters answer differently on a second read:
                       no write outside the blocks realloc returned,
              lift     a memory image (sometimes corrupted) lifted: a value or a trap.
Lowering a JS string is a host's lowering: its exact size is known before it allocates,
so weft (like wasmtime) asks realloc once, where store_string_to_utf8 and
store_string_to_latin1_or_utf16 (the spec's algorithms between components, which
oracle_transcode.py checks) grow and shrink; `host_lowering` puts the host's form in
their place for the lowering cases.
tests/conformance/oracle.mjs runs the cases against the component transpiled by weft.

  python3 oracle.py DEFINITIONS_PY OUT_DIR --seed S --types N --values K --encoding E
                    [--wrong W]   W wrong values per value (default 2)
"""

import argparse
import importlib.util
import json
import os
import random
import struct
import sys
import tempfile

from oracle_js import Js

# The guest's memory: logs, the lift preset and the realloc log's end below HEAP_BASE;
# the heap above it, filled with CANARY by `reset`. Each block realloc returns is zeroed
# and followed by GAP bytes of CANARY, so a write past a block's end shows.
LOG_FLAT = 0x100
LOG_REALLOC = 0x400
PRESET = 0x2000
RETPTR = 0x4000  # where `call<i>` has a host import's result stored
EVIL = 0x8000  # where a hostile realloc may put a valid block
HEAP_BASE = 0x10000
LOG_REALLOC_MAX = (RETPTR - LOG_REALLOC - 4) // 20
MEMORY_PAGES = 16
MEMORY_SIZE = MEMORY_PAGES * 65536
CANARY = 0xCC
GAP = 16
# The memory's address type (`--addr`): with i64 (🐘 memory64) pointers and lengths are
# 8 bytes and the component is written out whole (component.wat), since wit-component
# makes only 32-bit ones.
ADDR = "i32"


def host_lowering(d):
    """The spec's string stores with a 'utf16' source (a JS string) replaced by one
    allocation of the exact encoded size, as a host lowers its own strings. Returns a
    function that restores the spec's."""
    saved = (d.store_utf16_to_utf8, d.store_string_to_latin1_or_utf16)

    def utf16_to_utf8(cx, src, src_code_units):
        encoded = src.encode("utf-8")
        ptr = cx.allocate(1, len(encoded))
        d.trap_if(ptr + len(encoded) > len(cx.opts.memory))
        cx.opts.memory[ptr:ptr + len(encoded)] = encoded
        return (ptr, len(encoded))

    def to_latin1_or_utf16(cx, src, src_code_units):
        if all(ord(c) < 256 for c in src):
            encoded = src.encode("latin-1")
            units = len(encoded)
        else:
            encoded = src.encode("utf-16-le")
            units = (len(encoded) // 2) | d.utf16_tag(cx.opts.memory.ptr_type())
        ptr = cx.allocate(2, len(encoded))
        d.trap_if(ptr != d.align_to(ptr, 2))
        d.trap_if(ptr + len(encoded) > len(cx.opts.memory))
        cx.opts.memory[ptr:ptr + len(encoded)] = encoded
        return (ptr, units)

    d.store_utf16_to_utf8 = utf16_to_utf8
    d.store_string_to_latin1_or_utf16 = to_latin1_or_utf16

    def restore():
        d.store_utf16_to_utf8, d.store_string_to_latin1_or_utf16 = saved
    return restore


def load_definitions(path):
    # definitions.py relies on PEP 649 (Python >= 3.14); older Pythons need the
    # `from __future__ import annotations` shim, applied to a temporary copy.
    src = open(path, encoding="utf-8").read()
    tmp = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False, encoding="utf-8")
    tmp.write("from __future__ import annotations\n" + src)
    tmp.close()
    spec = importlib.util.spec_from_file_location("definitions", tmp.name)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["definitions"] = mod
    spec.loader.exec_module(mod)
    os.unlink(tmp.name)
    return mod


WORDS = ["alpha", "beta", "gamma", "delta", "red", "green", "blue", "north", "south",
         "east", "west", "apple", "pear", "plum", "kiwi", "lime", "one", "two", "three",
         "four", "five", "six", "seven", "eight", "nine", "ten", "x", "y", "z", "w"]


class Gen:
    def __init__(self, d, rng):
        self.d = d
        self.rng = rng
        self.named = []  # (wit name, definition text)
        self.names = {}  # id(type) -> wit name
        self.defined = []  # the named types, in definition order

    def labels(self, n):
        out = []
        while len(out) < n:
            a = self.rng.choice(WORDS)
            lab = a if self.rng.random() < 0.7 else f"{a}-{self.rng.choice(WORDS)}"
            if lab not in out:
                out.append(lab)
        return out

    def ty(self, depth):
        d = self.d
        prims = [d.BoolType(), d.S8Type(), d.U8Type(), d.S16Type(), d.U16Type(), d.S32Type(),
                 d.U32Type(), d.S64Type(), d.U64Type(), d.F32Type(), d.F64Type(), d.CharType(),
                 d.StringType()]
        if depth == 0 or self.rng.random() < 0.35:
            return self.rng.choice(prims)
        k = self.rng.randrange(11)
        sub = lambda: self.ty(depth - 1)
        if k == 0:
            return d.ListType(sub())
        if k == 1:
            return d.ListType(sub(), self.rng.randint(1, 4))
        if k == 2:
            return d.OptionType(sub())
        if k == 3:
            ok = sub() if self.rng.random() < 0.7 else None
            err = sub() if self.rng.random() < 0.7 else None
            return d.ResultType(ok, err)
        if k == 4:
            return d.TupleType([sub() for _ in range(self.rng.randint(1, 4))])
        if k == 5:
            key = self.rng.choice([d.StringType(), d.U32Type()])
            return d.MapType(key, sub())
        if k in (6, 7):
            t = d.RecordType([d.FieldType(l, sub()) for l in self.labels(self.rng.randint(1, 5))])
        elif k == 8:
            t = d.VariantType([d.CaseType(l, sub() if self.rng.random() < 0.7 else None)
                               for l in self.labels(self.rng.randint(1, 5))])
        elif k == 9:
            t = d.EnumType(self.labels(self.rng.randint(1, 6)))
        else:
            n = self.rng.choice([self.rng.randint(1, 10), self.rng.randint(1, 30)])
            t = d.FlagsType(self.labels(min(n, len(WORDS))))
        name = f"t{len(self.named)}"
        self.names[id(t)] = name
        self.defined.append(t)
        self.named.append((name, self.wit_def(name, t)))
        return t

    def wit_def(self, name, t):
        d = self.d
        if isinstance(t, d.RecordType):
            return f"record {name} {{ {', '.join(f'{f.label}: {self.wit(f.t)}' for f in t.fields)} }}"
        if isinstance(t, d.VariantType):
            cases = [c.label if c.t is None else f"{c.label}({self.wit(c.t)})" for c in t.cases]
            return f"variant {name} {{ {', '.join(cases)} }}"
        if isinstance(t, d.EnumType):
            return f"enum {name} {{ {', '.join(t.labels)} }}"
        return f"flags {name} {{ {', '.join(t.labels)} }}"

    def wit(self, t):
        d = self.d
        if id(t) in self.names:
            return self.names[id(t)]
        simple = {d.BoolType: "bool", d.S8Type: "s8", d.U8Type: "u8", d.S16Type: "s16",
                  d.U16Type: "u16", d.S32Type: "s32", d.U32Type: "u32", d.S64Type: "s64",
                  d.U64Type: "u64", d.F32Type: "f32", d.F64Type: "f64", d.CharType: "char",
                  d.StringType: "string"}
        for k, v in simple.items():
            if type(t) is k:
                return v
        if isinstance(t, d.ListType):
            return f"list<{self.wit(t.t)}>" if t.l is None else f"list<{self.wit(t.t)}, {t.l}>"
        if isinstance(t, d.OptionType):
            return f"option<{self.wit(t.t)}>"
        if isinstance(t, d.ResultType):
            if t.ok is None and t.error is None:
                return "result"
            if t.error is None:
                return f"result<{self.wit(t.ok)}>"
            return f"result<{'_' if t.ok is None else self.wit(t.ok)}, {self.wit(t.error)}>"
        if isinstance(t, d.TupleType):
            return f"tuple<{', '.join(self.wit(x) for x in t.ts)}>"
        if isinstance(t, d.MapType):
            return f"map<{self.wit(t.k)}, {self.wit(t.v)}>"
        raise ValueError(t)

    def scalar(self):
        k = self.rng.randrange(5)
        if k == 0:
            return self.rng.randrange(0x20, 0x7f)
        if k == 1:
            return self.rng.randrange(0x80, 0x100)
        if k == 2:
            return self.rng.randrange(0x100, 0xd800)
        if k == 3:
            return self.rng.randrange(0xe000, 0x10000)
        return self.rng.randrange(0x10000, 0x110000)

    def value(self, t):
        """A random value of `t` in definitions.py's representation."""
        d, r = self.d, self.rng
        edge = lambda lo, hi: r.choice([lo, hi, 0, r.randint(lo, hi)])
        if isinstance(t, d.BoolType): return r.random() < 0.5
        if isinstance(t, d.S8Type): return edge(-128, 127)
        if isinstance(t, d.U8Type): return edge(0, 255)
        if isinstance(t, d.S16Type): return edge(-32768, 32767)
        if isinstance(t, d.U16Type): return edge(0, 65535)
        if isinstance(t, d.S32Type): return edge(-2**31, 2**31 - 1)
        if isinstance(t, d.U32Type): return edge(0, 2**32 - 1)
        if isinstance(t, d.S64Type): return edge(-2**63, 2**63 - 1)
        if isinstance(t, d.U64Type): return edge(0, 2**64 - 1)
        if isinstance(t, d.F32Type):
            f = struct.unpack("<f", struct.pack("<I", r.getrandbits(32)))[0]
            return 0.0 if f != f else f  # NaN payloads are nondeterministic
        if isinstance(t, d.F64Type):
            f = struct.unpack("<d", struct.pack("<Q", r.getrandbits(64)))[0]
            return 0.0 if f != f else f
        if isinstance(t, d.CharType): return chr(self.scalar())
        if isinstance(t, d.StringType):
            s = "".join(chr(self.scalar()) for _ in range(r.randrange(12)))
            if r.random() < 0.3:
                s = "".join(chr(r.randrange(0x20, 0x100)) for _ in range(r.randrange(12)))
            return (s, "utf16", len(s.encode("utf-16-le")) // 2)
        if isinstance(t, d.ListType):
            n = t.l if t.l is not None else r.randrange(4)
            return [self.value(t.t) for _ in range(n)]
        if isinstance(t, d.RecordType): return {f.label: self.value(f.t) for f in t.fields}
        if isinstance(t, d.TupleType): return {str(i): self.value(x) for i, x in enumerate(t.ts)}
        if isinstance(t, d.VariantType):
            c = r.choice(t.cases)
            return {c.label: None if c.t is None else self.value(c.t)}
        if isinstance(t, d.EnumType): return {r.choice(t.labels): None}
        if isinstance(t, d.OptionType):
            return {"none": None} if r.random() < 0.3 else {"some": self.value(t.t)}
        if isinstance(t, d.ResultType):
            if r.random() < 0.5:
                return {"ok": None if t.ok is None else self.value(t.ok)}
            return {"error": None if t.error is None else self.value(t.error)}
        if isinstance(t, d.FlagsType): return {l: r.random() < 0.5 for l in t.labels}
        if isinstance(t, d.MapType):
            out, keys = [], set()
            for _ in range(r.randrange(4)):
                k = self.value(t.k)
                kk = k[0] if isinstance(k, tuple) else k
                if kk in keys:
                    continue
                keys.add(kk)
                out.append({"0": k, "1": self.value(t.v)})
            return out
        raise ValueError(t)


WASM = {"i32": "i32", "i64": "i64", "f32": "f32", "f64": "f64"}


def partner(i, n):
    """The type of `pair<i>`'s second parameter."""
    return (7 * i + 3) % n


def log_args(d, name, ts, opts, A="i32"):
    """An export that records its flat arguments (a pointer when they spill)."""
    params = d.flatten_types(ts, opts)
    if len(params) > d.MAX_FLAT_PARAMS:
        params = [A]
    body = [f"(i32.store ({A}.const {LOG_FLAT}) (i32.const {len(params)}))"]
    for k, p in enumerate(params):
        body.append(f"({p}.store ({A}.const {LOG_FLAT + 8 + 8 * k}) (local.get {k}))")
    return f"  (func (export \"{name}\") (param {' '.join(WASM[p] for p in params)}) {' '.join(body)})"


def get_sig(d, t, opts, A="i32"):
    """The core type of the lowered host import `get<i>` of type t."""
    results = d.flatten_types([t], opts)
    return f"(param {A})" if len(results) > d.MAX_FLAT_RESULTS else f"(result {results[0]})"


def libc_funcs(A="i32"):
    """The memory's globals, `cabi_realloc` and `reset`, with addresses of type A (the
    realloc log keeps 32-bit words: every address of the oracle's memory fits)."""
    w = (lambda e: f"(i32.wrap_i64 {e})") if A == "i64" else (lambda e: e)
    ext = (lambda e: f"(i64.extend_i32_u {e})") if A == "i64" else (lambda e: e)
    out = [f"  (global $bump (mut {A}) ({A}.const {HEAP_BASE}))",
           "  (global $log (mut i32) (i32.const 1))",
           "  (global $calls (mut i32) (i32.const 0))",
           "  (global $evil_call (mut i32) (i32.const 0))",
           "  (global $evil_mode (mut i32) (i32.const 0))",
           f"  (global $evil_value (mut {A}) ({A}.const 0))"]
    # Heap.realloc of run_tests.py (see `Allocator`), logging (old, old_size, align,
    # new_size, ret); a log longer than its area traps.
    out.append(f"""  (func $realloc (export "cabi_realloc") (param $o {A}) (param $os {A}) (param $al {A}) (param $ns {A}) (result {A})
    (local $ret {A}) (local $n i32) (local $at {A})
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (i32.and ({A}.ne (local.get $o) ({A}.const 0)) ({A}.lt_u (local.get $ns) (local.get $os)))
      (then (local.set $ret ({A}.and ({A}.add (local.get $o) ({A}.sub (local.get $al) ({A}.const 1)))
                                    ({A}.sub ({A}.const 0) (local.get $al)))))
      (else
        (local.set $ret ({A}.and ({A}.add (global.get $bump) ({A}.sub (local.get $al) ({A}.const 1)))
                                 ({A}.sub ({A}.const 0) (local.get $al))))
        (if ({A}.gt_u ({A}.add (local.get $ret) ({A}.add (local.get $ns) ({A}.const {GAP}))) ({A}.const {MEMORY_SIZE}))
          (then unreachable))
        (global.set $bump ({A}.add (local.get $ret) ({A}.add (local.get $ns) ({A}.const {GAP}))))
        (if (i32.eq (global.get $calls) (global.get $evil_call))
          (then (local.set $ret (select (global.get $evil_value)
                                        ({A}.add (local.get $ret) (global.get $evil_value))
                                        (i32.eqz (global.get $evil_mode)))))
          (else
            (memory.fill (local.get $ret) (i32.const 0) (local.get $ns))
            (memory.copy (local.get $ret) (local.get $o) (local.get $os))))))
    (if (i32.eqz (global.get $log)) (then (return (local.get $ret))))
    (local.set $n (i32.load ({A}.const {LOG_REALLOC})))
    (if (i32.ge_u (local.get $n) (i32.const {LOG_REALLOC_MAX})) (then unreachable))
    (local.set $at ({A}.add ({A}.const {LOG_REALLOC + 4}) {ext(f"(i32.mul (local.get $n) (i32.const 20))")}))
    (i32.store (local.get $at) {w("(local.get $o)")})
    (i32.store offset=4 (local.get $at) {w("(local.get $os)")})
    (i32.store offset=8 (local.get $at) {w("(local.get $al)")})
    (i32.store offset=12 (local.get $at) {w("(local.get $ns)")})
    (i32.store offset=16 (local.get $at) {w("(local.get $ret)")})
    (i32.store ({A}.const {LOG_REALLOC}) (i32.add (local.get $n) (i32.const 1)))
    (local.get $ret))""")
    # Called by the runner on the core instance directly, not through weft.
    out.append(f"""  (func (export "reset") (param $bump {A}) (param $log i32) (param $evil_call i32) (param $evil_mode i32) (param $evil_value {A})
    (global.set $bump (local.get $bump))
    (global.set $log (local.get $log))
    (global.set $calls (i32.const 0))
    (global.set $evil_call (local.get $evil_call))
    (global.set $evil_mode (local.get $evil_mode))
    (global.set $evil_value (local.get $evil_value))
    (memory.fill ({A}.const 0) (i32.const 0) ({A}.const {HEAP_BASE}))
    (memory.fill ({A}.const {HEAP_BASE}) (i32.const {CANARY}) ({A}.const {MEMORY_SIZE - HEAP_BASE})))""")
    return out


def main_funcs(d, types, opts, A="i32"):
    """Per type: `lower<i>`, `pair<i>`, `lift<i>` and `call<i>`, one line each (a saved
    regression keeps only its own, oracle.mjs)."""
    out = []
    for i, t in enumerate(types):
        out.append(log_args(d, f"lower{i}", [t], opts, A))
        out.append(log_args(d, f"pair{i}", [t, types[partner(i, len(types))]], opts, A))
        results = d.flatten_types([t], opts)
        if len(results) > d.MAX_FLAT_RESULTS:
            out.append(f"  (func (export \"lift{i}\") (result {A}) ({A}.load ({A}.const {PRESET})))")
            # The host's result stored at RETPTR; the log says no flat value.
            out.append(f"  (func (export \"call{i}\") (call $get{i} ({A}.const {RETPTR}))"
                       f" (i32.store ({A}.const {LOG_FLAT}) (i32.const 0)))")
        else:
            r = results[0]
            out.append(f"  (func (export \"lift{i}\") (result {r}) ({r}.load ({A}.const {PRESET})))")
            # Nothing written before the host returns.
            out.append(f"  (func (export \"call{i}\") (local $r {r}) (local.set $r (call $get{i}))"
                       f" (i32.store ({A}.const {LOG_FLAT}) (i32.const 1))"
                       f" ({r}.store ({A}.const {LOG_FLAT + 8}) (local.get $r)))")
    return out


def core_wat(d, types, opts):
    out = ["(module"]
    for i, t in enumerate(types):
        out.append(f"  (import \"$root\" \"get{i}\" (func $get{i} {get_sig(d, t, opts)}))")
    out.append(f"  (memory (export \"memory\") {MEMORY_PAGES} {MEMORY_PAGES})")
    out += libc_funcs()
    out += main_funcs(d, types, opts)
    out.append(")")
    return "\n".join(out)


def cm_type(d, g, t):
    """Type t in the component text format; a named type (record, variant, enum,
    flags) as the `$<name>` the component imports it as."""
    if id(t) in g.names:
        return f"${g.names[id(t)]}"
    prim = g.wit(t)
    if prim in ("bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64",
                "char", "string"):
        return prim
    sub = lambda x: cm_type(d, g, x)
    if isinstance(t, d.ListType):
        return f"(list {sub(t.t)})" if t.l is None else f"(list {sub(t.t)} {t.l})"
    if isinstance(t, d.OptionType):
        return f"(option {sub(t.t)})"
    if isinstance(t, d.ResultType):
        ok = "" if t.ok is None else f" {sub(t.ok)}"
        err = "" if t.error is None else f" (error {sub(t.error)})"
        return f"(result{ok}{err})"
    if isinstance(t, d.TupleType):
        return f"(tuple {' '.join(sub(x) for x in t.ts)})"
    if isinstance(t, d.MapType):
        return f"(map {sub(t.k)} {sub(t.v)})"
    raise ValueError(t)


def cm_def(d, g, t):
    """The definition of a named type in the component text format."""
    sub = lambda x: cm_type(d, g, x)
    if isinstance(t, d.RecordType):
        fields = [f'(field "{f.label}" {sub(f.t)})' for f in t.fields]
        return f"(record {' '.join(fields)})"
    if isinstance(t, d.VariantType):
        cases = [f'(case "{c.label}")' if c.t is None else f'(case "{c.label}" {sub(c.t)})' for c in t.cases]
        return f"(variant {' '.join(cases)})"
    if isinstance(t, d.EnumType):
        return "(enum " + " ".join(f'"{l}"' for l in t.labels) + ")"
    return "(flags " + " ".join(f'"{l}"' for l in t.labels) + ")"


def component_wat(d, g, types, opts, encoding):
    """The whole component of a batch with a 64-bit memory (wit-component makes only
    32-bit ones): a `libc` core module (the memory, realloc and reset), the named types
    imported as `t<k>`, the host imports `get<i>` lowered with libc's memory and realloc,
    and a `main` core module with the functions, lifted as world.wit says."""
    A = "i64"
    enc = {"compact-utf16": "latin1+utf16"}.get(encoding, encoding)
    opt = f"(memory $mem) (realloc $realloc) string-encoding={enc}"
    out = ["(component"]
    for t in g.defined:
        name = g.names[id(t)]
        out.append(f"  (type $def-{name} {cm_def(d, g, t)})")
        out.append(f"  (import \"{name}\" (type ${name} (eq $def-{name})))")
    out.append("  (core module $libc")
    out.append(f"  (memory (export \"memory\") {A} {MEMORY_PAGES} {MEMORY_PAGES})")
    out += libc_funcs(A)
    out.append("  )")
    out.append("  (core instance $libc (instantiate $libc))")
    out.append('  (alias core export $libc "memory" (core memory $mem))')
    out.append('  (alias core export $libc "cabi_realloc" (core func $realloc))')
    for i, t in enumerate(types):
        out.append(f"  (import \"get{i}\" (func $get{i} (result {cm_type(d, g, t)})))")
        out.append(f"  (core func $lower-get{i} (canon lower (func $get{i}) {opt}))")
    out.append("  (core module $main")
    out.append(f"  (import \"libc\" \"memory\" (memory {A} {MEMORY_PAGES} {MEMORY_PAGES}))")
    for i, t in enumerate(types):
        out.append(f"  (import \"$root\" \"get{i}\" (func $get{i} {get_sig(d, t, opts, A)}))")
    out += main_funcs(d, types, opts, A)
    out.append("  )")
    gets = " ".join(f'(export "get{i}" (func $lower-get{i}))' for i in range(len(types)))
    out.append(f"  (core instance $main (instantiate $main (with \"libc\" (instance $libc))"
               f" (with \"$root\" (instance {gets}))))")
    out.append('  (func (export "reset") (param "bump" u64) (param "log" u32) (param "evil-call" u32)'
               ' (param "evil-mode" u32) (param "evil-value" u64) (canon lift (core func $libc "reset")))')
    for i, t in enumerate(types):
        x, y = cm_type(d, g, t), cm_type(d, g, types[partner(i, len(types))])
        out.append(f"  (func (export \"lower{i}\") (param \"x\" {x}) (canon lift (core func $main \"lower{i}\") {opt}))")
        out.append(f"  (func (export \"pair{i}\") (param \"x\" {x}) (param \"y\" {y}) (canon lift (core func $main \"pair{i}\") {opt}))")
        out.append(f"  (func (export \"lift{i}\") (result {x}) (canon lift (core func $main \"lift{i}\") {opt}))")
        out.append(f"  (func (export \"call{i}\") (canon lift (core func $main \"call{i}\") {opt}))")
    out.append(")")
    return "\n".join(out)


def flat_bytes(flat_types, vals):
    out = bytearray()
    for ty, v in zip(flat_types, vals):
        if ty == "i32":
            out += struct.pack("<I", v % 2**32) + b"\0" * 4
        elif ty == "i64":
            out += struct.pack("<Q", v % 2**64)
        elif ty == "f32":
            out += struct.pack("<f", v) + b"\0" * 4
        else:
            out += struct.pack("<d", v)
    return bytes(out)


class Heap:
    """The guest's memory as `reset` leaves it, and its bump pointer."""

    def __init__(self):
        self.memory = bytearray(MEMORY_SIZE)
        self.memory[HEAP_BASE:] = bytes([CANARY]) * (MEMORY_SIZE - HEAP_BASE)
        self.last_alloc = HEAP_BASE


def context(d, encoding, heap, evil=None):
    """A LiftLowerContext over `heap` whose realloc is core.wat's: the spec tests'
    bump allocator, each block zeroed and followed by GAP canary bytes; with `evil`
    ([call, mode, value], call counted from 1), that call (a new block's) returns
    `value` (mode 0) or its pointer plus `value` (mode 1), and zeroes nothing. Returns
    the context and the log of calls."""
    opts = d.CanonicalOptions()
    opts.memory = d.MemInst(heap.memory, ADDR)
    opts.string_encoding = encoding
    calls = []

    def realloc(a):
        o, os_, al, ns = a
        if o != 0 and ns < os_:
            ret = d.align_to(o, al)
        else:
            ret = d.align_to(heap.last_alloc, al)
            d.trap_if(ret + ns + GAP > MEMORY_SIZE)
            heap.last_alloc = ret + ns + GAP
            if evil is not None and len(calls) + 1 == evil[0]:
                ret = (evil[2] if evil[1] == 0 else ret + evil[2]) % 2**(8 * d.ptr_size(ADDR))
            else:
                heap.memory[ret:ret + ns] = bytes(ns)
                heap.memory[ret:ret + os_] = heap.memory[o:o + os_]
        d.trap_if(len(calls) >= LOG_REALLOC_MAX)
        # The guest's log keeps 32-bit words.
        calls.append([x % 2**32 for x in (o, os_, al, ns, ret)])
        return [ret]

    opts.realloc = realloc
    opts.post_return = None
    opts.sync_task_return = False
    opts.async_ = False
    opts.callback = None
    inst = d.ComponentInstance(d.Store())
    return d.LiftLowerContext(opts, inst), calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("definitions")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--types", type=int, default=50)
    ap.add_argument("--values", type=int, default=5)
    ap.add_argument("--wrong", type=int, default=2)
    ap.add_argument("--encoding", default="utf8")
    ap.add_argument("--addr", choices=["i32", "i64"], default="i32")
    args = ap.parse_args()
    global ADDR
    ADDR = args.addr
    d = load_definitions(args.definitions)
    # wasm-tools spells latin1+utf16 `compact-utf16`.
    spec_encoding = {"compact-utf16": "latin1+utf16"}.get(args.encoding, args.encoding)
    d.DETERMINISTIC_PROFILE = True
    rng = random.Random(args.seed)
    g = Gen(d, rng)
    js = Js(d, g, ADDR)
    types = [g.ty(3) for _ in range(args.types)]
    os.makedirs(args.out, exist_ok=True)

    wit = ["package weft:oracle;", "", "interface types {"]
    wit += [f"  {text}" for _, text in g.named]
    wit += ["}", "", "world w {"]
    if g.named:
        wit.append(f"  use types.{{{', '.join(n for n, _ in g.named)}}};")
    wit.append("  export reset: func(bump: u32, log: u32, evil-call: u32, evil-mode: u32, evil-value: u32);")
    for i, t in enumerate(types):
        wit.append(f"  import get{i}: func() -> {g.wit(t)};")
        wit.append(f"  export lower{i}: func(x: {g.wit(t)});")
        wit.append(f"  export pair{i}: func(x: {g.wit(t)}, y: {g.wit(types[partner(i, len(types))])});")
        wit.append(f"  export lift{i}: func() -> {g.wit(t)};")
        wit.append(f"  export call{i}: func();")
    wit.append("}")
    open(os.path.join(args.out, "world.wit"), "w").write("\n".join(wit) + "\n")
    opts = context(d, spec_encoding, Heap())[0].opts
    if ADDR == "i64":
        # The types of component.wat are the generated ones, all made by now.
        open(os.path.join(args.out, "component.wat"), "w").write(component_wat(d, g, types, opts, args.encoding))
    else:
        open(os.path.join(args.out, "core.wat"), "w").write(core_wat(d, types, opts))

    def lowering(t, v, evil=None, result=False, more=()):
        """What lowering v as the export's parameter (followed by the (type, value)
        pairs of `more`; or, with `result`, as the result of a host import `call<i>`
        calls) must do: flat values, realloc calls and the bytes of the heap, of any
        block realloc put outside it, and of the result stored at RETPTR."""
        heap = Heap()
        cx, calls = context(d, spec_encoding, heap, evil)
        restore = host_lowering(d)
        ts, vs = [t] + [m[0] for m in more], [v] + [m[1] for m in more]
        ftypes = d.flatten_types(ts, cx.opts)
        spilled = len(ftypes) > (d.MAX_FLAT_RESULTS if result else d.MAX_FLAT_PARAMS)
        try:
            if result:
                flat = d.lower_flat_values(cx, d.MAX_FLAT_RESULTS, [v], [t], d.CoreValueIter([RETPTR]))
            else:
                flat = d.lower_flat_values(cx, d.MAX_FLAT_PARAMS, vs, ts)
        except d.Trap:
            return {"trap": True}
        finally:
            restore()
        if spilled:
            ftypes = [] if result else [ADDR]
        regions = [[HEAP_BASE, heap.memory[HEAP_BASE:heap.last_alloc].hex()]]
        if result and spilled:
            regions.append([RETPTR, heap.memory[RETPTR:RETPTR + d.elem_size(t, ADDR)].hex()])
        for _, _, _, ns, ret in calls:
            if not HEAP_BASE <= ret <= ret + ns <= heap.last_alloc:
                regions.append([ret, heap.memory[ret:ret + ns].hex()])
        return {"flat": flat_bytes(ftypes, flat).hex(), "realloc": calls, "regions": regions}

    def evil_realloc(calls):
        """A hostile answer to one of the realloc calls a lowering makes."""
        n = rng.randrange(len(calls))
        _, _, _, ns, _ = calls[n]
        choices = [[1, 1], [1, 2], [0, MEMORY_SIZE - ns + 1], [0, MEMORY_SIZE - ns], [0, 0xFFFFFFF0],
                   [0, MEMORY_SIZE]]
        if ns <= HEAP_BASE - EVIL:
            choices.append([0, EVIL])
        return [n + 1] + rng.choice(choices)

    def lifting(t, v):
        """A memory image holding v (from definitions.py's own store) as the export's
        result, sometimes corrupted, and what lifting it must give: a value or a
        trap."""
        heap = Heap()
        cx, _ = context(d, spec_encoding, heap)
        # With 64-bit pointers, one that only a truncation to 32 bits would make valid.
        wide = [] if ADDR == "i32" else [(1 << 32) + HEAP_BASE]
        if len(d.flatten_types([t], cx.opts)) > d.MAX_FLAT_RESULTS:
            ptr = cx.allocate(d.alignment(t, ADDR), d.elem_size(t, ADDR))
            d.store(cx, v, t, ptr)
            core = ptr
            image = bytes(heap.memory[HEAP_BASE:heap.last_alloc])
            k = rng.random()
            if k < 0.1:
                core = rng.choice([ptr + 1, ptr + 2, MEMORY_SIZE - 1, MEMORY_SIZE, 0xFFFFFFF8,
                                   rng.getrandbits(32)] + wide) % 2**(8 * d.ptr_size(ADDR))
            elif k < 0.35:
                corrupt(heap)
            preset = struct.pack("<I" if ADDR == "i32" else "<Q", core)
        else:
            [core] = d.lower_flat(cx, v, t)
            image = None
            if rng.random() < 0.25 and d.flatten_types([t], cx.opts)[0] == "i32":
                core = rng.choice([core + 1, core ^ 0xff, rng.getrandbits(32), 0xd800, 0xdfff, 0x110000,
                                   0x80000000, 0xffffffff, 2]) % 2**32
            preset = flat_bytes(d.flatten_types([t], cx.opts), [core])
        try:
            [got] = d.lift_flat_values(cx, d.MAX_FLAT_RESULTS, d.CoreValueIter([core]), [t])
            out = {"value": js.plain(t, got)}
            if image is not None and len(json.dumps(out)) > 20000:
                # A corrupted length made a huge list: lift the intact image instead.
                heap.memory[HEAP_BASE:heap.last_alloc] = image
                preset = struct.pack("<I" if ADDR == "i32" else "<Q", ptr)
                out = {"value": js.plain(t, v)}
        except d.Trap:
            out = {"trap": True}
        out["preset"] = preset.hex()
        out["heap"] = heap.memory[HEAP_BASE:heap.last_alloc].hex()
        return out

    def corrupt(heap):
        """One corruption of the heap image: a byte, a span, or an aligned word set
        to a value that is likely a bad pointer, length, discriminant or char."""
        lo, hi = HEAP_BASE, heap.last_alloc
        k = rng.randrange(3)
        if k == 0:
            heap.memory[rng.randrange(lo, hi)] = rng.randrange(256)
        elif k == 1:
            at = rng.randrange(lo, hi)
            n = min(rng.randint(1, 8), hi - at)
            heap.memory[at:at + n] = bytes(rng.choice([0, 0xff, CANARY]) for _ in range(n))
        elif hi - lo >= 4:
            at = lo + 4 * rng.randrange((hi - lo) // 4)
            word = rng.choice([0, 1, 0xffffffff, 0x80000000, 0x7fffffff, MEMORY_SIZE, MEMORY_SIZE - 1,
                               MEMORY_SIZE - 4, HEAP_BASE + 1, 0xd800, 0x110000, rng.getrandbits(32),
                               rng.randrange(lo, hi), rng.randrange(64)])
            heap.memory[at:at + 4] = struct.pack("<I", word)

    def host_forms(i, t, v):
        """A host import returning v: the JS value its function returns (the `ok`
        payload, or for `err` the payload it throws, of a top-level result), v's
        type there, and the root of the paths in its messages."""
        if not isinstance(t, d.ResultType):
            return None, t, v, f"result of get{i}"
        [(label, payload)] = v.items()
        if label == "ok":
            return "ok", t.ok, payload, f"result of get{i}"
        return "err", t.error, payload, f"err payload of get{i}"

    cases = []
    for i, t in enumerate(types):
        for _ in range(args.values):
            v = g.value(t)
            plain = js.plain(t, v)
            case = {"fn": i, "type": g.wit(t), "topResult": isinstance(t, d.ResultType),
                    "value": plain, "lower": lowering(t, v), "result": lowering(t, v, result=True),
                    # The bytes the result of get<i> takes at RETPTR when it is stored.
                    "retSize": d.elem_size(t, ADDR) if len(d.flatten_types([t], opts)) > d.MAX_FLAT_RESULTS else 0}
            tag, ht, hv, root = host_forms(i, t, v)
            case["coerced"] = []
            if rng.random() < 0.8:
                value, v2 = js.coerced(t, v)
                if value != plain:
                    case["coerced"].append({"value": value, "lower": lowering(t, v2)})
            if ht is not None and rng.random() < 0.5:
                value, h2 = js.coerced(ht, hv)
                v2 = h2 if tag is None else {list(v)[0]: h2}
                case["coerced"].append({"import": True, "tag": tag, "value": value,
                                        "lower": lowering(t, v2, result=True)})
            case["evil"] = []
            for result in (False, True):
                calls = case["result" if result else "lower"].get("realloc")
                if calls and rng.random() < 0.2:
                    evil = evil_realloc(calls)
                    case["evil"].append({"import": result, "realloc": evil,
                                         "lower": lowering(t, v, evil, result)})
            # pair<i>(x, y): two arguments, y of another type.
            tp = types[partner(i, len(types))]
            vp = g.value(tp)
            case["pair"] = {"second": js.plain(tp, vp), "lower": lowering(t, v, more=[(tp, vp)])}
            case["wrong"] = []
            for _ in range(args.wrong):
                w = js.wrong(t, v)
                if w is not None:
                    case["wrong"].append({"value": w[0], **w[1]})
            # A wrong second argument: refused before the first, right, is lowered.
            w = js.wrong(tp, vp, "arg 1")
            if w is not None:
                case["wrong"].append({"pair": True, "value": plain, "second": w[0], **w[1]})
            if ht is not None:
                w = js.wrong(ht, hv, root)
                if w is not None:
                    case["wrong"].append({"import": True, "tag": tag, "value": w[0], **w[1]})
            case["flip"] = []
            if rng.random() < 0.3:
                f = js.flip(t, v)
                if f is not None:
                    case["flip"].append({"value": f})
            if ht is not None and rng.random() < 0.2:
                f = js.flip(ht, hv)
                if f is not None:
                    case["flip"].append({"import": True, "tag": tag, "value": f})
            case["lift"] = lifting(t, v)
            cases.append(case)
    header = {"encoding": args.encoding, "addr": ADDR, "heapBase": HEAP_BASE, "logFlat": LOG_FLAT,
              "logRealloc": LOG_REALLOC, "preset": PRESET, "retptr": RETPTR, "memorySize": MEMORY_SIZE}
    json.dump({**header, "cases": cases}, open(os.path.join(args.out, "cases.json"), "w"))


if __name__ == "__main__":
    main()
