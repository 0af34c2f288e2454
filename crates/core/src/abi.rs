//! Canonical ABI layout: alignment, size, flattening and discriminant widths, as in the
//! spec's `definitions.py` (`alignment`, `elem_size`, `flatten_type`, `join`,
//! `discriminant_type`, `flatten_functype`). Every generated lift/lower asks these
//! functions; the JS backend never decides a layout itself.

use crate::types::{FuncType, TypeArena, TypeDef, ValType};

/// The most core parameters a sync function passes flat; more go through memory.
pub const MAX_FLAT_PARAMS: usize = 16;
/// The most core parameters an `async` lower passes flat; more go through memory.
pub const MAX_FLAT_ASYNC_PARAMS: usize = 4;
/// The most core results a sync function returns flat; more go through memory.
pub const MAX_FLAT_RESULTS: usize = 1;
/// Largest byte length of a string or list the ABI accepts.
pub const MAX_BYTE_LENGTH: u32 = (1 << 28) - 1;

/// The address type of a linear memory (`MemInst.addrtype` in the spec): what a pointer
/// and a length are in memory and in flat values. Every layout and flattening depends on
/// it through strings and lists; a component without a memory uses `I32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Addr {
    #[default]
    I32,
    /// A 64-bit memory (🐘 memory64, the `cm64` feature).
    I64,
}

impl Addr {
    /// `ptr_size`: the byte size of a pointer.
    pub fn size(self) -> u32 {
        match self {
            Addr::I32 => 4,
            Addr::I64 => 8,
        }
    }

    /// `ptr_type`: the core type of a pointer.
    pub fn flat(self) -> Flat {
        match self {
            Addr::I32 => Flat::I32,
            Addr::I64 => Flat::I64,
        }
    }

    /// Whether this is a 64-bit address type.
    pub fn is_64(self) -> bool {
        self == Addr::I64
    }
}

/// A core value type in a flattened signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flat {
    I32,
    I64,
    F32,
    F64,
}

/// Width of a variant's or enum's discriminant, or of a flags value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Width {
    U8,
    U16,
    U32,
}

impl Width {
    /// Byte size of this width.
    pub fn bytes(self) -> u32 {
        match self {
            Width::U8 => 1,
            Width::U16 => 2,
            Width::U32 => 4,
        }
    }
}

/// Size and alignment of a value in linear memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub size: u32,
    pub align: u32,
}

/// Rounds `n` up to a multiple of `align` (a power of two).
pub fn align_to(n: u32, align: u32) -> u32 {
    n.div_ceil(align) * align
}

/// The discriminant width of a variant with `cases` cases.
pub fn discriminant(cases: usize) -> Width {
    if cases <= 1 << 8 {
        Width::U8
    } else if cases <= 1 << 16 {
        Width::U16
    } else {
        Width::U32
    }
}

/// The storage width of a flags type with `n` labels (1..=32).
pub fn flags_width(n: usize) -> Width {
    if n <= 8 {
        Width::U8
    } else if n <= 16 {
        Width::U16
    } else {
        Width::U32
    }
}

/// The cases of a variant-like type (variant, enum, option, result), as payload types.
pub fn variant_cases(def: &TypeDef) -> Option<Vec<Option<ValType>>> {
    Some(match def {
        TypeDef::Variant(cases) => cases.iter().map(|c| c.1).collect(),
        TypeDef::Enum(names) => vec![None; names.len()],
        TypeDef::Option(t) => vec![None, Some(*t)],
        TypeDef::Result { ok, err } => vec![*ok, *err],
        _ => return None,
    })
}

impl TypeArena {
    /// Size and alignment of `ty` in a memory of address type `addr`.
    pub fn layout(&self, ty: ValType, addr: Addr) -> Layout {
        let l = |size, align| Layout { size, align };
        match ty {
            ValType::Bool | ValType::S8 | ValType::U8 => l(1, 1),
            ValType::S16 | ValType::U16 => l(2, 2),
            ValType::S32 | ValType::U32 | ValType::F32 | ValType::Char | ValType::ErrorContext => {
                l(4, 4)
            }
            ValType::S64 | ValType::U64 | ValType::F64 => l(8, 8),
            ValType::String => l(2 * addr.size(), addr.size()),
            ValType::Defined(id) => self.def_layout(self.def(id), addr),
        }
    }

