//! Module functions for the checks, stores and loads of large types.
//!
//! A trampoline's code is specialised for its exact types, so a type whose code is large
//! (WASI's `wasi:http/types#error-code`, a variant of 39 cases, many with records) would
//! be spelled out again in every trampoline that returns or takes it: four copies of
//! ~14 KB in a componentize-js component. With [`FnGen::outline`] on, a value of such a
//! type is instead checked by `checkTN(v, root, accessors)`, stored by `storeTN(v, ptr)` and loaded
//! by `loadTN(ptr)`: module functions made once per type and memory context, holding the
//! same code the trampoline would have held. The call costs nothing next to that code.
//!
//! The checks of a call still all run before its stores (`checkTN` and `storeTN` are
//! separate functions), so what an error leaves behind does not change. What does
//! change is that `storeTN` reads the properties of the value again instead of reusing
//! the reads of the checks (`FnGen::bind_checked`), as the lowering of a variant case's
//! payload or a list element always did: only host import trampolines turn it on, whose
//! every error poisons the instance anyway (docs/js-api.md, "Values from JS").
//!
//! Types that hold borrows, guest-owned handles, streams or futures are never outlined:
//! their code depends on the call (its `cx`, the map of the handles it moves, the path of
//! the whole value for later messages).

use anyhow::Result;
use swc_ecma_ast::Expr;
use weft_core::types::{TypeArena, TypeDef, ValType};

use super::{FnGen, HandleCx, Path};
use crate::ast::*;

/// From what [`weight`] a type's values are checked, stored and loaded by module
/// functions. Below it (a record of a dozen scalars, a small variant), the inline code is
/// short and the call overhead benchmarks keep their straight-line code.
const OUTLINE_MIN: u32 = 16;

/// Roughly how many tests or memory accesses the code of a value of `t` makes: one per
/// type node, case and field, and one for a part `small` says is not spelled out here.
fn weight(types: &TypeArena, t: ValType, small: &impl Fn(ValType) -> bool) -> u32 {
    let ValType::Defined(id) = t else { return 1 };
    if small(t) {
        return 1;
    }
    let w = |t: &ValType| weight(types, *t, small);
    match types.def(id) {
        TypeDef::Record(fields) => 1 + fields.iter().map(|f| w(&f.1)).sum::<u32>(),
        TypeDef::Tuple(ts) => 1 + ts.iter().map(w).sum::<u32>(),
        TypeDef::Variant(cases) => {
            let payloads: u32 = cases.iter().filter_map(|c| c.1.as_ref()).map(w).sum();
            1 + cases.len() as u32 + payloads
        }
        TypeDef::Option(t) => 2 + w(t),
        TypeDef::Result { ok, err } => 3 + ok.iter().chain(err.iter()).map(w).sum::<u32>(),
        TypeDef::List(t) | TypeDef::FixedList(t, _) => 2 + w(t),
        TypeDef::Map(k, v) => 3 + w(k) + w(v),
        TypeDef::Flags(names) => 1 + names.len() as u32,
        TypeDef::Enum(_) | TypeDef::Own(_) | TypeDef::Borrow(_) => 1,
        TypeDef::Future(_) | TypeDef::Stream(_) => 1,
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Check,
    Store,
    Load,
}

impl Kind {
    fn base(self) -> &'static str {
        match self {
            Kind::Check => "checkT",
            Kind::Store => "storeT",
            Kind::Load => "loadT",
        }
    }
}

impl FnGen<'_, '_> {
    /// Whether values of `t` go through module functions here.
    pub(super) fn outlined(&self, t: ValType) -> bool {
        if !self.outline || !matches!(t, ValType::Defined(_)) {
            return false;
        }
        let facts = self.emit.facts;
        let types = self.types();
        // The parts outlined on their own cost a call: an `option` of an outlined
        // variant stays inline.
        let outlined_part = |p: ValType| p != t && self.outlined(p);
        weight(types, t, &outlined_part) >= OUTLINE_MIN
            && !types.contains(t, &mut |t, d| match d {
                Some(TypeDef::Own(r)) => !facts.is_host_resource(*r),
                Some(TypeDef::Borrow(_) | TypeDef::Stream(_) | TypeDef::Future(_)) => true,
                Some(_) => false,
                None => t == ValType::ErrorContext,
            })
    }

    /// `checkTN(v, root, accessors)`: `Path::passed`.
    pub(super) fn check_outlined(&mut self, t: ValType, v: Box<Expr>, path: &Path) -> Result<()> {
        let f = self.outlined_fn(Kind::Check, t)?;
        let [root, segs] = self.path_args(path);
        self.stmts.push(expr_stmt(call_id(&f, vec![v, root, segs])));
        Ok(())
    }

