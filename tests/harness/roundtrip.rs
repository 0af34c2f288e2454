//! Round-trip property tests over generated types and values.
//!
//! A seeded generator makes random WIT types (every kind of value type, nested) and a
//! world with, per type `T`, an import `f<i>: func(x: T) -> T` and an export
//! `g<i>: func(x: T) -> T`. The core module is generated here: each `g<i>` passes its
//! core parameters straight to the lowered `f<i>` and returns what it returned (or the
//! same return area). wit-component builds the component, which checks the core
//! signatures against its own Canonical ABI. In node, JS calls `g<i>(v)` for random
//! values `v`: the value is lowered into the guest, lifted for the JS import (which
//! records and returns it), lowered back, and lifted as `g`'s result; both must equal
//! `v`. `WEFT_ROUNDTRIP_TYPES`/`WEFT_ROUNDTRIP_VALUES`/`WEFT_ROUNDTRIP_SEED` scale a
//! long run.

use std::fmt::Write;

use weft_tests::{node_test, nodes, out_dir, transpile};
use wit_component::{ComponentEncoder, StringEncoding, embed_component_metadata};
use wit_parser::abi::{AbiVariant, WasmSignature, WasmType};
use wit_parser::{Resolve, WorldItem};

/// xorshift64*: small, seeded, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone)]
enum Ty {
    Prim(&'static str),
    List(Box<Ty>),
    Option(Box<Ty>),
    Result(Option<Box<Ty>>, Option<Box<Ty>>),
    Tuple(Vec<Ty>),
    Map(Box<Ty>, Box<Ty>),
    FixedList(Box<Ty>, u32),
    Named(usize),
}

enum Named {
    Record(Vec<(String, Ty)>),
    Variant(Vec<(String, Option<Ty>)>),
    Enum(Vec<String>),
    Flags(Vec<String>),
}

const PRIMS: &[&str] = &[
    "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
];
const WORDS: &[&str] = &[
    "alpha", "beta", "gamma", "delta", "red", "green", "blue", "north", "south", "east", "west",
    "apple", "pear", "plum", "kiwi", "lime", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "ten", "eleven", "twelve", "x", "y", "z", "w", "big", "small",
];

struct Gen {
    rng: Rng,
    named: Vec<Named>,
}

impl Gen {
    fn labels(&mut self, n: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < n {
            let a = WORDS[self.rng.below(WORDS.len() as u64) as usize];
            let l = if self.rng.chance(30) {
                let b = WORDS[self.rng.below(WORDS.len() as u64) as usize];
                format!("{a}-{b}")
            } else {
                a.to_string()
            };
            if !out.contains(&l) {
                out.push(l);
            }
        }
        out
    }

    fn ty(&mut self, depth: u32) -> Ty {
        if depth == 0 || self.rng.chance(35) {
            return Ty::Prim(PRIMS[self.rng.below(PRIMS.len() as u64) as usize]);
        }
        let d = depth - 1;
        match self.rng.below(11) {
            0 => Ty::List(Box::new(self.ty(d))),
            10 => Ty::FixedList(Box::new(self.ty(d)), 1 + self.rng.below(4) as u32),
            1 => Ty::Option(Box::new(self.ty(d))),
            2 => {
                let ok = self.rng.chance(70).then(|| Box::new(self.ty(d)));
                let err = self.rng.chance(70).then(|| Box::new(self.ty(d)));
                Ty::Result(ok, err)
            }
            3 => {
                let n = 1 + self.rng.below(4) as usize;
                Ty::Tuple((0..n).map(|_| self.ty(d)).collect())
            }
            4 => {
                let k = if self.rng.chance(50) { "string" } else { "u32" };
                Ty::Map(Box::new(Ty::Prim(k)), Box::new(self.ty(d)))
            }
            5 | 6 => {
                let n = 1 + self.rng.below(5) as usize;
                let labels = self.labels(n);
                let fields = labels.into_iter().map(|l| (l, self.ty(d))).collect();
                self.push(Named::Record(fields))
            }
            7 => {
                let n = 1 + self.rng.below(5) as usize;
                let labels = self.labels(n);
                let cases = labels
                    .into_iter()
                    .map(|l| (l, self.rng.chance(70).then(|| self.ty(d))))
                    .collect();
                self.push(Named::Variant(cases))
            }
            8 => {
                let n = 1 + self.rng.below(6) as usize;
                let labels = self.labels(n);
                self.push(Named::Enum(labels))
            }
            _ => {
                let max = if self.rng.chance(20) { 32 } else { 10 };
                let n = 1 + self.rng.below(max) as usize;
                let n = n.min(WORDS.len());
                let labels = self.labels(n);
                self.push(Named::Flags(labels))
            }
        }
    }

