"""Differential oracle: the spec's executable reference, definitions.py, against weft.

Generates one batch of random types and values and writes, into an output directory:
  world.wit   a world exporting, per type T<i>, `lower<i>: func(x: T<i>)` and
              `lift<i>: func() -> T<i>`, plus `reset`, `poke` and `dump`,
  core.wat    the core module: `lower<i>` records its flat arguments, `lift<i>`
              returns a preset flat value or pointer, `cabi_realloc` is the allocator
              of the spec's tests (run_tests.py `Heap`) and logs every call,
  cases.json  per case: the JS value, and what definitions.py says lowering it must
              produce (flat values, realloc calls, heap bytes) and what lifting a
              given memory image must give (a value or a trap).
Lowering a JS string is a host's lowering: its exact size is known before it allocates,
so weft (like wasmtime) asks realloc once, where store_string_to_utf8 and
store_string_to_latin1_or_utf16 (the spec's algorithms between components, which
oracle_transcode.py checks) grow and shrink; `host_lowering` puts the host's form in
their place for the lowering cases.
tests/conformance/oracle.mjs runs the cases against the component transpiled by weft.

  python3 oracle.py DEFINITIONS_PY OUT_DIR --seed S --types N --values K --encoding E
"""

import argparse
import importlib.util
import json
import os
import random
import struct
import sys
import tempfile

HEAP_BASE = 0x10000
LOG_FLAT = 0x100
LOG_REALLOC = 0x400
PRESET = 0x2000
RET_AREA = 0x3000
SCRATCH = 0x300000
MEMORY_PAGES = 64


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


def camel(label):
    parts = label.split("-")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


TYPED = {"U8Type": "Uint8Array", "S8Type": "Int8Array", "U16Type": "Uint16Array",
         "S16Type": "Int16Array", "U32Type": "Uint32Array", "S32Type": "Int32Array",
         "U64Type": "BigUint64Array", "S64Type": "BigInt64Array", "F32Type": "Float32Array",
         "F64Type": "Float64Array"}


def to_js(d, t, v):
    """definitions.py value -> weft's JS value, as JSON with tags for the reviver."""
    if isinstance(t, (d.S64Type, d.U64Type)):
        return {"$big": str(v)}
    if isinstance(t, (d.F32Type, d.F64Type)):
        return {"$f64": struct.pack("<d", v).hex()}
    if isinstance(t, (d.CharType,)):
        return v
    if isinstance(t, d.StringType):
        return v[0]
    if isinstance(t, d.ListType):
        elems = [to_js(d, t.t, x) for x in v]
        ta = TYPED.get(type(t.t).__name__)
        return {"$ta": ta, "v": elems} if ta else elems
    if isinstance(t, d.RecordType):
        return {camel(f.label): to_js(d, f.t, v[f.label]) for f in t.fields}
    if isinstance(t, d.TupleType):
        return [to_js(d, x, v[str(i)]) for i, x in enumerate(t.ts)]
    if isinstance(t, d.VariantType):
        [(label, payload)] = v.items()
        c = next(c for c in t.cases if c.label == label)
        return {"tag": label} if c.t is None else {"tag": label, "value": to_js(d, c.t, payload)}
    if isinstance(t, d.EnumType):
        [(label, _)] = v.items()
        return label
    if isinstance(t, d.OptionType):
        [(label, payload)] = v.items()
        nested = isinstance(t.t, d.OptionType)
        if label == "none":
            return {"tag": "none"} if nested else None
        inner = to_js(d, t.t, payload)
        return {"tag": "some", "value": inner} if nested else inner
    if isinstance(t, d.ResultType):
        [(label, payload)] = v.items()
        tag, pt = ("ok", t.ok) if label == "ok" else ("err", t.error)
        return {"tag": tag} if pt is None else {"tag": tag, "value": to_js(d, pt, payload)}
    if isinstance(t, d.FlagsType):
        return {camel(l): bool(v[l]) for l in t.labels}
    if isinstance(t, d.MapType):
        return {"$map": [[to_js(d, t.k, e["0"]), to_js(d, t.v, e["1"])] for e in v]}
    return v


WASM = {"i32": "i32", "i64": "i64", "f32": "f32", "f64": "f64"}


