//! weft-fuzz: the transpiler under random input, on stable Rust.
//!
//! Every input is a component binary (or bytes that almost are one), made from a seed
//! and an index by [`generate`], so a run is reproducible from its seed alone:
//! - `mutate`: a valid component of the corpus ([`corpus`]: `tests/cases/*.wat`,
//!   `target/guests/*.wasm`, the Component Model spec suite's `.wast` components,
//!   `tests/fuzz-regressions/*.wasm`) with bytes flipped, set, inserted, deleted,
//!   duplicated, spliced from another entry, or cut off;
//! - `wit-smith`: a random WIT package (the `wit-smith` crate), one of its worlds made a
//!   dummy component (`wit-component`'s dummy module, sync or async ABI), sometimes
//!   mutated;
//! - `wasm-smith`: a random core module (the `wasm-smith` crate) instantiated by a
//!   component that lifts its exported functions of scalar types;
//! - `nest`: a chain of nested components, each instantiating the one inside it one to
//!   three times (exponential flattening, which the limits must stop; up to 150 levels,
//!   past the nesting limit);
//! - `deep-type`: value types nested up to 130 levels deep (the validator allows 100).
//!
//! [`check`] runs an input as `weft transpile`, `weft lower` and `weft wit` do
//! (`weft_core::plan`, `weft_core::wit_info`, `weft_js::generate` — `--lowered` in one
//! variant in two —, `weft_lower::lower_for_host`; `weft_core::validate`,
//! `weft_core::wit_text`) on a thread of its own with a deadline, catching panics, and
//! measures its memory when the [`alloc::Counting`] allocator is installed. A failure
//! is a panic (including one wit-parser's decoder raised inside `wit_info`, which the
//! npm wasm build cannot catch), a `Bug` error (weft's own invariant broken), an input
//! over the deadline, or one over the memory bound.
//!
//! The CI mode is `cargo test -p weft-fuzz` (tests/fuzz.rs); the long mode is
//! `scripts/fuzz` (src/main.rs).

pub mod alloc;

use std::any::Any;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Once, mpsc};
use std::time::{Duration, Instant};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Where failing inputs are kept and replayed from.
pub fn regressions_dir() -> PathBuf {
    root().join("tests/fuzz-regressions")
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same
/// inputs on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// The generator for input `index` of the run seeded `seed`.
    pub fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

/// A valid component to mutate.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Where it came from, relative to the repository or the registry corpus.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The seed corpus, in a fixed order: the repository's own components and the Component
/// Model spec suite's (when the registry copy of wasm-tools 1.263.0 is unpacked, as
/// `scripts/setup` does). `wide` adds wasm-tools' own component tests.
pub fn corpus(wide: bool) -> Vec<Seed> {
    let root = root();
    let mut seeds = Vec::new();
    for path in sorted(&root.join("tests/cases"), "wat") {
        if let Ok(bytes) = wat::parse_file(&path) {
            seeds.push(Seed {
                name: format!("cases/{}", file_name(&path)),
                bytes,
            });
        }
    }
    for (dir, prefix) in [
        (root.join("target/guests"), "guests"),
        (regressions_dir(), "fuzz-regressions"),
    ] {
        for path in sorted(&dir, "wasm") {
            if let Ok(bytes) = std::fs::read(&path) {
                seeds.push(Seed {
                    name: format!("{prefix}/{}", file_name(&path)),
                    bytes,
                });
            }
        }
    }
    if let Some(wasm_tools) = registry_dir("wasm-tools-1.263.0") {
        let mut dirs = vec![wasm_tools.join("tests/component-model/test")];
        if wide {
            dirs.push(wasm_tools.join("tests/cli/component-model"));
        }
        for dir in dirs {
            for path in walk(&dir, "wast") {
                let rel = path.strip_prefix(&wasm_tools).unwrap_or(&path);
                for (i, bytes) in wast_components(&path).into_iter().enumerate() {
                    seeds.push(Seed {
                        name: format!("{}#{i}", rel.display()),
                        bytes,
                    });
                }
            }
        }
    }
    seeds
}

/// The unpacked source of a registry package (`$CARGO_HOME/registry/src/*/<name>`).
pub fn registry_dir(name: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let mut found: Vec<PathBuf> = std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join(name)))
        .filter(|p| p.is_dir())
        .collect();
    found.sort();
    found.into_iter().next()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The files of `dir` with extension `ext`, sorted.
