//! A core module read into the sections the linker copies.

use anyhow::{Context, Result};
use wasmparser::{
    CompositeInnerType, Data, Element, Export, FuncType, FunctionBody, Global, Import, MemoryType,
    Parser, Payload, Table, TagType, TypeSectionReader,
};

/// The items of one core module, in its index spaces' order.
pub struct Parts<'a> {
    pub types: Option<TypeSectionReader<'a>>,
    /// Every type of the module (one per subtype of each rec group); the function
    /// types where it is one.
    pub func_types: Vec<Option<FuncType>>,
    pub imports: Vec<Import<'a>>,
    /// The type of each defined function.
    pub funcs: Vec<u32>,
    pub tables: Vec<Table<'a>>,
    pub memories: Vec<MemoryType>,
    pub tags: Vec<TagType>,
    pub globals: Vec<Global<'a>>,
    pub exports: Vec<Export<'a>>,
    pub start: Option<u32>,
    pub elements: Vec<Element<'a>>,
    pub data: Vec<Data<'a>>,
    pub code: Vec<FunctionBody<'a>>,
}

impl<'a> Parts<'a> {
    /// Reads a module weft-core has validated as part of its component.
    pub fn read(bytes: &'a [u8]) -> Result<Self> {
        let mut p = Parts {
            types: None,
            func_types: Vec::new(),
            imports: Vec::new(),
            funcs: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            tags: Vec::new(),
            globals: Vec::new(),
            exports: Vec::new(),
            start: None,
            elements: Vec::new(),
            data: Vec::new(),
            code: Vec::new(),
        };
        for payload in Parser::new(0).parse_all(bytes) {
            p.take(payload?)?;
        }
        Ok(p)
    }

    fn take(&mut self, payload: Payload<'a>) -> Result<()> {
        match payload {
            Payload::TypeSection(s) => {
                for group in s.clone() {
                    for sub in group?.into_types() {
                        self.func_types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f),
                            _ => None,
                        });
                    }
                }
                self.types = Some(s);
            }
            Payload::ImportSection(s) => {
                for i in s.into_imports() {
                    self.imports.push(i?);
                }
            }
            Payload::FunctionSection(s) => self.funcs = collect(s)?,
            Payload::TableSection(s) => self.tables = collect(s)?,
            Payload::MemorySection(s) => self.memories = collect(s)?,
            Payload::TagSection(s) => self.tags = collect(s)?,
            Payload::GlobalSection(s) => self.globals = collect(s)?,
            Payload::ExportSection(s) => self.exports = collect(s)?,
            Payload::StartSection { func, .. } => self.start = Some(func),
            Payload::ElementSection(s) => self.elements = collect(s)?,
            Payload::DataSection(s) => self.data = collect(s)?,
            Payload::CodeSectionEntry(body) => self.code.push(body),
            Payload::Version { .. }
            | Payload::DataCountSection { .. }
            | Payload::CodeSectionStart { .. }
            | Payload::CustomSection(_)
            | Payload::End(_) => {}
            other => {
                let (id, range) = other.as_section().context("an unknown core module item")?;
                anyhow::bail!(
                    "a core module section the linker does not know (id {id} at byte {})",
                    range.start
                );
            }
        }
        Ok(())
    }
}

fn collect<'a, T: wasmparser::FromReader<'a>>(
    s: wasmparser::SectionLimited<'a, T>,
) -> Result<Vec<T>> {
    Ok(s.into_iter().collect::<wasmparser::Result<Vec<T>>>()?)
}
