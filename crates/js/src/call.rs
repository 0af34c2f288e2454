//! The pieces every call across the component boundary is made of: the entry check, the
//! call context for borrowed handles, moving arguments between JS values and core
//! values, and turning a `result`'s `err` case into a thrown `ComponentError`.
//!
//! A [`CallSite`] carries what one generated function needs to know of the call it
//! makes or receives, so no generator reads it from hidden state.

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::abi::CoreSig;
use weft_core::error::OrBug;
use weft_core::types::{FuncType, TypeArena, ValType};

use crate::abi::{FlatIter, FnGen, Path};
use crate::ast::*;
use crate::names::{FnKind, fn_kind};

/// One function call site: the component function and its core signature.
pub struct CallSite {
    /// `interface#function`, or a plain function name: how messages and `--async-*`
    /// patterns name it.
    pub label: String,
    /// The component function type (`is_async` set when `--async-exports` forces it).
    pub func: FuncType,
    /// The core signature on this side of the call.
    pub sig: CoreSig,
    /// The generated function's parameters: `arg0`, `arg1`, …
    pub args: Vec<String>,
}

impl CallSite {
    /// The site of an export wrapper called from JS: one parameter per component
    /// parameter.
    pub fn export(label: String, func: FuncType, sig: CoreSig) -> Self {
        let args = params(func.params.len(), "arg");
        CallSite {
            label,
            func,
            sig,
            args,
        }
    }

    /// The site of a trampoline called from core wasm: one parameter per core
    /// parameter.
    pub fn import(label: String, func: FuncType, sig: CoreSig) -> Self {
        let args = params(sig.params.len(), "arg");
        CallSite {
            label,
            func,
            sig,
            args,
        }
    }

    /// The parameter types, in order.
    pub fn param_types(&self) -> Vec<ValType> {
        self.func.params.iter().map(|p| p.1).collect()
    }

    /// Whether a parameter holds a `borrow` (the call then needs a `CallContext`).
    pub fn params_have_borrows(&self, types: &TypeArena) -> bool {
        self.func.params.iter().any(|(_, t)| types.has_borrows(*t))
    }
}

/// `base0`, `base1`, … `base{n-1}`.
pub fn params(n: usize, base: &str) -> Vec<String> {
    (0..n).map(|i| format!("{base}{i}")).collect()
}

/// `if (poisoned) trap(...)`: the entry check of every call into the component.
pub fn poison_check(g: &mut FnGen<'_, '_>) -> Stmt {
    poison_check_of(g, id("poisoned"))
}

/// The entry check of a call into an instance whose trap state `poisoned` reads (this
/// module's flag, or a linked peer's `desc.poisoned()`).
pub fn poison_check_of(g: &mut FnGen<'_, '_>, poisoned: Box<Expr>) -> Stmt {
    let fail = call(g.emit.rt("trapPoisoned"), vec![]);
    if_(poisoned, vec![expr_stmt(fail)], None)
}

/// The entry of a call into the component: the poison check and, when the call moves
/// handles, a fresh `CallContext` named `cx`.
pub fn call_prologue(g: &mut FnGen<'_, '_>, with_cx: bool) -> Vec<Stmt> {
    let check = poison_check(g);
    entry(g, check, with_cx)
}

/// The entry of a call that returns a promise (an `async` function's export): a
/// poisoned instance rejects it, as any other trap does, instead of throwing.
pub fn promise_prologue(g: &mut FnGen<'_, '_>, with_cx: bool) -> Vec<Stmt> {
    let reject = call(g.emit.rt("rejectPoisoned"), vec![]);
    let check = if_(id("poisoned"), vec![ret(Some(reject))], None);
    entry(g, check, with_cx)
}

fn entry(g: &mut FnGen<'_, '_>, check: Stmt, with_cx: bool) -> Vec<Stmt> {
    let mut body = vec![check];
    if with_cx {
        body.push(call_context(g));
    }
    body
}