pub fn sorted(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// The files under `dir` (recursively) with extension `ext`, sorted.
fn walk(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The components a `.wast` file defines (valid or not: an invalid one is a good seed
/// too), encoded.
fn wast_components(path: &Path) -> Vec<Vec<u8>> {
    use wast::WastDirective;
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(buf) = wast::parser::ParseBuffer::new(&text) else {
        return Vec::new();
    };
    let Ok(wast) = wast::parser::parse::<wast::Wast>(&buf) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in wast.directives {
        let (WastDirective::Module(mut q)
        | WastDirective::ModuleDefinition(mut q)
        | WastDirective::AssertInvalid { module: mut q, .. }) = d
        else {
            continue;
        };
        if let Ok(bytes) = q.encode()
            && wasmparser::Parser::is_component(&bytes)
        {
            out.push(bytes);
        }
    }
    out
}

/// One generated input.
#[derive(Debug, Clone)]
pub struct Input {
    /// Which generator made it, and from what (`mutate:cases/compose.wat`).
    pub name: String,
    pub bytes: Vec<u8>,
    /// Selects the `weft_js::Options` it is transpiled with ([`options`]).
    pub variant: u64,
}

/// The generators, by name, with their share of the inputs in percent.
pub const GENERATORS: [(&str, usize); 5] = [
    ("mutate", 58),
    ("wit-smith", 22),
    ("wasm-smith", 12),
    ("nest", 4),
    ("deep-type", 4),
];

/// Input `index` of the run seeded `seed`. `only` restricts it to one generator.
/// Generators decline some random bytes (wit-smith and wasm-smith return errors for
/// them); the input is then a mutation of a corpus seed.
pub fn generate(seed: u64, index: u64, corpus: &[Seed], only: Option<&str>) -> Input {
    let mut rng = Rng::new(seed, index);
    let variant = rng.next_u64();
    let kind = only.unwrap_or_else(|| {
        let mut r = rng.below(100);
        GENERATORS
            .iter()
            .find(|(_, share)| {
                if r < *share {
                    true
                } else {
                    r -= share;
                    false
                }
            })
            .map_or("mutate", |(k, _)| k)
    });
    let made = match kind {
        "wit-smith" => wit_smith(&mut rng).map(|(name, mut bytes)| {
            if rng.chance(30) {
                mutate(&mut rng, &mut bytes, corpus);
                (format!("{name}+mutated"), bytes)
            } else {
                (name, bytes)
            }
        }),
        "wasm-smith" => wasm_smith(&mut rng),
        "nest" => Some(nest(&mut rng)),
        "deep-type" => Some(deep_type(&mut rng)),
        _ => None,
    };
    let (name, bytes) = made.unwrap_or_else(|| {
        if corpus.is_empty() {
            return ("mutate:nothing".into(), rng.bytes(16));
        }
        let s = &corpus[rng.below(corpus.len())];
        let mut bytes = s.bytes.clone();
        mutate(&mut rng, &mut bytes, corpus);
        (format!("mutate:{}", s.name), bytes)
    });
    Input {
        name,
        bytes,
        variant,
    }
}

/// Input `index` of the run seeded `seed` that mutates corpus entry `of`.
pub fn mutant(seed: u64, index: u64, of: &Seed, corpus: &[Seed]) -> Input {
    let mut rng = Rng::new(seed ^ fnv(of.name.as_bytes()), index);
    let variant = rng.next_u64();
    let mut bytes = of.bytes.clone();
    mutate(&mut rng, &mut bytes, corpus);
    Input {
        name: format!("mutate:{}", of.name),
        bytes,
        variant,
    }
}

/// Applies one to a few random byte mutations.
pub fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, corpus: &[Seed]) {
    let n = if rng.chance(80) {
        rng.range(1, 3)
    } else {
        rng.range(4, 16)
    };
    for _ in 0..n {
        mutate_once(rng, bytes, corpus);
    }
}

fn mutate_once(rng: &mut Rng, bytes: &mut Vec<u8>, corpus: &[Seed]) {
    const INTERESTING: [u8; 10] = [0, 1, 2, 0x3f, 0x40, 0x7f, 0x80, 0xfe, 0xff, 0x10];
    // Mostly past the 8-byte preamble, which only says "component".
    let pos = |rng: &mut Rng, len: usize| {
        if len <= 8 || rng.chance(3) {
            rng.below(len + 1)
        } else {
            rng.range(8, len)
        }
    };
    let len = bytes.len();
    match rng.below(10) {
        0 if len > 0 => {
            let i = pos(rng, len - 1);
            bytes[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = pos(rng, len - 1);
            bytes[i] = if rng.chance(50) {
                INTERESTING[rng.below(INTERESTING.len())]
            } else {
                rng.next_u64() as u8
            };
        }
        2 if len > 0 => {
            let i = pos(rng, len - 1);
            bytes[i] = if rng.chance(50) {
                bytes[i].wrapping_add(1)
            } else {
                bytes[i].wrapping_sub(1)
            };
        }
        3 => {
            let i = pos(rng, len);
            let n = rng.range(1, 8);
            let new = rng.bytes(n);
            bytes.splice(i..i, new);
        }
        4 if len > 0 => {
            let i = pos(rng, len - 1);
            let n = rng.range(1, 16).min(len - i);
            bytes.drain(i..i + n);
        }
        5 if len > 8 => {
            let i = rng.range(8, len);
            bytes.truncate(i);
        }
        6 if len > 0 => {
            // Duplicate a chunk somewhere else.
            let i = pos(rng, len - 1);
            let n = rng.range(1, 64).min(len - i);
            let chunk = bytes[i..i + n].to_vec();
            let j = pos(rng, len);
            bytes.splice(j..j, chunk);
        }
        7 if !corpus.is_empty() => {
            // Splice a chunk of another seed over a range of this one.
            let other = &corpus[rng.below(corpus.len())].bytes;
            if other.len() > 8 {
                let a = rng.range(8, other.len() - 1);
                let n = rng.range(1, 256).min(other.len() - a);
                let i = pos(rng, len);
                let m = rng.range(0, 64).min(len - i);
                bytes.splice(i..i + m, other[a..a + n].iter().copied());
            }
        }
        8 if len > 0 => {
            // A LEB128 number (a size, a count, an index) overwrites a few bytes.
            let i = pos(rng, len - 1);
            let mut v = match rng.below(4) {
                0 => rng.below(128) as u64,
                1 => rng.below(1 << 14) as u64,
                2 => u64::from(u32::MAX),
                _ => rng.next_u64() >> rng.below(64),
            };
            let mut leb = Vec::new();
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    leb.push(b);
                    break;
                }
                leb.push(b | 0x80);
            }
            let m = leb.len().min(len - i);
            bytes.splice(i..i + m, leb);
        }
        _ if len > 16 => {
            // Swap two chunks of equal length.
            let n = rng.range(1, 32).min(len / 4);
            let a = rng.range(8, len - n);
            let b = rng.range(8, len - n);
            if a + n <= b || b + n <= a {
                for k in 0..n {
                    bytes.swap(a + k, b + k);
                }
            }
        }
        _ => {}
    }
}

/// Runs `f`, turning a panic into `None` (the generators are third-party code with
/// panics of their own; those are not weft's).
fn quietly<T>(f: impl FnOnce() -> Option<T>) -> Option<T> {
    install_panic_hook();
    GENERATING.with(|g| g.set(true));
    let r = catch_unwind(AssertUnwindSafe(f)).ok().flatten();
    GENERATING.with(|g| g.set(false));
    r
}

/// A random WIT package's world as a dummy component.
fn wit_smith(rng: &mut Rng) -> Option<(String, Vec<u8>)> {
    use arbitrary::{Arbitrary, Unstructured};
    use wit_parser::{LiftLowerAbi, ManglingAndAbi};
    let n = rng.range(256, 8192);
    let data = rng.bytes(n);
    let pick = rng.next_u64();
    quietly(|| {
        let mut u = Unstructured::new(&data);
        let config = wit_smith::Config::arbitrary(&mut u).ok()?;
        let wasm = wit_smith::smith(&config, &mut u).ok()?;
        let wit_parser::decoding::DecodedWasm::WitPackage(resolve, pkg) =
            wit_parser::decoding::decode(&wasm).ok()?
        else {
            return None;
        };
        let worlds: Vec<_> = resolve.packages[pkg].worlds.values().copied().collect();
        if worlds.is_empty() {
            return None;
        }
        let world = worlds[(pick % worlds.len() as u64) as usize];
        let (abi, abi_name) = match (pick >> 8) % 4 {
            0 => (ManglingAndAbi::Standard32, "standard"),
            1 => (ManglingAndAbi::Legacy(LiftLowerAbi::AsyncCallback), "async"),
            2 => (
                ManglingAndAbi::Legacy(LiftLowerAbi::AsyncStackful),
                "stackful",
            ),
            _ => (ManglingAndAbi::Legacy(LiftLowerAbi::Sync), "sync"),
        };
        let encoding = match (pick >> 16) % 3 {
            0 => wit_component::StringEncoding::UTF16,
            1 => wit_component::StringEncoding::CompactUTF16,
            _ => wit_component::StringEncoding::UTF8,
        };
        let mut module = wit_component::dummy_module(&resolve, world, abi);
        wit_component::embed_component_metadata(&mut module, &resolve, world, encoding, false)
            .ok()?;
        let component = wit_component::ComponentEncoder::default()
            .module(&module)
            .ok()?
            .validate(true)
            .encode()
            .ok()?;
        Some((format!("wit-smith:{abi_name}"), component))
    })
}

/// A random core module, instantiated by a component that lifts its exported
/// functions of scalar types.
fn wasm_smith(rng: &mut Rng) -> Option<(String, Vec<u8>)> {
    use arbitrary::Unstructured;
    let n = rng.range(256, 16384);
    let data = rng.bytes(n);
    quietly(|| {
        let mut u = Unstructured::new(&data);
        let config = wasm_smith::Config {
            max_imports: 0,
            export_everything: true,
            wide_arithmetic_enabled: false,
            shared_everything_threads_enabled: false,
            custom_descriptors_enabled: false,
            max_type_size: 100,
            ..wasm_smith::Config::default()
        };
        let module = wasm_smith::Module::new(config, &mut u).ok()?;
        let core = module.to_bytes();
        Some(("wasm-smith".to_string(), lift_scalar_exports(&core)?))
    })
}

/// A component instantiating `core` (which has no imports) and lifting each exported
/// function whose parameters and results are `i32`, `i64`, `f32` or `f64` (one result
/// at most) as `f<N>`.
pub fn lift_scalar_exports(core: &[u8]) -> Option<Vec<u8>> {
    use wasm_encoder::{
        Alias, CanonicalFunctionSection, Component, ComponentAliasSection, ComponentExportKind,
        ComponentExportSection, ComponentTypeSection, ExportKind, InstanceSection,
        PrimitiveValType, RawSection,
    };
    use wasmparser::{Parser, Payload, TypeRef, ValType};
    let mut types = Vec::new();
    let mut funcs = Vec::new();
    let mut exports = Vec::new();
    for payload in Parser::new(0).parse_all(core) {
        match payload.ok()? {
            Payload::TypeSection(s) => {
                for rec in s {
                    for sub in rec.ok()?.into_types() {
                        types.push(match &sub.composite_type.inner {
                            wasmparser::CompositeInnerType::Func(f) => Some(f.clone()),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(s) => {
                for imp in s.into_imports() {
                    if let TypeRef::Func(t) = imp.ok()?.ty {
                        funcs.push(t);
                    }
                }
            }
            Payload::FunctionSection(s) => {
                for t in s {
                    funcs.push(t.ok()?);
                }
            }
            Payload::ExportSection(s) => {
                for e in s {
                    let e = e.ok()?;
                    if e.kind == wasmparser::ExternalKind::Func {
                        exports.push((e.name.to_string(), e.index));
                    }
                }
            }
            _ => {}
        }
    }
    let prim = |t: &ValType| match t {
        ValType::I32 => Some(PrimitiveValType::U32),
        ValType::I64 => Some(PrimitiveValType::S64),
        ValType::F32 => Some(PrimitiveValType::F32),
        ValType::F64 => Some(PrimitiveValType::F64),
        _ => None,
    };
    let mut c = Component::new();
    c.section(&RawSection {
        id: wasm_encoder::ComponentSectionId::CoreModule as u8,
        data: core,
    });
    let mut inst = InstanceSection::new();
    inst.instantiate(0, Vec::<(&str, wasm_encoder::ModuleArg)>::new());
    c.section(&inst);
    let (mut core_funcs, mut comp_types, mut comp_funcs) = (0u32, 0u32, 0u32);
    for (name, index) in exports {
        let Some(Some(fty)) = funcs
            .get(index as usize)
            .and_then(|t| types.get(*t as usize))
        else {
            continue;
        };
        let params: Option<Vec<_>> = fty.params().iter().map(prim).collect();
        let results: Option<Vec<_>> = fty.results().iter().map(prim).collect();
        let (Some(params), Some(results)) = (params, results) else {
            continue;
        };
        if results.len() > 1 {
            continue;
        }
        let mut alias = ComponentAliasSection::new();
        alias.alias(Alias::CoreInstanceExport {
            instance: 0,
            kind: ExportKind::Func,
            name: &name,
        });
        c.section(&alias);
        let mut ty = ComponentTypeSection::new();
        let names: Vec<String> = (0..params.len()).map(|i| format!("p{i}")).collect();
        ty.function()
            .params(names.iter().map(String::as_str).zip(params.iter().copied()))
            .result(results.first().copied().map(Into::into));
        c.section(&ty);
        let mut canon = CanonicalFunctionSection::new();
        canon.lift(core_funcs, comp_types, []);
        c.section(&canon);
        let mut export = ComponentExportSection::new();
        export.export(
            format!("f{comp_funcs}"),
            ComponentExportKind::Func,
            comp_funcs * 2,
            None,
        );
        c.section(&export);
        core_funcs += 1;
        comp_types += 1;
        comp_funcs += 1;
    }
    Some(c.finish())
}

/// `depth` levels of nested components, each instantiating the one inside it `fan`
/// times and exporting the first instance's `f`; the innermost lifts a function taking
/// a string. Encoded directly: the text format limits nesting to fewer levels than the
/// limits under test.
pub fn nest_bytes(depth: usize, fan: usize) -> Vec<u8> {
    use wasm_encoder::{
        Alias, Component, ComponentAliasSection, ComponentExportKind, ComponentExportSection,
        ComponentInstanceSection, ComponentSectionId, RawSection,
    };
    let mut bytes = wat::parse_str(
        r#"(component
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
    (func (export "f") (param i32 i32) (result i32) local.get 1))
  (core instance $i (instantiate $m))
  (func $f (param "s" string) (result u32)
    (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (export "f" (func $f)))"#,
    )
    .expect("the innermost component is valid WAT");
    for _ in 0..depth {
        let mut c = Component::new();
        c.section(&RawSection {
            id: ComponentSectionId::Component as u8,
            data: &bytes,
        });
        let mut instances = ComponentInstanceSection::new();
        for _ in 0..fan {
            instances.instantiate(0, Vec::<(&str, ComponentExportKind, u32)>::new());
        }
        c.section(&instances);
        let mut alias = ComponentAliasSection::new();
        alias.alias(Alias::InstanceExport {
            instance: 0,
            kind: ComponentExportKind::Func,
            name: "f",
        });
        c.section(&alias);
        let mut export = ComponentExportSection::new();
        export.export("f", ComponentExportKind::Func, 0, None);
        c.section(&export);
        bytes = c.finish();
    }
    bytes
}

fn nest(rng: &mut Rng) -> (String, Vec<u8>) {
    let fan = rng.range(1, 3);
    let depth = if fan == 1 {
        rng.range(1, 150)
    } else {
        rng.range(1, 24)
    };
    (
        format!("nest:depth={depth},fan={fan}"),
        nest_bytes(depth, fan),
    )
}

/// A function whose parameter is a value type nested `depth` levels deep (lists,
/// options, tuples and results in turn: the kinds an exported function may use
/// unnamed; the validator refuses more than 100 levels). A first parameter of 17
/// flat values sends them all through memory, so the core signature is always
/// `(param i32) (result i32)`.
pub fn deep_type_wat(depth: usize, kinds: u64) -> String {
    let mut types = String::from("(type $t0 (list u8))\n");
    for i in 1..=depth {
        let prev = format!("$t{}", i - 1);
        let def = match (kinds >> ((i % 16) * 4)) % 4 {
            0 => format!("(list {prev})"),
            1 => format!("(option {prev})"),
            2 => format!("(tuple u8 {prev} string)"),
            _ => format!("(result {prev} (error u8))"),
        };
        types.push_str(&format!("(type $t{i} {def})\n"));
    }
    format!(
        r#"(component
  {types}
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 8)
    (func (export "f") (param i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (type $pad (tuple u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64 u64))
  (type $ft (func (param "pad" $pad) (param "x" $t{depth}) (result $t{depth})))
  (func $f (type $ft)
    (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))
  (export "f" (func $f))
)
"#
    )
}

fn deep_type(rng: &mut Rng) -> (String, Vec<u8>) {
    let depth = match rng.below(10) {
        0..=7 => rng.range(1, 100),
        _ => rng.range(100, 130),
    };
    let kinds = rng.next_u64();
    // A type nested this deep may be invalid (too large a flat signature is fine:
    // it goes through memory); invalid is a fine input too.
    let bytes = wat::parse_str(deep_type_wat(depth, kinds)).unwrap_or_default();
    (format!("deep-type:depth={depth}"), bytes)
}

/// The `weft_js::Options` of an input's variant: every combination of the flags that
/// change what is generated.
pub fn options(variant: u64) -> weft_js::Options {
    let bit = |n: u32| variant & (1 << n) != 0;
    let instantiation = bit(0);
    weft_js::Options {
        name: "fuzz".into(),
        instantiation,
        compat: if bit(1) {
            weft_js::Compat::Jco
        } else {
            weft_js::Compat::Native
        },
        minify: bit(2),
        typescript: !bit(3),
        async_exports: if bit(4) { vec!["*".into()] } else { vec![] },
        async_imports: if bit(5) { vec!["*".into()] } else { vec![] },
        tla_compat: bit(6) && !instantiation,
        base64_cutoff: if bit(7) { 0 } else { 4096 },
        map: if bit(8) {
            vec![("*".into(), "./shims/*.js".into())]
        } else {
            vec![]
        },
        lowered: bit(9),
        ..weft_js::Options::default()
    }
}

/// What happened to an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Transpiled (and its WIT printed or refused with an error).
    Transpiled,
    /// Refused with an ordinary error (the first line of its report).
    Rejected(String),
    /// A `weft_core::error::Bug`: weft broke its own invariant.
    Bug(String),
    /// A panic, with its message and location.
    Panic(String),
    /// Not finished by the deadline.
    Hang,
    /// Finished, but its peak memory exceeded the bound (bytes).
    Memory(usize),
}

impl Verdict {
    /// Whether this verdict is a defect of weft.
    pub fn is_failure(&self) -> bool {
        matches!(
            self,
            Verdict::Bug(_) | Verdict::Panic(_) | Verdict::Hang | Verdict::Memory(_)
        )
    }

    /// A short name of the kind of failure (`panic`, `bug`, `hang`, `memory`), or of
    /// success (`ok`, `rejected`).
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Transpiled => "ok",
            Verdict::Rejected(_) => "rejected",
            Verdict::Bug(_) => "bug",
            Verdict::Panic(_) => "panic",
            Verdict::Hang => "hang",
            Verdict::Memory(_) => "memory",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Verdict::Transpiled => f.write_str("transpiled"),
            Verdict::Rejected(m) => write!(f, "rejected: {m}"),
            Verdict::Bug(m) => write!(f, "bug: {m}"),
            Verdict::Panic(m) => write!(f, "panic: {m}"),
            Verdict::Hang => f.write_str("hang: not finished by the deadline"),
            Verdict::Memory(n) => write!(f, "memory: peak {} MiB", n >> 20),
        }
    }
}

/// The result of [`check`].
#[derive(Debug, Clone)]
pub struct Outcome {
    pub verdict: Verdict,
    pub elapsed: Duration,
    /// Peak memory of the input's thread, in bytes (0 without [`alloc::Counting`]).
    pub peak: usize,
    /// Bytes of generated files.
    pub output: usize,
}

/// Bounds of one input's run.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub deadline: Duration,
    pub memory: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            deadline: Duration::from_secs(20),
            memory: 2 << 30,
        }
    }
}

