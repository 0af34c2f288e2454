//! Parsing and validation: one pass over the binary with wasmparser's parser and
//! validator in lockstep.
//!
//! The result is one [`Component`] per component definition (root and nested), each an
//! ordered list of [`Item`]s that borrow from the input, plus the validator's [`Types`]
//! for that component, and the static core modules found anywhere in the binary.

use anyhow::{Result, bail};
use wasmparser::types::Types;
use wasmparser::{
    CanonicalFunction, ComponentAlias, ComponentExport, ComponentImport, ComponentInstance,
    ComponentType, Encoding, FuncValidatorAllocations, Instance, Parser, Payload, ValidPayload,
    Validator, WasmFeatures,
};

use crate::bug;
use crate::error::OrBug;

/// A component definition, its items in definition order.
pub struct Component<'a> {
    /// The definitions, in binary order.
    pub items: Vec<Item<'a>>,
    /// The validator's types for this component: what it knows about every index of
    /// every index space, as of the component's end.
    pub types: Types,
}

/// One definition inside a component, in the order of the binary.
pub enum Item<'a> {
    /// A core module definition: an index into [`Parsed::modules`].
    CoreModule(usize),
    /// A nested component definition: an index into [`Parsed::components`].
    Component(usize),
    /// A core instance: a module instantiation or a bag of core exports.
    CoreInstance(Instance<'a>),
    /// A component instance: a component instantiation or a bag of exports.
    Instance(ComponentInstance<'a>),
    /// An alias of an instance's export or of an enclosing component's item.
    Alias(ComponentAlias<'a>),
    /// A component type definition; resources carry their destructor.
    Type(TypeItem),
    /// A canonical function: `lift`, `lower` or a built-in.
    Canon(CanonicalFunction),
    /// An import: a name and the type the value must have.
    Import(ComponentImport<'a>),
    /// An export of an item, by sort and index.
    Export(ComponentExport<'a>),
}

/// What the flattener needs to know about a type definition.
pub enum TypeItem {
    /// `(type (resource …))`, with its destructor's core function index.
    /// `wide`: its rep is an `i64` (🐘), not an `i32`.
    Resource { dtor: Option<u32>, wide: bool },
    /// Any other type definition; the validator's types describe it.
    Other,
}

/// A validated component binary.
pub struct Parsed<'a> {
    /// Every component definition; the root is last.
    pub components: Vec<Component<'a>>,
    /// Every core module definition, in binary order.
    pub modules: Vec<CoreModule<'a>>,
}

/// A core module definition.
pub struct CoreModule<'a> {
    /// Its bytes, a slice of the input.
    pub bytes: &'a [u8],
    /// It defines or imports exception tags, so its code can throw core exceptions.
    pub has_tags: bool,
    /// It defines or imports a 64-bit memory or table (🐘 memory64).
    pub memory64: bool,
    /// It defines or imports more than one memory (multi-memory).
    pub multi_memory: bool,
    /// The `wit-bindgen-rust` version its `producers` section names (the generator of
    /// its bindings), as `(major, minor)`.
    pub bindings_by: Option<(u64, u64)>,
    /// The version of the `wit-bindgen` async runtime compiled into it, read off the
    /// source paths its panic locations keep in its data
    /// (`wit-bindgen-0.57.1/src/rt/async_support`). Pregenerated bindings (the `wasip3`
    /// crate's) can be newer than the runtime they run on, so this one decides.
    pub async_runtime: Option<(u64, u64)>,
}

impl CoreModule<'_> {
    /// Whether its async runtime predates wit-bindgen 0.59, which cancels a read
    /// synchronously before taking the stream out of its waitable set (see
    /// `plan::Module::cancels_in_set`).
    pub fn cancels_in_set(&self) -> bool {
        self.async_runtime
            .or(self.bindings_by)
            .is_some_and(|v| v < (0, 59))
    }
}

impl Parsed<'_> {
    /// Index of the root component in [`Parsed::components`].
    pub fn root(&self) -> usize {
        self.components.len() - 1
    }
}

/// The features weft validates with: what wasm-tools 1.263 enables by default, plus
/// the gated Component Model features weft implements or reports by name (error
/// contexts, fixed-length lists, stackful async, the extra async built-ins, threads,
/// `stream.forward`/`future.forward`, `[get]`/`[set]` accessors, 🐘 64-bit memories
/// and tables, and the GC ABI options, which `inline` refuses by name).
pub fn features() -> WasmFeatures {
    let mut f = WasmFeatures::default();
    for extra in [
        WasmFeatures::CM_ERROR_CONTEXT,
        WasmFeatures::CM_FIXED_LENGTH_LISTS,
        WasmFeatures::CM_ASYNC_STACKFUL,
        WasmFeatures::CM_MORE_ASYNC_BUILTINS,
        WasmFeatures::CM_THREADING,
        WasmFeatures::CM_FORWARD,
        WasmFeatures::CM_ACCESSORS,
        WasmFeatures::CM64,
        WasmFeatures::CM_GC,
    ] {
        f.insert(extra);
    }
    f
}