/// `const cx = new CallContext()`; with core handle tables, `const cx = new
/// CallContext(beginCall())`: the call's borrow scope is opened in the core module too,
/// and `cx.core` is its number.
pub fn call_context(g: &mut FnGen<'_, '_>) -> Stmt {
    g.emit.runtime("CallContext");
    let mut args = match g.emit.core_scope_fn(true) {
        Some(begin) => vec![call_id(&begin, vec![])],
        None => vec![],
    };
    // An async component's runtime ends some scopes itself (`borrowsRemain`,
    // `releaseLends`): it gets the module's functions.
    if let Some(scopes) = g.emit.core_scopes() {
        args.push(id(&scopes));
    }
    const_("cx", new_(id("CallContext"), args))
}

/// `throw e` in the handler of a call into core code: a core exception must not leave
/// the component, so where the component can throw them it is `throw
/// boundaryError(e)` (a trap).
pub fn rethrow(g: &mut FnGen<'_, '_>) -> Stmt {
    if g.emit.facts.core_exceptions {
        throw(call(g.emit.rt("boundaryError"), vec![id("e")]))
    } else {
        throw(id("e"))
    }
}

/// `endCall(cx)`: ends the borrows of a call context; with core handle tables,
/// `endCall(cx.core), endCall(cx)`: the core module's scope first (its borrows and
/// lends), then the JS one (host objects lent).
pub fn end_call(g: &mut FnGen<'_, '_>) -> Stmt {
    g.emit.runtime("endCall");
    let end = call_id("endCall", vec![id("cx")]);
    match g.emit.core_scope_fn(false) {
        Some(core) => expr_stmt(seq(vec![
            call_id(&core, vec![crate::emit::core_scope()]),
            end,
        ])),
        None => expr_stmt(end),
    }
}

/// How messages name the JS argument `i` of `site`: `arg <i>` (from 0), and `this` for
/// the `self` of a method (whose other arguments count from 0 after it).
pub fn arg_path(site: &CallSite, i: usize) -> String {
    let item = site.label.rsplit('#').next().unwrap_or(&site.label);
    let method = matches!(fn_kind(item), FnKind::Method(..));
    match (method, i) {
        (true, 0) => "this".into(),
        (true, i) => format!("arg {}", i - 1),
        (false, i) => format!("arg {i}"),
    }
}

/// The checks of every JS argument of `site` (`FnGen::check_all`), which must all pass
/// before `lower_args` touches the callee's memory: a value that does not fit throws
/// with nothing of the callee run.
pub fn check_args(g: &mut FnGen<'_, '_>, site: &CallSite) -> Result<()> {
    let values: Vec<_> = site
        .func
        .params
        .iter()
        .zip(&site.args)
        .enumerate()
        .map(|(i, ((_, t), a))| (*t, id(a), Path::root(arg_path(site, i))))
        .collect();
    g.check_all(&values)
}

/// Lowers the JS arguments of `site`, which `check_args` checked, into the callee's
/// core arguments: flat, or a tuple allocated with the options' `realloc` when they
/// spill.
pub fn lower_args(g: &mut FnGen<'_, '_>, site: &CallSite) -> Result<Vec<Box<Expr>>> {
    let mut flat = Vec::new();
    if site.sig.params_spilled {
        let tuple = site.param_types();
        let (layout, offsets) = g.types().tuple_layout(&tuple, g.addr());
        let p = g.alloc(num(f64::from(layout.size)), layout.align)?;
        for (i, ((t, o), a)) in tuple.iter().zip(offsets).zip(&site.args).enumerate() {
            g.set_lowering(a, arg_path(site, i));
            g.store_valid(*t, id(a), p.clone(), o)?;
        }
        flat.push(g.addr_out(p));
    } else {
        for (i, ((_, t), a)) in site.func.params.iter().zip(&site.args).enumerate() {
            g.set_lowering(a, arg_path(site, i));
            flat.extend(g.lower_flat_valid(*t, id(a))?);
        }
    }
    Ok(flat)
}

