//! Interface types as the plan sees them: a small, interned, resource-resolved copy of
//! wasmparser's component value types.
//!
//! wasmparser describes types relative to one validator and names resources by
//! `ResourceId`, which is the same for every instantiation of a nested component. The
//! plan needs types in which every `own`/`borrow` names a *runtime* resource type (one
//! per component instance that defines it), so conversion goes through a resource map
//! owned by the flattening frame (see `inline.rs`).

use std::collections::HashMap;

/// Index of a runtime resource type in [`crate::Plan::resources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceIdx(pub u32);

/// Index of an interned [`TypeDef`] in a [`TypeArena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

/// Index of an interned [`FuncType`] in a [`TypeArena`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncTypeId(pub u32);

/// A component value type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValType {
    Bool,
    S8,
    U8,
    S16,
    U16,
    S32,
    U32,
    S64,
    U64,
    F32,
    F64,
    Char,
    String,
    ErrorContext,
    Defined(TypeId),
}

impl ValType {
    /// The WIT name of a type that is not a compound one (`u8`, `string`,
    /// `error-context`); `None` for a compound type.
    #[must_use]
    pub fn primitive_name(self) -> Option<&'static str> {
        Some(match self {
            ValType::Bool => "bool",
            ValType::S8 => "s8",
            ValType::U8 => "u8",
            ValType::S16 => "s16",
            ValType::U16 => "u16",
            ValType::S32 => "s32",
            ValType::U32 => "u32",
            ValType::S64 => "s64",
            ValType::U64 => "u64",
            ValType::F32 => "f32",
            ValType::F64 => "f64",
            ValType::Char => "char",
            ValType::String => "string",
            ValType::ErrorContext => "error-context",
            ValType::Defined(_) => return None,
        })
    }
}

/// A compound value type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeDef {
    Record(Vec<(String, ValType)>),
    Tuple(Vec<ValType>),
    Variant(Vec<(String, Option<ValType>)>),
    Enum(Vec<String>),
    Option(ValType),
    Result {
        ok: Option<ValType>,
        err: Option<ValType>,
    },
    Flags(Vec<String>),
    List(ValType),
    FixedList(ValType, u32),
    Map(ValType, ValType),
    Own(ResourceIdx),
    Borrow(ResourceIdx),
    Future(Option<ValType>),
    Stream(Option<ValType>),
}

/// A component function type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuncType {
    pub params: Vec<(String, ValType)>,
    pub result: Option<ValType>,
    pub is_async: bool,
}

impl FuncType {
    /// The types of its parameters, in order, then of its result.
    pub fn value_types(&self) -> impl Iterator<Item = ValType> + '_ {
        self.params.iter().map(|p| p.1).chain(self.result)
    }
}

/// Interned types: structurally equal types share one id, so code generated per type
/// (a lifting helper for a record, say) is shared by every function that uses it.
#[derive(Debug, Default, Clone)]
pub struct TypeArena {
    defs: Vec<TypeDef>,
    def_ids: HashMap<TypeDef, TypeId>,
    funcs: Vec<FuncType>,
    func_ids: HashMap<FuncType, FuncTypeId>,
}

impl TypeArena {
    /// Interns a compound type.
    pub fn intern(&mut self, def: TypeDef) -> TypeId {
        if let Some(id) = self.def_ids.get(&def) {
            return *id;
        }
        let id = TypeId(u32::try_from(self.defs.len()).expect("fewer than 2^32 types"));
        self.defs.push(def.clone());
        self.def_ids.insert(def, id);
        id
    }

    /// The id of an already interned compound type, as a value type.
    pub fn intern_lookup(&self, def: &TypeDef) -> Option<ValType> {
        self.def_ids.get(def).map(|id| ValType::Defined(*id))
    }