    fn push(&mut self, n: Named) -> Ty {
        self.named.push(n);
        Ty::Named(self.named.len() - 1)
    }

    fn wit(&self, t: &Ty) -> String {
        match t {
            Ty::Prim(p) => (*p).to_string(),
            Ty::List(t) => format!("list<{}>", self.wit(t)),
            Ty::Option(t) => format!("option<{}>", self.wit(t)),
            Ty::Result(None, None) => "result".into(),
            Ty::Result(Some(o), None) => format!("result<{}>", self.wit(o)),
            Ty::Result(None, Some(e)) => format!("result<_, {}>", self.wit(e)),
            Ty::Result(Some(o), Some(e)) => format!("result<{}, {}>", self.wit(o), self.wit(e)),
            Ty::Tuple(ts) => format!(
                "tuple<{}>",
                ts.iter()
                    .map(|t| self.wit(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Ty::Map(k, v) => format!("map<{}, {}>", self.wit(k), self.wit(v)),
            Ty::FixedList(t, n) => format!("list<{}, {n}>", self.wit(t)),
            Ty::Named(i) => format!("t{i}"),
        }
    }

    fn wit_named(&self, i: usize) -> String {
        match &self.named[i] {
            Named::Record(fs) => format!(
                "record t{i} {{ {} }}",
                fs.iter()
                    .map(|(l, t)| format!("{l}: {}", self.wit(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Named::Variant(cs) => format!(
                "variant t{i} {{ {} }}",
                cs.iter()
                    .map(|(l, t)| match t {
                        Some(t) => format!("{l}({})", self.wit(t)),
                        None => l.clone(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Named::Enum(ls) => format!("enum t{i} {{ {} }}", ls.join(", ")),
            Named::Flags(ls) => format!("flags t{i} {{ {} }}", ls.join(", ")),
        }
    }

    /// A random JS value of type `t`, as JS source.
    #[allow(clippy::too_many_lines)]
    fn value(&mut self, t: &Ty) -> String {
        match t {
            Ty::Prim(p) => self.prim(p),
            Ty::List(e) => {
                let n = self.rng.below(4) as usize;
                let elems: Vec<String> = (0..n).map(|_| self.value(e)).collect();
                match typed_array(e) {
                    Some(ta) => format!("new {ta}([{}])", elems.join(", ")),
                    None => format!("[{}]", elems.join(", ")),
                }
            }
            Ty::Option(inner) => {
                let nested = matches!(**inner, Ty::Option(_));
                if self.rng.chance(30) {
                    if nested {
                        "{ tag: 'none' }".into()
                    } else {
                        "null".into()
                    }
                } else {
                    let v = self.value(inner);
                    if nested {
                        format!("{{ tag: 'some', value: {v} }}")
                    } else {
                        v
                    }
                }
            }
            Ty::Result(ok, err) => {
                let (tag, payload) = if self.rng.chance(50) {
                    ("ok", ok)
                } else {
                    ("err", err)
                };
                match payload {
                    Some(p) => {
                        let v = self.value(p);
                        format!("{{ tag: '{tag}', value: {v} }}")
                    }
                    None => format!("{{ tag: '{tag}' }}"),
                }
            }
            Ty::Tuple(ts) => {
                let vs: Vec<String> = ts.clone().iter().map(|t| self.value(t)).collect();
                format!("[{}]", vs.join(", "))
            }
            Ty::FixedList(e, n) => {
                let elems: Vec<String> = (0..*n).map(|_| self.value(e)).collect();
                match typed_array(e) {
                    Some(ta) => format!("new {ta}([{}])", elems.join(", ")),
                    None => format!("[{}]", elems.join(", ")),
                }
            }
            Ty::Map(k, v) => {
                let n = self.rng.below(4) as usize;
                let mut keys: Vec<String> = Vec::new();
                let mut entries = Vec::new();
                for _ in 0..n {
                    let key = self.value(k);
                    if keys.contains(&key) {
                        continue;
                    }
                    keys.push(key.clone());
                    let val = self.value(v);
                    entries.push(format!("[{key}, {val}]"));
                }
                format!("new Map([{}])", entries.join(", "))
            }
            Ty::Named(i) => {
                let i = *i;
                match &self.named[i] {
                    Named::Record(fs) => {
                        let fs = fs.clone();
                        let props: Vec<String> = fs
                            .iter()
                            .map(|(l, t)| format!("{}: {}", camel(l), self.value(t)))
                            .collect();
                        format!("{{ {} }}", props.join(", "))
                    }
                    Named::Variant(cs) => {
                        let cs = cs.clone();
                        let (l, t) = &cs[self.rng.below(cs.len() as u64) as usize];
                        match t {
                            Some(t) => format!("{{ tag: '{l}', value: {} }}", self.value(t)),
                            None => format!("{{ tag: '{l}' }}"),
                        }
                    }
                    Named::Enum(ls) => {
                        let l = ls[self.rng.below(ls.len() as u64) as usize].clone();
                        format!("'{l}'")
                    }
                    Named::Flags(ls) => {
                        let ls = ls.clone();
                        let props: Vec<String> = ls
                            .iter()
                            .map(|l| format!("{}: {}", camel(l), self.rng.chance(50)))
                            .collect();
                        format!("{{ {} }}", props.join(", "))
                    }
                }
            }
        }
    }

    fn prim(&mut self, p: &str) -> String {
        let r = self.rng.next();
        let pick = self.rng.below(4);
        match p {
            "bool" => (r & 1 == 1).to_string(),
            "s8" => edge(pick, r as i8 as i64, i64::from(i8::MIN), i64::from(i8::MAX)),
            "u8" => edge(pick, i64::from(r as u8), 0, i64::from(u8::MAX)),
            "s16" => edge(
                pick,
                i64::from(r as i16),
                i64::from(i16::MIN),
                i64::from(i16::MAX),
            ),
            "u16" => edge(pick, i64::from(r as u16), 0, i64::from(u16::MAX)),
            "s32" => edge(
                pick,
                i64::from(r as i32),
                i64::from(i32::MIN),
                i64::from(i32::MAX),
            ),
            "u32" => edge(pick, i64::from(r as u32), 0, i64::from(u32::MAX)),
            "s64" => format!("{}n", [r as i64, i64::MIN, i64::MAX, 0][pick as usize]),
            "u64" => format!("{}n", [r, u64::MAX, 0, 1][pick as usize]),
            "f32" => float(f64::from(f32::from_bits(r as u32))),
            "f64" => float(f64::from_bits(r)),
            "char" => format!("String.fromCodePoint({})", self.scalar()),
            "string" => {
                let n = self.rng.below(12);
                let cps: Vec<String> = (0..n).map(|_| self.scalar().to_string()).collect();
                format!("String.fromCodePoint({})", cps.join(", "))
            }
            _ => unreachable!("primitive {p}"),
        }
    }

    fn scalar(&mut self) -> u32 {
        match self.rng.below(5) {
            0 => 0x20 + self.rng.below(0x5f) as u32,
            1 => 0x80 + self.rng.below(0x80) as u32,
            2 => 0x100 + self.rng.below(0xd700) as u32,
            3 => 0xe000 + self.rng.below(0x2000) as u32,
            _ => 0x10000 + self.rng.below(0x100000) as u32,
        }
    }
}

fn edge(pick: u64, random: i64, min: i64, max: i64) -> String {
    [random, min, max, 0][pick as usize].to_string()
}

fn float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if f == 0.0 && f.is_sign_negative() {
        "-0".into()
    } else {
        format!("{f:?}")
    }
}

fn typed_array(t: &Ty) -> Option<&'static str> {
    Some(match t {
        Ty::Prim("u8") => "Uint8Array",
        Ty::Prim("s8") => "Int8Array",
        Ty::Prim("u16") => "Uint16Array",
        Ty::Prim("s16") => "Int16Array",
        Ty::Prim("u32") => "Uint32Array",
        Ty::Prim("s32") => "Int32Array",
        Ty::Prim("u64") => "BigUint64Array",
        Ty::Prim("s64") => "BigInt64Array",
        Ty::Prim("f32") => "Float32Array",
        Ty::Prim("f64") => "Float64Array",
        _ => return None,
    })
}

fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn wasm_ty(t: WasmType) -> &'static str {
    match t {
        WasmType::I32 | WasmType::Pointer | WasmType::Length => "i32",
        WasmType::I64 | WasmType::PointerOrI64 => "i64",
        WasmType::F32 => "f32",
        WasmType::F64 => "f64",
    }
}

/// The core module: memory, a bump `cabi_realloc`, and `g<i>` forwarding to `f<i>`.
fn core_module(resolve: &Resolve, world: wit_parser::WorldId, n: usize) -> String {
    let w = &resolve.worlds[world];
    let mut m = String::from("(module\n");
    let mut funcs = String::new();
    for i in 0..n {
        let f = w
            .imports
            .values()
            .find_map(|item| match item {
                WorldItem::Function(f) if f.name == format!("imp{i}") => Some(f),
                _ => None,
            })
            .expect("import f<i>");
        let imp = resolve.wasm_signature(AbiVariant::GuestImport, f);
        let exp = resolve.wasm_signature(AbiVariant::GuestExport, f);
        let ps = |sig: &WasmSignature| {
            sig.params
                .iter()
                .map(|t| wasm_ty(*t))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let rs = |sig: &WasmSignature| {
            sig.results
                .iter()
                .map(|t| wasm_ty(*t))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let _ = writeln!(
            m,
            "  (import \"$root\" \"imp{i}\" (func $f{i} (param {}) (result {})))",
            ps(&imp),
            rs(&imp)
        );
        let retarea = 65536 + i * 4096;
        let mut body = String::new();
        for p in 0..exp.params.len() {
            let _ = write!(body, " local.get {p}");
        }
        if imp.retptr {
            let _ = write!(body, " i32.const {retarea}");
        }
        let _ = write!(body, " call $f{i}");
        if exp.retptr {
            let _ = write!(body, " i32.const {retarea}");
        }
        let _ = writeln!(
            funcs,
            "  (func (export \"exp{i}\") (param {}) (result {}){body})",
            ps(&exp),
            rs(&exp)
        );
    }
    m.push_str("  (memory (export \"memory\") 20)\n");
    m.push_str("  (global $bump (mut i32) (i32.const 1048576))\n");
    m.push_str(
        "  (func (export \"cabi_realloc\") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
    (local $p i32) (local $end i32)
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then (if (i32.eq (memory.grow (i32.add (i32.const 1) (i32.shr_u (i32.sub (local.get $end)
                 (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)))) (i32.const -1))
              (then unreachable))))
    (global.set $bump (local.get $end))
    (if (local.get $old_size)
      (then (memory.copy (local.get $p) (local.get $old)
        (select (local.get $old_size) (local.get $size) (i32.lt_u (local.get $old_size) (local.get $size))))))
    (local.get $p))\n",
    );
    m.push_str(&funcs);
    m.push_str(")\n");
    m
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// How the values travel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// JS → the component → its JS import, and back.
    Direct,
    /// Through two instances of the component composed by a wrapper component.
    Adapters,
    /// Through two separately instantiated weft modules, the second's imports being the
    /// first's exports (direct links, `crates/js/src/link.rs`).
    Linked,
}

fn run(name: &str, mode: Mode) {
    let n_types = env_or("WEFT_ROUNDTRIP_TYPES", 60) as usize;
    let n_values = env_or("WEFT_ROUNDTRIP_VALUES", 6) as usize;
    let seed = env_or("WEFT_ROUNDTRIP_SEED", 0x5eed_2026);
    let mut g = Gen {
        rng: Rng(seed | 1),
        named: Vec::new(),
    };
    let types: Vec<Ty> = (0..n_types).map(|_| g.ty(3)).collect();

    let mut wit = String::from("package weft:roundtrip;\n\ninterface types {\n");
    for i in 0..g.named.len() {
        let _ = writeln!(wit, "  {}", g.wit_named(i));
    }
    wit.push_str("}\n\nworld w {\n");
    if !g.named.is_empty() {
        let names: Vec<String> = (0..g.named.len()).map(|i| format!("t{i}")).collect();
        let _ = writeln!(wit, "  use types.{{{}}};", names.join(", "));
    }
    for (i, t) in types.iter().enumerate() {
        let _ = writeln!(wit, "  import imp{i}: func(x: {t}) -> {t};", t = g.wit(t));
        let _ = writeln!(wit, "  export exp{i}: func(x: {t}) -> {t};", t = g.wit(t));
    }
    wit.push_str("}\n");

    let out = out_dir(name);
    std::fs::write(out.join("roundtrip.wit"), &wit).unwrap();
    let mut resolve = Resolve {
        all_features: true,
        ..Resolve::default()
    };
    let pkg = resolve.push_str("roundtrip.wit", &wit).unwrap();
    let world = resolve.select_world(&[pkg], Some("w")).unwrap();
    let wat = core_module(&resolve, world, n_types);
    std::fs::write(out.join("core.wat"), &wat).unwrap();
    let mut module = wat::parse_str(&wat).unwrap();
    embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8, false).unwrap();
    let component = ComponentEncoder::default()
        .module(&module)
        .unwrap()
        .validate(true)
        .encode()
        .unwrap();
    let component = if mode == Mode::Adapters {
        compose_twice(&component)
    } else {
        component
    };
    std::fs::write(out.join("roundtrip.wasm"), &component).unwrap();
    let opts = weft_js::Options {
        name: "roundtrip".into(),
        instantiation: true,
        ..weft_js::Options::default()
    };
    transpile(&component, &out, &opts).unwrap();

    // The JS test: one node test per type.
    let mut js = String::from(
        "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { readFileSync } from 'node:fs';\n\
         const dir = new URL(`file://${process.env.WEFT_OUT}/`);\n\
         const { instantiate } = await import(new URL('roundtrip.js', dir));\n\
         const seen = [];\nconst imports = {};\n",
    );
    let results: Vec<bool> = types.iter().map(|t| matches!(t, Ty::Result(..))).collect();
    for (i, is_result) in results.iter().enumerate() {
        if *is_result {
            let _ = writeln!(
                js,
                "imports['imp{i}'] = {{ default: (x) => {{ seen[{i}] = x; if (x.tag === 'ok') return x.value; throw Object.assign(new Error('err'), {{ payload: x.value }}); }} }};"
            );
        } else {
            let _ = writeln!(
                js,
                "imports['imp{i}'] = {{ default: (x) => (seen[{i}] = x) }};"
            );
        }
    }
    js.push_str("const load = (p) => WebAssembly.compile(readFileSync(new URL(p, dir)));\n");
    if mode == Mode::Linked {
        // The first instance serves the JS imports; the second imports its exports,
        // whose link descriptors count the direct calls.
        js.push_str(
            "const first = await instantiate(load, imports);\nlet direct = 0;\nconst linked = {};\n\
             for (const [name, f] of Object.entries(first)) {\n\
             \x20 const d = f[Symbol.for('weft.link.v1')];\n\
             \x20 assert.ok(d, `${name} offers a link`);\n\
             \x20 const core = d.core;\n\
             \x20 d.core = (...a) => (direct++, core(...a));\n\
             \x20 linked[name.replace('exp', 'imp')] = { default: f };\n\
             }\n\
             const inst = await instantiate(load, linked);\n",
        );
    } else {
        js.push_str("const inst = await instantiate(load, imports);\nlet direct = 0;\n");
    }
    let direct_calls = if mode == Mode::Linked { 1 } else { 0 };
    for (i, t) in types.iter().enumerate() {
        let _ = writeln!(js, "test('exp{i}: {}', () => {{", g.wit(t));
        for _ in 0..n_values {
            let v = g.value(t);
            let _ = writeln!(js, "  {{\n    const v = {v};\n    const before = direct;");
            if results[i] {
                js.push_str(
                    "    if (v.tag === 'ok') assert.deepStrictEqual(inst.exp"
                        .to_string()
                        .as_str(),
                );
                let _ = writeln!(
                    js,
                    "{i}(v), v.value);\n    else assert.throws(() => inst.exp{i}(v), (e) => e.name === 'ComponentError' && (assert.deepStrictEqual(e.payload, v.value), true));"
                );
            } else {
                let _ = writeln!(js, "    assert.deepStrictEqual(inst.exp{i}(v), v);");
            }
            let _ = writeln!(
                js,
                "    assert.deepStrictEqual(seen[{i}], v);\n    assert.equal(direct - before, {direct_calls});\n  }}"
            );
        }
        js.push_str("});\n");
    }
    let test_file = out.join("roundtrip.test.mjs");
    std::fs::write(&test_file, js).unwrap();
    for node in nodes() {
        if let Err(e) = node_test(&node.path, &test_file, &out) {
            let text = format!("{e:#}");
            let failing: Vec<&str> = text
                .lines()
                .filter(|l| {
                    l.starts_with("not ok")
                        || l.contains("error:")
                        || l.contains("+ actual")
                        || l.trim_start().starts_with('+')
                        || l.trim_start().starts_with('-')
                })
                .take(60)
                .collect();
            panic!(
                "round trips failed (seed {seed}, files in {}):\n{}",
                out.display(),
                failing.join("\n")
            );
        }
    }
}

#[test]
fn roundtrip() {
    run("roundtrip", Mode::Direct);
}

/// The same values through two instances of the component: the outer `exp<i>` calls
/// the first instance, whose `imp<i>` is the second instance's `exp<i>` (an adapter
/// between two component instances, moving values memory to memory), which calls the
/// JS import.
#[test]
fn roundtrip_through_adapters() {
    run("roundtrip-adapters", Mode::Adapters);
}

/// The same values through two separately instantiated modules linked directly: the
/// second module's `imp<i>` is the first's `exp<i>` export function, so its import
/// trampoline calls the first's core function and moves values memory to memory;
/// every call must take that path.
#[test]
fn roundtrip_through_links() {
    run("roundtrip-links", Mode::Linked);
}

/// Wraps `inner` in a component that instantiates it twice, chained.
fn compose_twice(inner: &[u8]) -> Vec<u8> {
    use wasm_encoder::{
        Alias, Component, ComponentAliasSection, ComponentExportKind, ComponentExportSection,
        ComponentInstanceSection, ComponentSectionId, RawSection,
    };
    use wasmparser::{ComponentExternalKind, ComponentTypeRef as PRef, Parser, Payload};

    // Copy the inner component's leading type/import/alias sections: the outer
    // component then imports exactly what the inner one does, at the same indices.
    let mut outer = Component::new();
    let (mut types, mut funcs, mut instances) = (0u32, 0u32, 0u32);
    let mut imports: Vec<(String, ComponentExportKind, u32)> = Vec::new();
    for payload in Parser::new(0).parse_all(inner) {
        let payload = payload.unwrap();
        let (id, range) = match &payload {
            Payload::ComponentTypeSection(s) => {
                types += s.count();
                (ComponentSectionId::Type, s.range())
            }
            Payload::CoreTypeSection(s) => (ComponentSectionId::CoreType, s.range()),
            Payload::ComponentImportSection(s) => {
                for i in s.clone() {
                    let i = i.unwrap();
                    let (kind, idx) = match i.ty {
                        PRef::Type(_) => (ComponentExportKind::Type, &mut types),
                        PRef::Func(_) => (ComponentExportKind::Func, &mut funcs),
                        PRef::Instance(_) => (ComponentExportKind::Instance, &mut instances),
                        other => panic!("unexpected import {other:?}"),
                    };
                    imports.push((i.name.name.to_string(), kind, *idx));
                    *idx += 1;
                }
                (ComponentSectionId::Import, s.range())
            }
            Payload::ComponentAliasSection(s) => {
                for a in s.clone() {
                    match a.unwrap() {
                        wasmparser::ComponentAlias::InstanceExport { kind, .. } => match kind {
                            ComponentExternalKind::Type => types += 1,
                            ComponentExternalKind::Func => funcs += 1,
                            ComponentExternalKind::Instance => instances += 1,
                            other => panic!("unexpected alias {other:?}"),
                        },
                        other => panic!("unexpected alias {other:?}"),
                    }
                }
                (ComponentSectionId::Alias, s.range())
            }
            Payload::Version { .. } | Payload::CustomSection(_) => continue,
            _ => break,
        };
        outer.section(&RawSection {
            id: id as u8,
            data: &inner[range.start as usize..range.end as usize],
        });
    }
    outer.section(&RawSection {
        id: ComponentSectionId::Component as u8,
        data: inner,
    });
    // b = inner(imports); a = inner(imports, imp<i> = b.exp<i>)
    let args = |imports: &[(String, ComponentExportKind, u32)]| {
        imports
            .iter()
            .map(|(n, k, i)| (n.clone(), *k, *i))
            .collect::<Vec<_>>()
    };
    let b_args = args(&imports);
    let mut inst = ComponentInstanceSection::new();
    inst.instantiate(0, b_args.iter().map(|(n, k, i)| (n.as_str(), *k, *i)));
    outer.section(&inst);
    let b = instances;
    instances += 1;
    let mut aliases = ComponentAliasSection::new();
    let mut a_args = Vec::new();
    for (n, k, i) in &imports {
        if let Some(rest) = n.strip_prefix("imp") {
            aliases.alias(Alias::InstanceExport {
                instance: b,
                kind: ComponentExportKind::Func,
                name: &format!("exp{rest}"),
            });
            a_args.push((n.clone(), *k, funcs));
            funcs += 1;
        } else {
            a_args.push((n.clone(), *k, *i));
        }
    }
    outer.section(&aliases);
    let mut inst = ComponentInstanceSection::new();
    inst.instantiate(0, a_args.iter().map(|(n, k, i)| (n.as_str(), *k, *i)));
    outer.section(&inst);
    let a = instances;
    let n = imports
        .iter()
        .filter(|(n, ..)| n.starts_with("imp"))
        .count();
    let mut aliases = ComponentAliasSection::new();
    let mut exports = ComponentExportSection::new();
    for i in 0..n {
        aliases.alias(Alias::InstanceExport {
            instance: a,
            kind: ComponentExportKind::Func,
            name: &format!("exp{i}"),
        });
        exports.export(format!("exp{i}"), ComponentExportKind::Func, funcs, None);
        funcs += 1;
    }
    outer.section(&aliases);
    outer.section(&exports);
    let bytes = outer.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .expect("composed component validates");
    bytes
}