/// A module or component whose `Version` payload has been seen and whose `End` has
/// not.
enum Open<'a> {
    /// A core module: its index in [`Parsed::modules`].
    Module(usize),
    /// A component and its items so far.
    Component(Vec<Item<'a>>),
}

/// Parses and validates a component binary.
pub fn parse(bytes: &[u8]) -> Result<Parsed<'_>> {
    check_header(bytes)?;
    let mut validator = Validator::new_with_features(features());
    // Function bodies are validated after the walk, on every core (`validate_bodies`).
    let mut bodies = Vec::new();
    let mut walk = Walk {
        bytes,
        parsed: Parsed {
            components: Vec::new(),
            modules: Vec::new(),
        },
        stack: Vec::new(),
    };
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(invalid)?;
        match validator.payload(&payload).map_err(invalid)? {
            ValidPayload::Func(func, body) => bodies.push((func, body)),
            ValidPayload::End(types) => {
                walk.end(types)?;
                continue;
            }
            ValidPayload::Ok | ValidPayload::Parser(_) => {}
        }
        walk.payload(payload)?;
    }
    let parsed = walk.parsed;
    if parsed.components.is_empty() {
        bail!("input ended before the component was complete");
    }
    validate_bodies(bodies)?;
    Ok(parsed)
}

/// Rejects what is not a component binary before validation starts, naming a core
/// module as such.
fn check_header(bytes: &[u8]) -> Result<()> {
    if !Parser::is_component(bytes) {
        if Parser::is_core_wasm(bytes) {
            bail!("input is a core wasm module, not a component");
        }
        bail!("input is not a WebAssembly component (bad magic or version)");
    }
    Ok(())
}

/// The state of the walk over the payloads: what has been collected, and the modules
/// and components open around the current payload (innermost last).
struct Walk<'a> {
    bytes: &'a [u8],
    parsed: Parsed<'a>,
    stack: Vec<Open<'a>>,
}

impl<'a> Walk<'a> {
    /// Closes the innermost module or component. A component becomes a [`Component`]
    /// with the validator's `types` and an [`Item::Component`] of its parent.
    fn end(&mut self, types: Types) -> Result<()> {
        match self.stack.pop() {
            Some(Open::Component(items)) => {
                self.parsed.components.push(Component { items, types });
                let index = self.parsed.components.len() - 1;
                if let Some(Open::Component(parent)) = self.stack.last_mut() {
                    parent.push(Item::Component(index));
                }
            }
            Some(Open::Module(index)) => {
                let module = self
                    .parsed
                    .modules
                    .get_mut(index)
                    .or_bug("a module index")?;
                let t = types.as_ref();
                module.has_tags = t.tag_count() > 0;
                module.memory64 = (0..t.memory_count()).any(|i| t.memory_at(i).memory64)
                    || (0..t.table_count()).any(|i| t.table_at(i).table64);
                module.multi_memory = t.memory_count() > 1;
            }
            None => bug!("unbalanced end of section"),
        }
        Ok(())
    }