    /// `storeTN(v, addr)`.
    pub(super) fn store_outlined(&mut self, t: ValType, v: Box<Expr>, at: Box<Expr>) -> Result<()> {
        let f = self.outlined_fn(Kind::Store, t)?;
        self.stmts.push(expr_stmt(call_id(&f, vec![v, at])));
        Ok(())
    }

    /// `loadTN(addr)`, bound.
    pub(super) fn load_outlined(&mut self, t: ValType, at: Box<Expr>) -> Result<Box<Expr>> {
        let f = self.outlined_fn(Kind::Load, t)?;
        Ok(self.bind(call_id(&f, vec![at])))
    }

    /// The module function of `kind` for `t` in this function's context. Its code is
    /// generated at each use and compared with the functions made for the same type
    /// before: the same code (the context it spells is the same: memory, `realloc` if
    /// it allocates, handle table, binding) is the same function. Its parameters are
    /// `v0` (the value), `p0` (the address), `path0` and `segs0` (`Path::passed`), names
    /// the generators never hand out (`tmp` counts from 1).
    fn outlined_fn(&mut self, kind: Kind, t: ValType) -> Result<String> {
        let mut g = FnGen::new(self.emit, self.mem.clone(), self.instance);
        g.binding = self.binding;
        g.outline = true;
        g.handle_cx = HandleCx::None;
        let params: Vec<String> = match kind {
            Kind::Check => {
                g.check_inline(t, id("v0"), &Path::passed(), false)?;
                vec!["v0".into(), "path0".into(), "segs0".into()]
            }
            Kind::Store => {
                g.store_inline(t, id("v0"), id("p0"), 0)?;
                vec!["v0".into(), "p0".into()]
            }
            Kind::Load => {
                let v = g.load_inline(t, id("p0"), 0)?;
                g.stmts.push(ret(Some(v)));
                vec!["p0".into()]
            }
        };
        let body = std::mem::take(&mut g.stmts);
        let mut shape = kind.base().to_string();
        shape_of(self.types(), t, &mut shape);
        let made = self.emit.outlined.entry(shape).or_default();
        if let Some((_, name)) = made.iter().find(|(b, _)| *b == body) {
            return Ok(name.clone());
        }
        let name = self.emit.namer.fresh(kind.base());
        made.push((body.clone(), name.clone()));
        self.emit.decls.push(fn_decl(&name, &params, body));
        Ok(name)
    }
}

/// The structure of `t` as text: what its code depends on (names, cases, element types,
/// resources), not which type of the plan it is.
fn shape_of(types: &TypeArena, t: ValType, out: &mut String) {
    let ValType::Defined(id) = t else {
        out.push_str(&format!("{t:?}"));
        return;
    };
    let all = |out: &mut String, open: &str, parts: &[(Option<&str>, Option<ValType>)]| {
        out.push_str(open);
        for (name, t) in parts {
            if let Some(n) = name {
                out.push_str(n);
                out.push(':');
            }
            if let Some(t) = t {
                shape_of(types, *t, out);
            }
            out.push(',');
        }
        out.push(')');
    };
    match types.def(id) {
        TypeDef::Record(fs) => {
            let parts: Vec<_> = fs.iter().map(|f| (Some(f.0.as_str()), Some(f.1))).collect();
            all(out, "record(", &parts);
        }
        TypeDef::Variant(cs) => {
            let parts: Vec<_> = cs.iter().map(|c| (Some(c.0.as_str()), c.1)).collect();
            all(out, "variant(", &parts);
        }
        TypeDef::Tuple(ts) => {
            let parts: Vec<_> = ts.iter().map(|t| (None, Some(*t))).collect();
            all(out, "tuple(", &parts);
        }
        TypeDef::Result { ok, err } => all(out, "result(", &[(None, *ok), (None, *err)]),
        TypeDef::Option(t) => all(out, "option(", &[(None, Some(*t))]),
        TypeDef::List(t) => all(out, "list(", &[(None, Some(*t))]),
        TypeDef::FixedList(t, n) => all(out, &format!("list{n}("), &[(None, Some(*t))]),
        TypeDef::Map(k, v) => all(out, "map(", &[(None, Some(*k)), (None, Some(*v))]),
        TypeDef::Flags(ns) | TypeDef::Enum(ns) => {
            let kind = if matches!(types.def(id), TypeDef::Flags(_)) {
                "flags("
            } else {
                "enum("
            };
            let parts: Vec<_> = ns.iter().map(|n| (Some(n.as_str()), None)).collect();
            all(out, kind, &parts);
        }
        def => out.push_str(&format!("{def:?}")),
    }
}