    fn def_layout(&self, def: &TypeDef, addr: Addr) -> Layout {
        match def {
            TypeDef::List(_) | TypeDef::Map(..) => Layout {
                size: 2 * addr.size(),
                align: addr.size(),
            },
            TypeDef::Own(_) | TypeDef::Borrow(_) | TypeDef::Future(_) | TypeDef::Stream(_) => {
                Layout { size: 4, align: 4 }
            }
            TypeDef::FixedList(t, n) => {
                let e = self.layout(*t, addr);
                Layout {
                    size: e.size * n,
                    align: e.align,
                }
            }
            TypeDef::Record(fields) => self.record_layout(fields.iter().map(|f| f.1), addr),
            TypeDef::Tuple(ts) => self.record_layout(ts.iter().copied(), addr),
            TypeDef::Flags(names) => {
                let w = flags_width(names.len()).bytes();
                Layout { size: w, align: w }
            }
            _ => {
                let cases = variant_cases(def).expect("variant-like");
                let disc = discriminant(cases.len()).bytes();
                let mut align = disc;
                let mut max_size = 0;
                for c in cases.iter().flatten() {
                    let cl = self.layout(*c, addr);
                    align = align.max(cl.align);
                    max_size = max_size.max(cl.size);
                }
                let payload = align_to(disc, align);
                Layout {
                    size: align_to(payload + max_size, align),
                    align,
                }
            }
        }
    }

    fn record_layout(&self, fields: impl Iterator<Item = ValType>, addr: Addr) -> Layout {
        let mut size = 0;
        let mut align = 1;
        for f in fields {
            let fl = self.layout(f, addr);
            size = align_to(size, fl.align) + fl.size;
            align = align.max(fl.align);
        }
        Layout {
            size: align_to(size, align),
            align,
        }
    }

    /// Layout and field offsets of a tuple of `ts` (spilled parameters, for example).
    pub fn tuple_layout(&self, ts: &[ValType], addr: Addr) -> (Layout, Vec<u32>) {
        (
            self.record_layout(ts.iter().copied(), addr),
            self.field_offsets(ts.iter().copied(), addr),
        )
    }

    /// Byte offsets of the fields of a record or tuple.
    pub fn field_offsets(&self, fields: impl Iterator<Item = ValType>, addr: Addr) -> Vec<u32> {
        let mut offsets = Vec::new();
        let mut size = 0;
        for f in fields {
            let fl = self.layout(f, addr);
            size = align_to(size, fl.align);
            offsets.push(size);
            size += fl.size;
        }
        offsets
    }

    /// Offset of the payload of a variant-like type, from the start of the value.
    pub fn payload_offset(&self, def: &TypeDef, addr: Addr) -> u32 {
        let cases = variant_cases(def).expect("variant-like");
        let disc = discriminant(cases.len()).bytes();
        let align = cases
            .iter()
            .flatten()
            .map(|c| self.layout(*c, addr).align)
            .fold(disc, u32::max);
        align_to(disc, align)
    }

    /// The flat core types of `ty`, with pointers and lengths of address type `addr`.
    pub fn flatten(&self, ty: ValType, addr: Addr) -> Vec<Flat> {
        let mut out = Vec::new();
        self.flatten_into(ty, addr, &mut out);
        out
    }

    fn flatten_into(&self, ty: ValType, addr: Addr, out: &mut Vec<Flat>) {
        match ty {
            ValType::Bool
            | ValType::S8
            | ValType::U8
            | ValType::S16
            | ValType::U16
            | ValType::S32
            | ValType::U32
            | ValType::Char
            | ValType::ErrorContext => out.push(Flat::I32),
            ValType::S64 | ValType::U64 => out.push(Flat::I64),
            ValType::F32 => out.push(Flat::F32),
            ValType::F64 => out.push(Flat::F64),
            ValType::String => out.extend([addr.flat(), addr.flat()]),
            ValType::Defined(id) => match self.def(id) {
                TypeDef::List(_) | TypeDef::Map(..) => out.extend([addr.flat(), addr.flat()]),
                TypeDef::Own(_) | TypeDef::Borrow(_) | TypeDef::Future(_) | TypeDef::Stream(_) => {
                    out.push(Flat::I32);
                }
                TypeDef::FixedList(t, n) => {
                    for _ in 0..*n {
                        self.flatten_into(*t, addr, out);
                    }
                }
                TypeDef::Record(fields) => {
                    for f in fields {
                        self.flatten_into(f.1, addr, out);
                    }
                }
                TypeDef::Tuple(ts) => {
                    for t in ts {
                        self.flatten_into(*t, addr, out);
                    }
                }
                TypeDef::Flags(_) => out.push(Flat::I32),
                def => {
                    out.push(Flat::I32);
                    out.extend(self.variant_payload_flat(def, addr));
                }
            },
        }
    }