    /// Interns a function type.
    pub fn intern_func(&mut self, func: FuncType) -> FuncTypeId {
        if let Some(id) = self.func_ids.get(&func) {
            return *id;
        }
        let id = FuncTypeId(u32::try_from(self.funcs.len()).expect("fewer than 2^32 types"));
        self.funcs.push(func.clone());
        self.func_ids.insert(func, id);
        id
    }

    /// The definition of a compound type.
    pub fn def(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0 as usize]
    }

    /// The definition of a function type.
    pub fn func(&self, id: FuncTypeId) -> &FuncType {
        &self.funcs[id.0 as usize]
    }

    /// Every interned compound type, in interning order (children before parents).
    pub fn defs(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.defs
            .iter()
            .enumerate()
            .map(|(i, d)| (TypeId(i as u32), d))
    }

    /// Whether values of `ty` contain a handle, a string or a list anywhere: such values
    /// need more than copying flat numbers.
    pub fn contains(
        &self,
        ty: ValType,
        pred: &mut impl FnMut(ValType, Option<&TypeDef>) -> bool,
    ) -> bool {
        let ValType::Defined(id) = ty else {
            return pred(ty, None);
        };
        let def = self.def(id);
        if pred(ty, Some(def)) {
            return true;
        }
        let mut children: Vec<ValType> = Vec::new();
        match def {
            TypeDef::Record(fields) => children.extend(fields.iter().map(|f| f.1)),
            TypeDef::Tuple(ts) => children.extend(ts.iter().copied()),
            TypeDef::Variant(cases) => children.extend(cases.iter().filter_map(|c| c.1)),
            TypeDef::Option(t) | TypeDef::List(t) | TypeDef::FixedList(t, _) => children.push(*t),
            TypeDef::Result { ok, err } => children.extend(ok.iter().chain(err.iter()).copied()),
            TypeDef::Map(k, v) => children.extend([*k, *v]),
            TypeDef::Enum(_)
            | TypeDef::Flags(_)
            | TypeDef::Own(_)
            | TypeDef::Borrow(_)
            | TypeDef::Future(_)
            | TypeDef::Stream(_) => {}
        }
        children.into_iter().any(|c| self.contains(c, pred))
    }

    /// Whether a value of this type holds a handle (`own`/`borrow`) anywhere.
    pub fn has_handles(&self, ty: ValType) -> bool {
        self.contains(ty, &mut |_, d| {
            matches!(d, Some(TypeDef::Own(_) | TypeDef::Borrow(_)))
        })
    }

    /// Whether a function is component-model async: an `async` function type, or one
    /// whose parameters or result hold a stream, future or error-context.
    pub fn func_uses_async(&self, f: &FuncType) -> bool {
        f.is_async || f.value_types().any(|t| self.has_async_values(t))
    }

    /// Whether a value of this type holds a stream, future or error-context anywhere.
    pub fn has_async_values(&self, ty: ValType) -> bool {
        self.contains(ty, &mut |t, d| {
            t == ValType::ErrorContext || matches!(d, Some(TypeDef::Stream(_) | TypeDef::Future(_)))
        })
    }

    /// Whether a value of this type holds a borrow anywhere.
    pub fn has_borrows(&self, ty: ValType) -> bool {
        self.contains(ty, &mut |_, d| matches!(d, Some(TypeDef::Borrow(_))))
    }

    /// Whether a value of this type holds a string anywhere.
    pub fn has_strings(&self, ty: ValType) -> bool {
        self.contains(ty, &mut |t, _| t == ValType::String)
    }

    /// Whether a value of this type needs memory (strings, lists, maps) anywhere.
    pub fn needs_memory(&self, ty: ValType) -> bool {
        self.contains(ty, &mut |t, d| {
            t == ValType::String || matches!(d, Some(TypeDef::List(_) | TypeDef::Map(..)))
        })
    }

    /// Whether lowering a value of this type allocates (calls `realloc`).
    pub fn needs_realloc(&self, ty: ValType) -> bool {
        self.needs_memory(ty)
    }
}