def core_wat(d, types, opts):
    out = ["(module", f"  (memory (export \"memory\") {MEMORY_PAGES})",
           f"  (global $bump (mut i32) (i32.const {HEAP_BASE}))",
           "  (global $log (mut i32) (i32.const 1))"]
    # Heap.realloc of run_tests.py, logging (old, old_size, align, new_size, ret).
    out.append(f"""  (func $realloc (export "cabi_realloc") (param $o i32) (param $os i32) (param $al i32) (param $ns i32) (result i32)
    (local $ret i32) (local $n i32) (local $at i32)
    (if (i32.and (i32.ne (local.get $o) (i32.const 0)) (i32.lt_u (local.get $ns) (local.get $os)))
      (then (local.set $ret (i32.and (i32.add (local.get $o) (i32.sub (local.get $al) (i32.const 1)))
                                    (i32.sub (i32.const 0) (local.get $al)))))
      (else
        (local.set $ret (i32.and (i32.add (global.get $bump) (i32.sub (local.get $al) (i32.const 1)))
                                 (i32.sub (i32.const 0) (local.get $al))))
        (global.set $bump (i32.add (local.get $ret) (local.get $ns)))
        (if (i32.gt_u (global.get $bump) (i32.const {MEMORY_PAGES * 65536})) (then unreachable))
        (memory.copy (local.get $ret) (local.get $o) (local.get $os))))
    (if (i32.eqz (global.get $log)) (then (return (local.get $ret))))
    (local.set $n (i32.load (i32.const {LOG_REALLOC})))
    (local.set $at (i32.add (i32.const {LOG_REALLOC + 4}) (i32.mul (local.get $n) (i32.const 20))))
    (i32.store (local.get $at) (local.get $o))
    (i32.store offset=4 (local.get $at) (local.get $os))
    (i32.store offset=8 (local.get $at) (local.get $al))
    (i32.store offset=12 (local.get $at) (local.get $ns))
    (i32.store offset=16 (local.get $at) (local.get $ret))
    (i32.store (i32.const {LOG_REALLOC}) (i32.add (local.get $n) (i32.const 1)))
    (local.get $ret))""")
    out.append(f"""  (func (export "reset") (param $bump i32) (param $log i32)
    (global.set $bump (local.get $bump))
    (global.set $log (local.get $log))
    (memory.fill (i32.const 0) (i32.const 0) (i32.const {HEAP_BASE}))
    (memory.fill (i32.const {HEAP_BASE}) (i32.const 0) (i32.const {(MEMORY_PAGES - 1) * 65536})))""")
    out.append("""  (func (export "poke") (param $addr i32) (param $ptr i32) (param $len i32)
    (memory.copy (local.get $addr) (local.get $ptr) (local.get $len))
    (memory.fill (local.get $ptr) (i32.const 0) (local.get $len)))""")
    out.append(f"""  (func (export "dump") (param $addr i32) (param $len i32) (result i32)
    (i32.store (i32.const {RET_AREA}) (local.get $addr))
    (i32.store (i32.const {RET_AREA + 4}) (local.get $len))
    (i32.const {RET_AREA}))""")
    for i, t in enumerate(types):
        ft = d.FuncType([t], [], async_=False) if "async_" in d.FuncType.__init__.__code__.co_varnames else None
        params = d.flatten_types([t], opts)
        if len(params) > d.MAX_FLAT_PARAMS:
            params = ["i32"]
        body = [f"(i32.store (i32.const {LOG_FLAT}) (i32.const {len(params)}))"]
        for k, p in enumerate(params):
            body.append(f"({p}.store (i32.const {LOG_FLAT + 8 + 8 * k}) (local.get {k}))")
        out.append(f"  (func (export \"lower{i}\") (param {' '.join(WASM[p] for p in params)})\n    {' '.join(body)})")
        results = d.flatten_types([t], opts)
        if len(results) > d.MAX_FLAT_RESULTS:
            out.append(f"  (func (export \"lift{i}\") (result i32) (i32.load (i32.const {PRESET})))")
        else:
            r = results[0]
            out.append(f"  (func (export \"lift{i}\") (result {r}) ({r}.load (i32.const {PRESET})))")
        del ft
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("definitions")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--types", type=int, default=50)
    ap.add_argument("--values", type=int, default=5)
    ap.add_argument("--encoding", default="utf8")
    args = ap.parse_args()
    d = load_definitions(args.definitions)
    # wasm-tools spells latin1+utf16 `compact-utf16`.
    spec_encoding = {"compact-utf16": "latin1+utf16"}.get(args.encoding, args.encoding)
    d.DETERMINISTIC_PROFILE = True
    rng = random.Random(args.seed)
    g = Gen(d, rng)
    types = [g.ty(3) for _ in range(args.types)]
    os.makedirs(args.out, exist_ok=True)

    wit = ["package weft:oracle;", "", "interface types {"]
    wit += [f"  {text}" for _, text in g.named]
    wit += ["}", "", "world w {"]
    if g.named:
        wit.append(f"  use types.{{{', '.join(n for n, _ in g.named)}}};")
    wit += ["  export reset: func(bump: u32, log: u32);", "  export poke: func(addr: u32, bytes: list<u8>);",
            "  export dump: func(addr: u32, len: u32) -> list<u8>;"]
    for i, t in enumerate(types):
        wit.append(f"  export lower{i}: func(x: {g.wit(t)});")
        wit.append(f"  export lift{i}: func() -> {g.wit(t)};")
    wit.append("}")
    open(os.path.join(args.out, "world.wit"), "w").write("\n".join(wit) + "\n")

    def mk(encoding, heap):
        opts = d.CanonicalOptions()
        opts.memory = d.MemInst(heap.memory, "i32")
        opts.string_encoding = encoding
        calls = []

        def realloc(a):
            o, os_, al, ns = a
            if o != 0 and ns < os_:
                ret = d.align_to(o, al)
            else:
                ret = d.align_to(heap.last_alloc, al)
                heap.last_alloc = ret + ns
                heap.memory[ret:ret + os_] = heap.memory[o:o + os_]
            calls.append([o, os_, al, ns, ret])
            return [ret]

        opts.realloc = realloc
        opts.post_return = None
        opts.sync_task_return = False
        opts.async_ = False
        opts.callback = None
        inst = d.ComponentInstance(d.Store())
        return d.LiftLowerContext(opts, inst), calls

    class Heap:
        def __init__(self):
            self.memory = bytearray(MEMORY_PAGES * 65536)
            self.last_alloc = HEAP_BASE

    opts_for_flat = mk(spec_encoding, Heap())[0].opts
    open(os.path.join(args.out, "core.wat"), "w").write(core_wat(d, types, opts_for_flat))

    cases = []
    for i, t in enumerate(types):
        for _ in range(args.values):
            v = g.value(t)
            case = {"fn": i, "value": to_js(d, t, v), "topResult": isinstance(t, d.ResultType),
                     "type": g.wit(t)}
            # Lowering (JS -> guest), as the export's parameter.
            heap = Heap()
            cx, calls = mk(spec_encoding, heap)
            restore = host_lowering(d)
            try:
                flat = d.lower_flat_values(cx, d.MAX_FLAT_PARAMS, [v], [t])
                ftypes = d.flatten_types([t], cx.opts)
                if len(ftypes) > d.MAX_FLAT_PARAMS:
                    ftypes = ["i32"]
                case["lower"] = {
                    "flat": flat_bytes(ftypes, flat).hex(),
                    "realloc": calls,
                    "heap": heap.memory[HEAP_BASE:heap.last_alloc].hex(),
                }
            except d.Trap:
                case["lower"] = {"trap": True}
            finally:
                restore()
            # Lifting (guest -> JS), as the export's result, from definitions.py's own
            # lowering of the value, sometimes corrupted.
            heap = Heap()
            cx, _ = mk(spec_encoding, heap)
            rtypes = d.flatten_types([t], cx.opts)
            if len(rtypes) > d.MAX_FLAT_RESULTS:
                ptr = cx.allocate(d.alignment(t, "i32"), d.elem_size(t, "i32"))
                d.store(cx, v, t, ptr)
                preset = struct.pack("<I", ptr)
                # The guest's memory holds the preset too; mirror it.
                heap.memory[PRESET:PRESET + 4] = preset
                if rng.random() < 0.2 and heap.last_alloc > HEAP_BASE:
                    k = rng.randrange(HEAP_BASE, heap.last_alloc)
                    heap.memory[k] = rng.randrange(256)
                try:
                    got = d.load(cx, ptr, t)
                    case["lift"] = {"value": to_js(d, t, got)}
                except d.Trap:
                    case["lift"] = {"trap": True}
            else:
                [fv] = d.lower_flat(cx, v, t)
                if rng.random() < 0.2 and rtypes[0] == "i32":
                    fv = rng.choice([fv + 1, fv ^ 0xff, rng.getrandbits(32), 0xd800, 0x110000]) % 2**32
                preset = flat_bytes(rtypes, [fv])
                heap.memory[PRESET:PRESET + 8] = preset
                try:
                    got = d.lift_flat(cx, d.CoreValueIter([fv]), t)
                    case["lift"] = {"value": to_js(d, t, got)}
                except d.Trap:
                    case["lift"] = {"trap": True}
            case["lift"]["preset"] = preset.hex()
            case["lift"]["heap"] = heap.memory[HEAP_BASE:heap.last_alloc].hex()
            cases.append(case)
    json.dump({"encoding": args.encoding, "heapBase": HEAP_BASE, "scratch": SCRATCH, "logFlat": LOG_FLAT,
               "logRealloc": LOG_REALLOC, "preset": PRESET, "cases": cases},
              open(os.path.join(args.out, "cases.json"), "w"))


if __name__ == "__main__":
    main()
