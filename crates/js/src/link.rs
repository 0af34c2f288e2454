//! Direct links between separately transpiled components (docs/lazy-values.md).
//!
//! Core wasm calls an imported function that is another instance's wasm export without
//! going through JS. weft does the same one level up: a sync export whose type has no
//! handles is *offered* (`offerLink` in `src/runtime/link.js` attaches its core
//! function, memory, realloc, post-return, string encoding and poison state), and a
//! host import of exactly the same type gets a second trampoline that, when the value
//! supplied for the import is such an export, calls that core function itself and
//! moves arguments and results memory to memory with the fused-adapter code of
//! `adapter/`. The choice is made once, at instantiation; a plain JS function (or an
//! export of another type) takes the ordinary trampoline. Values crossing a link are
//! never JS objects: strings are copied or transcoded between the memories, lists of
//! numbers are one bulk copy.

use std::fmt::Write;

use swc_ecma_ast::{Expr, Stmt};
use weft_core::plan::{CanonOptions, Lifted, StringEncoding};
use weft_core::types::{FuncType, TypeArena, TypeDef, ValType};

use crate::ast::*;
use crate::emit::Emit;
use crate::facts::Facts;
use crate::names::LINK_STATE;

/// The linkable type of `func` as a string both sides compute alike, or `None` when
/// calls of it cannot be linked (async, or handles, streams, futures or error contexts
/// anywhere in its parameters or result). Parameter names are left out (they do not
/// reach JS); record field, case, enum and flag names are kept, since they shape the
/// JS values the ordinary path would make.
pub fn func_sig(types: &TypeArena, func: &FuncType) -> Option<String> {
    if func.is_async {
        return None;
    }
    let mut s = String::from("(");
    for (i, (_, t)) in func.params.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        val_sig(types, *t, &mut s)?;
    }
    s.push(')');
    if let Some(t) = func.result {
        s.push_str("->");
        val_sig(types, t, &mut s)?;
    }
    Some(s)
}

fn val_sig(types: &TypeArena, t: ValType, s: &mut String) -> Option<()> {
    let prim = match t {
        ValType::ErrorContext => return None,
        ValType::Defined(id) => return def_sig(types, types.def(id), s),
        _ => t.primitive_name()?,
    };
    s.push_str(prim);
    Some(())
}

fn opt_sig(types: &TypeArena, t: Option<ValType>, s: &mut String) -> Option<()> {
    match t {
        Some(t) => val_sig(types, t, s),
        None => {
            s.push('_');
            Some(())
        }
    }
}

fn list_sig(types: &TypeArena, ts: &[ValType], s: &mut String) -> Option<()> {
    for (i, t) in ts.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        val_sig(types, *t, s)?;
    }
    Some(())
}

fn def_sig(types: &TypeArena, def: &TypeDef, s: &mut String) -> Option<()> {
    match def {
        TypeDef::Record(fields) => {
            s.push_str("record{");
            for (i, (n, t)) in fields.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                let _ = write!(s, "{n}:");
                val_sig(types, *t, s)?;
            }
            s.push('}');
        }
        TypeDef::Tuple(ts) => {
            s.push_str("tuple<");
            list_sig(types, ts, s)?;
            s.push('>');
        }
        TypeDef::Variant(cases) => {
            s.push_str("variant{");
            for (i, (n, t)) in cases.iter().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                s.push_str(n);
                if let Some(t) = t {
                    s.push('(');
                    val_sig(types, *t, s)?;
                    s.push(')');
                }
            }
            s.push('}');
        }
        TypeDef::Enum(names) => {
            let _ = write!(s, "enum{{{}}}", names.join(","));
        }
        TypeDef::Flags(names) => {
            let _ = write!(s, "flags{{{}}}", names.join(","));
        }
        TypeDef::Option(t) => {
            s.push_str("option<");
            val_sig(types, *t, s)?;
            s.push('>');
        }
        TypeDef::Result { ok, err } => {
            s.push_str("result<");
            opt_sig(types, *ok, s)?;
            s.push(',');
            opt_sig(types, *err, s)?;
            s.push('>');
        }
        TypeDef::List(t) => {
            s.push_str("list<");
            val_sig(types, *t, s)?;
            s.push('>');
        }
        TypeDef::FixedList(t, n) => {
            s.push_str("list<");
            val_sig(types, *t, s)?;
            let _ = write!(s, ",{n}>");
        }
        TypeDef::Map(k, v) => {
            s.push_str("map<");
            list_sig(types, &[*k, *v], s)?;
            s.push('>');
        }
        TypeDef::Own(_) | TypeDef::Borrow(_) | TypeDef::Future(_) | TypeDef::Stream(_) => {
            return None;
        }
    }
    Some(())
}

/// The name `transcode` (src/runtime/transcode.js) uses for an encoding.
pub fn encoding_name(e: StringEncoding) -> &'static str {
    match e {
        StringEncoding::Utf8 => "utf8",
        StringEncoding::Utf16 => "utf16",
        StringEncoding::CompactUtf16 => "latin1+utf16",
    }
}