    /// Opens a module or component, or records a section's definitions as items of
    /// the innermost open component (a module's own sections are skipped).
    fn payload(&mut self, payload: Payload<'a>) -> Result<()> {
        let items = match self.stack.last_mut() {
            Some(Open::Component(items)) => Some(items),
            _ => None,
        };
        match payload {
            Payload::Version { encoding, .. } => self.stack.push(match encoding {
                Encoding::Component => Open::Component(Vec::new()),
                // A module's `Version` follows its `ModuleSection` payload; a core
                // module given as the whole input is refused before the walk.
                Encoding::Module => Open::Module(self.parsed.modules.len().wrapping_sub(1)),
            }),
            Payload::ModuleSection {
                unchecked_range, ..
            } => {
                // The parser reports the section before it has read the module, so its
                // declared size is not checked against the input yet.
                let bytes = slice(self.bytes, &unchecked_range)
                    .ok_or_else(|| truncated_module(&unchecked_range, self.bytes.len()))?;
                self.parsed.modules.push(CoreModule {
                    bytes,
                    has_tags: false,
                    memory64: false,
                    multi_memory: false,
                    bindings_by: None,
                    async_runtime: None,
                });
                let index = self.parsed.modules.len() - 1;
                items
                    .or_bug("module section outside a component")?
                    .push(Item::CoreModule(index));
            }
            Payload::InstanceSection(s) => {
                let items = items.or_bug("core instance section outside a component")?;
                for i in s {
                    items.push(Item::CoreInstance(i.map_err(invalid)?));
                }
            }
            Payload::ComponentInstanceSection(s) => {
                let items = items.or_bug("instance section outside a component")?;
                for i in s {
                    items.push(Item::Instance(i.map_err(invalid)?));
                }
            }
            Payload::ComponentAliasSection(s) => {
                let items = items.or_bug("alias section outside a component")?;
                for a in s {
                    items.push(Item::Alias(a.map_err(invalid)?));
                }
            }
            Payload::ComponentTypeSection(s) => {
                let items = items.or_bug("type section outside a component")?;
                for t in s {
                    items.push(Item::Type(match t.map_err(invalid)? {
                        ComponentType::Resource { rep, dtor } => TypeItem::Resource {
                            dtor,
                            wide: rep == wasmparser::ValType::I64,
                        },
                        _ => TypeItem::Other,
                    }));
                }
            }
            Payload::ComponentCanonicalSection(s) => {
                let items = items.or_bug("canonical section outside a component")?;
                for c in s {
                    items.push(Item::Canon(c.map_err(invalid)?));
                }
            }
            Payload::ComponentImportSection(s) => {
                let items = items.or_bug("import section outside a component")?;
                for i in s {
                    items.push(Item::Import(i.map_err(invalid)?));
                }
            }
            Payload::ComponentExportSection(s) => {
                let items = items.or_bug("export section outside a component")?;
                for e in s {
                    items.push(Item::Export(e.map_err(invalid)?));
                }
            }
            Payload::CustomSection(c) => {
                if let Some(Open::Module(index)) = self.stack.last()
                    && let wasmparser::KnownCustom::Producers(producers) = c.as_known()
                    && let Some(v) = wit_bindgen_rust(producers)
                {
                    let module = self
                        .parsed
                        .modules
                        .get_mut(*index)
                        .or_bug("a module index")?;
                    module.bindings_by = Some(v);
                }
            }
            Payload::DataSection(s) => {
                if let Some(Open::Module(index)) = self.stack.last() {
                    let found = s
                        .into_iter()
                        .flatten()
                        .filter_map(|d| async_runtime_version(d.data))
                        .min();
                    let module = self
                        .parsed
                        .modules
                        .get_mut(*index)
                        .or_bug("a module index")?;
                    module.async_runtime = found;
                }
            }
            Payload::ComponentStartSection { .. } => {
                bail!("unsupported: component start functions (the 🪙 value feature)")
            }
            _ => {}
        }
        Ok(())
    }
}

/// The `wit-bindgen-rust` version a `producers` section names. A malformed section
/// names nothing (it is a custom section: it never makes input invalid).
fn wit_bindgen_rust(producers: wasmparser::ProducersSectionReader<'_>) -> Option<(u64, u64)> {
    producers
        .into_iter()
        .flatten()
        .filter(|field| field.name == "processed-by")
        .flat_map(|field| field.values.into_iter().flatten())
        .find(|v| v.name == "wit-bindgen-rust")
        .and_then(|v| major_minor(v.version))
}

/// `(major, minor)` of `major.minor…`; none for an unreadable version.
fn major_minor(version: &str) -> Option<(u64, u64)> {
    let mut parts = version.split(['.', '-', '+']).map(str::parse::<u64>);
    match (parts.next(), parts.next()) {
        (Some(Ok(a)), Some(Ok(b))) => Some((a, b)),
        _ => None,
    }
}

/// The lowest `wit-bindgen` version whose async runtime's source path
/// (`wit-bindgen-X.Y.Z/src/rt/async_support`) a data segment holds.
fn async_runtime_version(data: &[u8]) -> Option<(u64, u64)> {
    const CRATE: &[u8] = b"wit-bindgen-";
    const RT: &[u8] = b"/src/rt/async_support";
    let mut found: Option<(u64, u64)> = None;
    let mut rest = data;
    // One SIMD search: the data of a large component (a Python runtime's 10 MB) is
    // read once, not compared as 12-byte windows.
    let finder = memchr::memmem::Finder::new(CRATE);
    while let Some(i) = finder.find(rest) {
        let after = &rest[i + CRATE.len()..];
        let len = after
            .iter()
            .take(32)
            .position(|b| !(b.is_ascii_digit() || *b == b'.'))
            .unwrap_or(0);
        if after[len..].starts_with(RT)
            && let Some(v) = std::str::from_utf8(&after[..len])
                .ok()
                .and_then(major_minor)
        {
            found = Some(found.map_or(v, |f| f.min(v)));
        }
        rest = after;
    }
    found
}

type Body<'a> = (
    wasmparser::FuncToValidate<wasmparser::ValidatorResources>,
    wasmparser::FunctionBody<'a>,
);