thread_local! {
    /// The message and location of the last panic on this thread.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set while a generator runs: its panics are not reported.
    static GENERATING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that records each panic's message and location for the
/// report instead of printing it (once per process).
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = payload_text(info.payload());
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let text = format!("{message}{at}");
            // A panic of the fuzzer itself (not of an input's thread, not of a
            // generator) is printed, as the default hook would.
            if std::thread::current().name() != Some("fuzz-input")
                && !GENERATING.with(std::cell::Cell::get)
            {
                eprintln!("weft-fuzz: panicked: {text}");
            }
            LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
        }));
    });
}

fn payload_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// Runs an input as `weft transpile` and `weft wit` do, on a thread of its own (with
/// the 8 MiB stack of a main thread), with a deadline.
pub fn check(bytes: Arc<Vec<u8>>, variant: u64, bounds: Bounds) -> Outcome {
    install_panic_hook();
    let (tx, rx) = mpsc::channel();
    let start = Instant::now();
    let spawned = std::thread::Builder::new()
        .name("fuzz-input".into())
        .stack_size(8 << 20)
        .spawn(move || {
            let base = alloc::live();
            alloc::reset_peak();
            let r = catch_unwind(AssertUnwindSafe(|| run(&bytes, variant)));
            let peak = alloc::peak_since(base);
            let r = r.unwrap_or_else(|payload| {
                let message = LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| payload_text(&*payload));
                (Verdict::Panic(message), 0)
            });
            let _ = tx.send((r, peak));
        });
    if let Err(e) = spawned {
        return Outcome {
            verdict: Verdict::Rejected(format!("(the fuzzer could not start a thread: {e})")),
            elapsed: Duration::ZERO,
            peak: 0,
            output: 0,
        };
    }
    match rx.recv_timeout(bounds.deadline) {
        Ok(((verdict, output), peak)) => Outcome {
            verdict: if peak > bounds.memory && !verdict.is_failure() {
                Verdict::Memory(peak)
            } else {
                verdict
            },
            elapsed: start.elapsed(),
            peak,
            output,
        },
        // The thread is left running: there is no way to stop it.
        Err(mpsc::RecvTimeoutError::Timeout) => Outcome {
            verdict: Verdict::Hang,
            elapsed: start.elapsed(),
            peak: 0,
            output: 0,
        },
        Err(mpsc::RecvTimeoutError::Disconnected) => Outcome {
            verdict: Verdict::Panic("the input's thread died without a result".into()),
            elapsed: start.elapsed(),
            peak: 0,
            output: 0,
        },
    }
}