/// The statement offering the export function `f` (lifting `l`) for direct links, or
/// `None` when its type cannot be linked. Runs after instantiation (it reads the
/// instance's core items).
pub fn offer(emit: &mut Emit<'_>, f: &str, l: &Lifted) -> Option<Stmt> {
    let plan = emit.plan();
    let sig = func_sig(&plan.types, plan.types.func(l.ty))?;
    let core = emit.core_def(&l.func);
    let memory = l.options.memory.as_ref().map(|m| emit.core_def(m));
    let realloc = l.options.realloc.as_ref().map(|r| emit.core_def(r));
    let post = l.options.post_return.as_ref().map(|p| emit.core_def(p));
    // A core exception must not cross into the linked caller's core code.
    let core = if emit.facts.core_exceptions {
        call(emit.rt("guardExceptions"), vec![id(&core)])
    } else {
        id(&core)
    };
    let mut args = vec![
        id(LINK_STATE),
        id(f),
        str_(&sig),
        core,
        memory.map_or_else(undefined, |v| id(&v)),
        realloc.map_or_else(undefined, |v| id(&v)),
        post.map_or_else(undefined, |v| id(&v)),
    ];
    if l.options.memory.is_some() {
        args.push(str_(encoding_name(l.options.encoding)));
    }
    while args.len() > 4
        && matches!(&*args[args.len() - 1], Expr::Ident(i) if &*i.sym == "undefined")
    {
        args.pop();
    }
    Some(expr_stmt(call(emit.rt("offerLink"), args)))
}

/// `const linkState = { poisoned: () => poisoned, poison: () => (poisoned = true) }`.
pub fn offer_state(facts: &Facts<'_>) -> Stmt {
    const_(
        LINK_STATE,
        object(vec![
            ("poisoned".into(), arrow(&[], id("poisoned"))),
            (
                "poison".into(),
                arrow(&[], crate::state::poison_expr(facts)),
            ),
        ]),
    )
}

/// A linkable import: the twin trampoline `trampoline{trampoline}L` is taken when, at
/// instantiation, the value of `host` is an offered export of type `sig`.
pub struct Link {
    pub trampoline: u32,
    pub vars: LinkVars,
    /// The JS expression of the imported function.
    pub host: Box<Expr>,
    /// The type string both sides compare (`func_sig`).
    pub sig: String,
}

impl Link {
    /// At instantiation: whether the import is linked (`LinkVars::resolve`).
    pub fn resolve(&self) -> Stmt {
        self.vars.resolve(self.host.clone(), &self.sig)
    }
}

/// The variables of one linkable import: the descriptor and the peer's memory items
/// (identifiers, so the adapter code can name them as it names its own).
pub struct LinkVars {
    /// The descriptor (`linkOf`'s result), undefined when the import is not linked.
    pub desc: String,
    pub memory: String,
    pub realloc: String,
    pub enc: String,
}

impl LinkVars {
    /// Fresh variables for the link of trampoline `trampoline`, declared in the state.
    pub fn new(emit: &mut Emit<'_>, trampoline: u32) -> Self {
        let mut fresh = |suffix: &str| emit.namer.fresh(&format!("link{trampoline}{suffix}"));
        let vars = LinkVars {
            desc: fresh(""),
            memory: fresh("Memory"),
            realloc: fresh("Realloc"),
            enc: fresh("Enc"),
        };
        emit.state
            .declare_link_vars(&[&vars.desc, &vars.memory, &vars.realloc, &vars.enc]);
        vars
    }

    /// At instantiation: `if ((linkN = linkOf(host, sig)) !== undefined) { ... }`,
    /// filling the peer variables from the descriptor (`linkOf` is marked as used when
    /// the twin is made).
    pub fn resolve(&self, host: Box<Expr>, sig: &str) -> Stmt {
        let d = || id(&self.desc);
        if_(
            bin(
                assign_expr(&self.desc, call_id("linkOf", vec![host, str_(sig)])),
                swc_ecma_ast::BinaryOp::NotEqEq,
                undefined(),
            ),
            vec![
                assign(&self.memory, member(d(), "memory")),
                assign(&self.realloc, member(d(), "realloc")),
                assign(&self.enc, member(d(), "enc")),
            ],
            None,
        )
    }
}

/// Whether functions of the import or export `name` take part in links: not those of
/// `wasi:` interfaces, which hosts serve and call with JS shims (a twin or an offer would
/// only add code).
pub fn links_interface(name: &str) -> bool {
    !name.starts_with("wasi:")
}

/// The type string of an import trampoline of `func` lowered with `options` that gets
/// a linked twin, or `None`.
pub fn linkable_import(
    types: &TypeArena,
    import_name: &str,
    func: &FuncType,
    options: &CanonOptions,
) -> Option<String> {
    // Links join 32-bit memories only: a 64-bit one (🐘) takes the ordinary path.
    if options.is_async || options.addr.is_64() || !links_interface(import_name) {
        return None;
    }
    func_sig(types, func)
}