/// Validates the core function bodies, split across the machine's cores (the bulk of a
/// large component's transpile time); on wasm32, one after the other. The first invalid
/// body in binary order is the error, whatever thread found it.
fn validate_bodies(bodies: Vec<Body<'_>>) -> Result<()> {
    let validate_all = |chunk: Vec<Body<'_>>| -> Result<(), wasmparser::BinaryReaderError> {
        let mut allocs = FuncValidatorAllocations::default();
        for (func, body) in chunk {
            let mut v = func.into_validator(allocs);
            v.validate(&body)?;
            allocs = v.into_allocations();
        }
        Ok(())
    };
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        if threads > 1 && bodies.len() > 1 {
            // Contiguous chunks of about equal byte size, so the first error of the
            // first failing chunk is the first in binary order.
            let total: u64 = bodies
                .iter()
                .map(|(_, b)| {
                    let r = b.range();
                    r.end - r.start
                })
                .sum();
            let per = total.div_ceil(threads as u64);
            let mut chunks: Vec<Vec<Body<'_>>> = vec![Vec::new()];
            let mut size = 0u64;
            for b in bodies {
                let n = {
                    let r = b.1.range();
                    r.end - r.start
                };
                if size >= per && chunks.len() < threads {
                    chunks.push(Vec::new());
                    size = 0;
                }
                size += n;
                chunks.last_mut().expect("one chunk at least").push(b);
            }
            let results: Vec<Result<(), wasmparser::BinaryReaderError>> = std::thread::scope(|s| {
                let handles: Vec<_> = chunks
                    .into_iter()
                    .map(|c| s.spawn(move || validate_all(c)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("a validation thread panicked"))
                    .collect()
            });
            return results
                .into_iter()
                .collect::<Result<(), _>>()
                .map_err(invalid);
        }
    }
    validate_all(bodies).map_err(invalid)
}

/// `bytes[range]`, or none when the range runs past the end.
fn slice<'a>(bytes: &'a [u8], range: &std::ops::Range<u64>) -> Option<&'a [u8]> {
    let start = usize::try_from(range.start).ok()?;
    let end = usize::try_from(range.end).ok()?;
    bytes.get(start..end)
}

/// The error for a module section whose declared size runs past the end of the input.
fn truncated_module(range: &std::ops::Range<u64>, len: usize) -> anyhow::Error {
    let size = range.end.saturating_sub(range.start);
    let present = (len as u64).saturating_sub(range.start);
    anyhow::anyhow!(
        "invalid component: a core module section declares {size} bytes but the input ends \
         {present} bytes into it (a truncated or corrupt input) (at offset {:#x})",
        range.start
    )
}

fn invalid(e: wasmparser::BinaryReaderError) -> anyhow::Error {
    anyhow::Error::msg(format!("invalid component: {e}"))
}

#[cfg(test)]
mod tests {
    /// The smallest input that sliced past the end: a component header and a module
    /// section (id 1) that declares 16 bytes, with none of them present.
    #[test]
    fn a_module_section_past_the_end_is_invalid_input() {
        let bytes = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x01, 0x10];
        let e = super::parse(&bytes).err().expect("an error");
        assert!(!crate::error::is_bug(&e));
        assert_eq!(
            e.to_string(),
            "invalid component: a core module section declares 16 bytes but the input ends \
             0 bytes into it (a truncated or corrupt input) (at offset 0xa)"
        );
        // Some of the module present, its end missing.
        let mut bytes = bytes.to_vec();
        bytes.extend_from_slice(&[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
        let e = super::parse(&bytes).err().expect("an error");
        assert!(
            e.to_string()
                .contains("declares 16 bytes but the input ends 8 bytes into it"),
            "{e}"
        );
    }
}

#[cfg(test)]
mod version_tests {
    use super::{async_runtime_version, major_minor};

    #[test]
    fn versions() {
        assert_eq!(major_minor("0.58.0"), Some((0, 58)));
        assert_eq!(major_minor("0.51.3-alpha"), Some((0, 51)));
        assert_eq!(major_minor("1.0.0"), Some((1, 0)));
        assert_eq!(major_minor("garbage"), None);
    }

    #[test]
    fn async_runtime_from_panic_locations() {
        let data = b"\0/cargo/registry/src/x/wit-bindgen-0.57.1/src/rt/async_support/mod.rs\0\
            wit-bindgen-rust\0wit-bindgen-0.63.0/src/rt/async_support.rs\0";
        assert_eq!(async_runtime_version(data), Some((0, 57)));
        assert_eq!(
            async_runtime_version(b"wit-bindgen-0.60.0/src/lib.rs"),
            None
        );
        assert_eq!(async_runtime_version(b"wit-bindgen-"), None);
        assert_eq!(async_runtime_version(b""), None);
    }
}