/// Lifts the parameters of `site` from a caller's core arguments (flat with the
/// signature's types, or a pointer to a tuple when they spill), bound to names.
pub fn lift_args(g: &mut FnGen<'_, '_>, site: &CallSite) -> Result<Vec<Box<Expr>>> {
    // A function that lifts a call's arguments from a guest is a host trampoline: what
    // it lowers next is that call's result.
    g.result_label = Some(site.label.clone());
    let mut values = Vec::new();
    if site.sig.params_spilled {
        let tuple = site.param_types();
        let (layout, offsets) = g.types().tuple_layout(&tuple, g.addr());
        let memory = g.mem()?.memory;
        let first = site.args.first().or_bug("a parameter pointer")?;
        let p = g.addr_in(id(first));
        let p = g.bind(p);
        g.check_ptr(
            &p,
            layout.align,
            num(f64::from(layout.size)),
            &memory,
            "parameter pointer",
        );
        for (t, o) in tuple.iter().zip(offsets) {
            let v = g.load(*t, p.clone(), o)?;
            values.push(g.bind(v));
        }
    } else {
        let n_flat: usize = site.func.params.iter().map(|p| g.flatten(p.1).len()).sum();
        let flats = site
            .sig
            .params
            .get(..n_flat)
            .or_bug("flat parameter types")?;
        let mut it = FlatIter::new(
            site.args
                .iter()
                .zip(flats.iter().copied())
                .map(|(a, f)| (id(a), f))
                .collect(),
        );
        for (_, t) in &site.func.params {
            let v = g.lift_flat(*t, &mut it)?;
            values.push(g.bind(v));
        }
    }
    Ok(values)
}

/// The end of a call returning a `result` (its value in `out`): `err` throws a
/// `ComponentError` carrying the payload, `ok` returns the payload.
pub fn unwrap_result(g: &mut FnGen<'_, '_>, out: &str) -> Vec<Stmt> {
    let key = g.binding.payload_key();
    let error = g.emit.rt("ComponentError");
    let is_err = bin(member(id(out), "tag"), BinaryOp::EqEqEq, str_("err"));
    vec![
        if_(
            is_err,
            vec![throw(new_(error, vec![member(id(out), key)]))],
            None,
        ),
        ret(Some(member(id(out), key))),
    ]
}

/// One `canon lower` through a subtask: `canonLowerAsync(ai, callee, onStart, onResolve,
/// cx)` for a caller lowered with `async`, else `canonLowerSync(…, label)`, which
/// waits. `on_start` returns the callee's arguments; `on_resolve` takes the callee's
/// results as its parameter `resolved` and lowers them for the caller.
pub struct SubtaskCall {
    /// The caller's `AsyncInstance`.
    pub caller: Box<Expr>,
    /// The callee, a `FuncInst` (`canonLift(…)` of a guest, `hostFunc(…)` of the host).
    pub callee: Box<Expr>,
    pub on_start: Vec<Stmt>,
    pub resolved: &'static str,
    pub on_resolve: Vec<Stmt>,
    /// `cx`, or `null` when the call moves no borrows.
    pub cx: Box<Expr>,
}

impl SubtaskCall {
    /// The call, for a caller lowered with `async` or not; `label` names the callee in
    /// the messages of a sync call.
    pub fn emit(self, g: &mut FnGen<'_, '_>, is_async: bool, label: &str) -> Box<Expr> {
        let mut args = vec![
            self.caller,
            self.callee,
            fn_expr(&[], self.on_start),
            fn_expr(&[self.resolved.into()], self.on_resolve),
            self.cx,
        ];
        let lower = if is_async {
            "canonLowerAsync"
        } else {
            args.push(str_(label));
            "canonLowerSync"
        };
        call(g.emit.rt(lower), args)
    }
}