/// The transpile and wit paths, as the CLI runs them; the verdict and the bytes of
/// output.
fn run(bytes: &[u8], variant: u64) -> (Verdict, usize) {
    let mut output = 0;
    let transpiled = weft_core::plan(bytes).and_then(|plan| {
        let wit = weft_core::wit_info(bytes);
        if let Err(e) = &wit
            && let Some(v) = decoder_panic(e)
        {
            return Ok(Err(v));
        }
        let out = weft_js::generate(&plan, wit.ok().as_ref(), &options(variant))?;
        output = out.files.iter().map(|(_, f)| f.len()).sum();
        // `weft lower`: lowered, or refused; never a bug.
        if let Err(e) = weft_lower::lower_for_host(&plan, "fuzz")
            && weft_core::error::is_bug(&e)
        {
            return Err(e);
        }
        Ok(Ok(()))
    });
    let verdict = match transpiled {
        Ok(Ok(())) => Verdict::Transpiled,
        Ok(Err(v)) => return (v, output),
        Err(e) => match judge(&e) {
            v @ Verdict::Bug(_) => return (v, output),
            v => v,
        },
    };
    // `weft wit`: validate, then decode and print.
    if weft_core::validate(bytes).is_ok()
        && let Err(e) = weft_core::wit_text(bytes)
    {
        if let Some(v) = decoder_panic(&e) {
            return (v, output);
        }
        if let v @ Verdict::Bug(_) = judge(&e) {
            return (v, output);
        }
    }
    (verdict, output)
}

/// A panic wit-parser's decoder raised, which `wit_info` caught (the npm wasm build,
/// built with `panic = "abort"`, cannot).
fn decoder_panic(e: &anyhow::Error) -> Option<Verdict> {
    let text = format!("{e:#}");
    text.contains("wit-parser panicked")
        .then(|| Verdict::Panic(format!("caught inside weft_core::wit_info: {text}")))
}

fn judge(e: &anyhow::Error) -> Verdict {
    let first = weft_core::error::report(e);
    if weft_core::error::is_bug(e) {
        Verdict::Bug(first)
    } else {
        Verdict::Rejected(first.lines().next().unwrap_or_default().to_string())
    }
}

/// Saves a failing input under `dir` as `<kind>-<hash>.wasm` (`kind` a
/// [`Verdict::kind`] or `crash`; the hash of its bytes, so the same input is saved
/// once); returns the path.
pub fn save(dir: &Path, kind: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{kind}-{:016x}.wasm", fnv(bytes)));
    std::fs::write(&path, bytes)?;
    Ok(path)
}

/// FNV-1a, 64 bits.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}