    /// The joined flat payload of a variant-like type (without the discriminant).
    pub fn variant_payload_flat(&self, def: &TypeDef, addr: Addr) -> Vec<Flat> {
        let mut flat: Vec<Flat> = Vec::new();
        for case in variant_cases(def)
            .expect("variant-like")
            .into_iter()
            .flatten()
        {
            for (i, f) in self.flatten(case, addr).into_iter().enumerate() {
                if i < flat.len() {
                    flat[i] = join(flat[i], f);
                } else {
                    flat.push(f);
                }
            }
        }
        flat
    }

    /// The core signature of a sync function: (params, results), each either flat or
    /// spilled to a single pointer. `lower` selects the caller-side view, where spilled
    /// results become a trailing out-pointer parameter. `addr` is the address type of
    /// the options' memory.
    pub fn flatten_func(&self, func: &FuncType, lower: bool, addr: Addr) -> CoreSig {
        let mut params = Vec::new();
        for (_, t) in &func.params {
            self.flatten_into(*t, addr, &mut params);
        }
        let params_spilled = params.len() > MAX_FLAT_PARAMS;
        if params_spilled {
            params = vec![addr.flat()];
        }
        let mut results = match func.result {
            Some(t) => self.flatten(t, addr),
            None => Vec::new(),
        };
        let results_spilled = results.len() > MAX_FLAT_RESULTS;
        if results_spilled {
            if lower {
                params.push(addr.flat());
                results = Vec::new();
            } else {
                results = vec![addr.flat()];
            }
        }
        CoreSig {
            params,
            results,
            params_spilled,
            results_spilled,
        }
    }
}

impl TypeArena {
    /// The caller-side core signature of `canon lower`, with the `async` option
    /// (`flatten_func_async_lower`) or without (`flatten_func`).
    pub fn flatten_lower(&self, func: &FuncType, is_async: bool, addr: Addr) -> CoreSig {
        if is_async {
            self.flatten_func_async_lower(func, addr)
        } else {
            self.flatten_func(func, true, addr)
        }
    }

    /// The values a lifted function returns its result with (what the spec's
    /// `on_resolve` gets): `task.return`'s parameters for an `async` lift, its core
    /// results for a sync one; and whether they are one pointer into its memory.
    pub fn flatten_lift_results(
        &self,
        func: &FuncType,
        is_async: bool,
        addr: Addr,
    ) -> (Vec<Flat>, bool) {
        if is_async {
            self.flatten_task_return(func.result, addr)
        } else {
            let lift = self.flatten_func(func, false, addr);
            (lift.results, lift.results_spilled)
        }
    }

    /// The caller-side core signature of an `async` lower: at most
    /// `MAX_FLAT_ASYNC_PARAMS` flat parameters (else one pointer), the result through a
    /// trailing out-pointer, and one `i32` status result.
    pub fn flatten_func_async_lower(&self, func: &FuncType, addr: Addr) -> CoreSig {
        let mut params = Vec::new();
        for (_, t) in &func.params {
            self.flatten_into(*t, addr, &mut params);
        }
        let params_spilled = params.len() > MAX_FLAT_ASYNC_PARAMS;
        if params_spilled {
            params = vec![addr.flat()];
        }
        let results_spilled = func.result.is_some();
        if results_spilled {
            params.push(addr.flat());
        }
        CoreSig {
            params,
            results: vec![Flat::I32],
            params_spilled,
            results_spilled,
        }
    }

    /// The parameters of `task.return` for `result`: flat, or one pointer when they
    /// would exceed `MAX_FLAT_PARAMS`. Returns (flat types, spilled).
    pub fn flatten_task_return(&self, result: Option<ValType>, addr: Addr) -> (Vec<Flat>, bool) {
        let flat = result.map(|t| self.flatten(t, addr)).unwrap_or_default();
        if flat.len() > MAX_FLAT_PARAMS {
            (vec![addr.flat()], true)
        } else {
            (flat, false)
        }
    }
}

/// The core signature of a flattened function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreSig {
    pub params: Vec<Flat>,
    pub results: Vec<Flat>,
    /// Parameters travel as one pointer to a tuple in memory.
    pub params_spilled: bool,
    /// Results travel through memory (a returned pointer for lifts, an out-pointer
    /// parameter for lowers).
    pub results_spilled: bool,
}

/// Joins two flat types occupying the same slot in different variant cases.
pub fn join(a: Flat, b: Flat) -> Flat {
    match (a, b) {
        _ if a == b => a,
        (Flat::I32, Flat::F32) | (Flat::F32, Flat::I32) => Flat::I32,
        _ => Flat::I64,
    }
}
