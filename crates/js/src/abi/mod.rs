//! The Canonical ABI in JS: code generators that lift core values into JS values and
//! lower JS values into core values, specialised per type at transpile time.
//!
//! Four directions, mirroring `definitions.py`:
//! - [`FnGen::lower_flat`]: JS value → flat core values (`lower_flat`),
//! - [`FnGen::store`]: JS value → linear memory (`store`),
//! - [`FnGen::lift_flat`]: flat core values → JS value (`lift_flat`),
//! - [`FnGen::load`]: linear memory → JS value (`load`).
//!
//! and before lowering, [`FnGen::check_all`]: the validation of a JS value, which throws a
//! `TypeError` naming the value's path before anything touches guest memory
//! (`check.rs`; docs/js-api.md, "Values from JS").
//!
//! Layout decisions come from `weft_core::abi`; this module only spells them in JS:
//! `lower.rs` the two lowering directions, `lift.rs` the two lifting ones, `check.rs`
//! the validation, this file the generator they share (fresh names, bound values, memory
//! views and pointer checks).
//! Statements accumulate in [`FnGen::stmts`]; expressions returned are cheap to repeat
//! (identifiers or literals) unless documented otherwise.

use anyhow::Result;
use swc_ecma_ast::{BinaryOp, Expr, Stmt, UnaryOp};
use weft_core::abi::{Addr, Flat, Layout};
use weft_core::bug;
use weft_core::error::OrBug;
use weft_core::types::{TypeArena, TypeDef, TypeId, ValType};

use crate::ast::*;
use crate::binding::Binding;
use crate::emit::{Emit, MemCx};

mod check;
mod lift;
mod lower;
mod outline;

pub use check::{Path, scalar_test};
pub use lift::coerce_lift;
pub use lower::coerce_lower;

/// What a lowering does with handles it meets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum HandleCx {
    /// No call context: borrows are not allowed (results).
    None,
    /// A call context named `cx` exists for borrow bookkeeping.
    Call,
}

/// Generates the body of one function.
pub struct FnGen<'e, 'p> {
    pub emit: &'e mut Emit<'p>,
    pub stmts: Vec<Stmt>,
    tmp: u32,
    pub mem: Option<MemCx>,
    pub handle_cx: HandleCx,
    /// Component instance whose handle table this function uses.
    pub instance: u32,
    /// Lift stream and future ends as `End` objects (elements of a stream or future
    /// copy, which may move on to another guest) instead of JS values.
    pub raw_ends: bool,
    /// A variable holding the memory's current `DataView`, bound before a loop that
    /// cannot grow the memory (`hoisted_view`); `view()` names it instead of calling
    /// the view function per field.
    view_var: Option<String>,
    /// How [`FnGen::lower_flat`] and [`FnGen::store`] name the value they check: a host
    /// import's result (`result of <label>`, set by `call::lift_args`, since a function
    /// that lifts a call's arguments from a guest lowers that call's result), else
    /// `value`.
    pub result_label: Option<String>,
    /// Values the checks read and bound (`const v3 = arg0.items`), by the expression
    /// they read (`expr_key`), with the scope depth of the binding: the lowering that
    /// follows the checks reads them from these variables instead of reading the
    /// properties again. Entries go when their scope ends (`scoped`).
    checked: Vec<(String, String, u32)>,
    /// The nesting depth of `scoped` blocks.
    depth: u32,
    /// The variable of the map of the handles the checks of this call saw
    /// (`handleProblem`), when the call moves handles out of JS objects.
    seen: Option<String>,
    /// Whether the checks of this call keep the rep of each borrowed handle they test
    /// (`check_handle`): when no other check can run JS code (a getter may dispose the
    /// object) between a handle's check and its lowering.
    keep_reps: bool,
    /// Whether the lowering of a call's arguments follows their checks at once, with no
    /// JS code run between (a sync export's wrapper): only then may `keep_reps` hold.
    pub lowering_follows: bool,
    /// The value the lowering is at, for the messages of stream and future values
    /// checked later: the expression of the whole value (`expr_key`) and its path.
    lowering: Option<(String, String)>,
    /// Check, store and load values of large types through module functions shared by
    /// every function that meets the type (`outline.rs`); on in host import trampolines.
    pub outline: bool,
    /// The names and value shapes of this function's JS values: the run's
    /// (`Facts::binding`), except for an import `@weft/wasi` serves, whose shims speak
    /// weft's own shapes whatever `--compat` says (`Emit::binding_of_import`).
    pub binding: &'static dyn Binding,
}

impl<'e, 'p> FnGen<'e, 'p> {
    pub fn new(emit: &'e mut Emit<'p>, mem: Option<MemCx>, instance: u32) -> Self {
        let binding = emit.facts.binding;
        FnGen {
            emit,
            stmts: Vec::new(),
            tmp: 0,
            mem,
            handle_cx: HandleCx::None,
            instance,
            raw_ends: false,
            view_var: None,
            result_label: None,
            checked: Vec::new(),
            depth: 0,
            seen: None,
            keep_reps: false,
            lowering_follows: false,
            lowering: None,
            outline: false,
            binding,
        }
    }

    /// Whether integers from JS must be in range (`Binding::strict_integers`), which jco
    /// checks in components that use async only.
    pub fn strict_integers(&self) -> bool {
        self.emit.facts.concurrent && self.binding.strict_integers()
    }

    /// Whether a `result` from JS may be its bare `ok` payload
    /// (`Binding::bare_ok_results`), which jco takes in components that use async only.
    pub fn bare_ok_results(&self) -> bool {
        self.emit.facts.concurrent && self.binding.bare_ok_results()
    }

    /// For a `result` type `t`: the runtime helper of the binding that turns what a host
    /// function returning it threw into the `err` payload (or rethrows).
    pub fn err_payload(&self, t: ValType) -> &'static str {
        let err_is_string = matches!(t, ValType::Defined(id)
            if matches!(self.types().def(id), TypeDef::Result { err: Some(ValType::String), .. }));
        self.binding.err_payload(err_is_string)
    }

    /// Names the JS variable `arg` as the whole value being lowered, at `path` (for the
    /// messages of the stream items and future values checked later).
    pub fn set_lowering(&mut self, arg: &str, path: String) {
        self.lowering = Some((arg.to_string(), path));
    }

    /// The `AsyncInstance` of this function's component instance.
    pub fn async_inst(&mut self) -> Box<Expr> {
        id(&self.emit.async_instance(self.instance))
    }

    /// A fresh local name.
    pub fn tmp(&mut self, base: &str) -> String {
        self.tmp += 1;
        format!("{base}{}", self.tmp)
    }

    /// Binds `e` to a fresh `const` unless it is already an identifier or literal, or a
    /// read the checks made and bound in a scope still open (`checked`).
    pub fn bind(&mut self, e: Box<Expr>) -> Box<Expr> {
        if matches!(*e, Expr::Ident(_) | Expr::Lit(_)) {
            return e;
        }
        if let Some(v) = self.checked_read(&e) {
            return v;
        }
        let t = self.tmp("v");
        self.stmts.push(const_(&t, e));
        id(&t)
    }

    /// Like `bind`, and records the binding for the lowering that follows the checks.
    fn bind_checked(&mut self, e: Box<Expr>) -> Box<Expr> {
        if matches!(*e, Expr::Ident(_) | Expr::Lit(_)) {
            return e;
        }
        if let Some(v) = self.checked_read(&e) {
            return v;
        }
        let t = self.tmp("v");
        if let Some(key) = expr_key(&e) {
            self.checked.push((key, t.clone(), self.depth));
        }
        self.stmts.push(const_(&t, e));
        id(&t)
    }

    /// Forgets the reads the checks bound (their statements went into a block the
    /// lowering is not in).
    pub fn forget_checked(&mut self) {
        self.checked.clear();
    }

    /// The variable holding what the checks read as `e`, if they bound it in a scope
    /// still open.
    fn checked_read(&self, e: &Expr) -> Option<Box<Expr>> {
        if self.checked.is_empty() {
            return None;
        }
        let key = expr_key(e)?;
        self.checked
            .iter()
            .rev()
            .find(|(k, _, _)| *k == key)
            .map(|(_, v, _)| id(v))
    }

    /// What the checks bound under `expr_key(e)` + `suffix` (`#entries` for a map's
    /// entries, `#rep` for a borrowed handle's rep), while its scope lasts.
    fn checked_as(&self, e: &Expr, suffix: &str) -> Option<Box<Expr>> {
        let key = format!("{}{suffix}", expr_key(e)?);
        let (_, v, _) = self.checked.iter().rev().find(|(k, _, _)| *k == key)?;
        Some(id(v))
    }

    /// Runs `f` collecting its statements separately (a block of their own: bindings
    /// made inside are forgotten after it).
    pub fn scoped<R>(&mut self, f: impl FnOnce(&mut Self) -> Result<R>) -> Result<(Vec<Stmt>, R)> {
        let saved = std::mem::take(&mut self.stmts);
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        let depth = self.depth;
        self.checked.retain(|(_, _, d)| *d <= depth);
        let inner = std::mem::replace(&mut self.stmts, saved);
        Ok((inner, r?))
    }

    /// Emits `for (i = 0; i < n; i++)` over the elements of `size` bytes at `p`, with
    /// `body(g, i, addr)` emitting the work on element `i`, at `addr`. With `hoist_view`
    /// (a loop that makes no call into wasm, so the memory cannot grow inside), the
    /// memory's `DataView` is bound once before the loop.
    fn for_each_element(
        &mut self,
        p: &Box<Expr>,
        size: u32,
        n: &Box<Expr>,
        hoist_view: bool,
        mut body: impl FnMut(&mut Self, &str, Box<Expr>) -> Result<()>,
    ) -> Result<()> {
        let mut emit_loop = |g: &mut Self| -> Result<()> {
            let i = g.tmp("i");
            let (stmts, ()) = g.scoped(|g| {
                let addr = bin(
                    p.clone(),
                    BinaryOp::Add,
                    bin(id(&i), BinaryOp::Mul, num(f64::from(size))),
                );
                let addr = g.bind(addr);
                body(g, &i, addr)
            })?;
            g.stmts.push(for_range(&i, n.clone(), stmts));
            Ok(())
        };
        if hoist_view {
            self.hoisted_view(emit_loop)
        } else {
            emit_loop(self)
        }
    }

    /// Runs `f` with the memory's `DataView` bound once before what it emits (a variable
    /// `view()` then names).
    fn hoisted_view<R>(&mut self, f: impl FnOnce(&mut Self) -> Result<R>) -> Result<R> {
        if self.view_var.is_some() {
            return f(self);
        }
        let dv = self.tmp("dv");
        let view = self.view()?;
        self.stmts.push(const_(&dv, view));
        self.view_var = Some(dv);
        let r = f(self);
        self.view_var = None;
        r
    }

    /// The address type of this function's memory (`I32` without one).
    pub fn addr(&self) -> Addr {
        self.mem.as_ref().map_or(Addr::I32, |m| m.addr)
    }

    /// A pointer or length the guest gave (a flat value, or one loaded from memory) as
    /// an unsigned Number: `x >>> 0`, or for a 64-bit memory `addrNum(x)`.
    pub fn addr_in(&mut self, raw: Box<Expr>) -> Box<Expr> {
        self.addr_in_as(self.addr(), raw)
    }

    /// [`Self::addr_in`] for a memory of address type `addr`.
    pub fn addr_in_as(&mut self, addr: Addr, raw: Box<Expr>) -> Box<Expr> {
        match addr {
            Addr::I32 => bin(raw, BinaryOp::ZeroFillRShift, num(0.0)),
            Addr::I64 => call(self.rt("addrNum"), vec![raw]),
        }
    }

    /// A pointer or length (a Number) as the core value the guest takes: itself, or for
    /// a 64-bit memory a BigInt.
    pub fn addr_out(&mut self, n: Box<Expr>) -> Box<Expr> {
        addr_out_as(self.addr(), n)
    }

    /// The `DataView` getter and setter of a pointer-sized value.
    fn addr_accessors(&self) -> (&'static str, &'static str) {
        addr_accessors_of(self.addr())
    }

    /// Stores a (pointer, length) pair, as core values (`addr_out`), at `addr + offset`.
    fn store_ptr_len(
        &mut self,
        addr: &Expr,
        offset: u32,
        p: Box<Expr>,
        l: Box<Expr>,
    ) -> Result<()> {
        let (_, set) = self.addr_accessors();
        let size = self.addr().size();
        for (at, v) in [(offset, p), (offset + size, l)] {
            let view = self.view()?;
            self.stmts.push(expr_stmt(method(
                view,
                set,
                vec![plus(addr, at), v, bool_(true)],
            )));
        }
        Ok(())
    }

    /// The plan's types.
    pub fn types(&self) -> &'p TypeArena {
        &self.emit.facts.plan.types
    }

    /// The layout of `t` in this function's memory.
    pub fn layout(&self, t: ValType) -> Layout {
        self.types().layout(t, self.addr())
    }

    /// The flat core types of `t` with this function's address type.
    pub fn flatten(&self, t: ValType) -> Vec<Flat> {
        self.types().flatten(t, self.addr())
    }

    /// This function's memory context; the canonical options of a function that moves
    /// values through memory always have one (validation checks it).
    pub fn mem(&self) -> Result<MemCx> {
        match &self.mem {
            Some(m) => Ok(m.clone()),
            None => bug!("a memory is needed but the options have none"),
        }
    }

    fn view(&self) -> Result<Box<Expr>> {
        if let Some(v) = &self.view_var {
            return Ok(id(v));
        }
        Ok(call_id(&self.mem()?.view, vec![]))
    }

    fn realloc(&self) -> Result<String> {
        match self.mem()?.realloc {
            Some(r) => Ok(r),
            None => bug!("realloc is needed but the options have none"),
        }
    }

    fn rt(&mut self, name: &'static str) -> Box<Expr> {
        self.emit.rt(name)
    }

    fn trap(&mut self, msg: Box<Expr>) -> Stmt {
        expr_stmt(call(self.rt("trap"), vec![msg]))
    }

    fn type_error(msg: &str) -> Stmt {
        throw(new_(id("TypeError"), vec![str_(msg)]))
    }

    fn tag_key(&self) -> &'static str {
        self.binding.payload_key()
    }

    /// The cases of a bare variant (with their indices) in the order their tests run:
    /// cases without a payload, then platform objects (`instanceof`), then primitives,
    /// then lists, then other objects, so that a more general test never hides a more
    /// specific one.
    fn bare_case_order(
        &self,
        cases: &[(String, Option<ValType>)],
    ) -> Vec<(usize, (String, Option<ValType>))> {
        let rank = |t: &Option<ValType>| match t {
            None => 0,
            Some(ValType::Defined(id)) => match self.types().def(*id) {
                TypeDef::Own(_) | TypeDef::Borrow(_) => 1,
                TypeDef::Enum(_) => 2,
                TypeDef::List(_) | TypeDef::FixedList(..) => 3,
                _ => 4,
            },
            Some(_) => 2,
        };
        let mut order: Vec<(usize, (String, Option<ValType>))> =
            cases.iter().cloned().enumerate().collect();
        order.sort_by_key(|(_, (_, t))| rank(t));
        order
    }

    /// Whether JS value `v` is of case `name` (payload type `t`) of a bare variant.
    fn case_test(&mut self, name: &str, t: Option<ValType>, v: &Box<Expr>) -> Box<Expr> {
        let type_is = |v: &Box<Expr>, s: &str| {
            bin(unary(UnaryOp::TypeOf, v.clone()), BinaryOp::EqEqEq, str_(s))
        };
        let Some(t) = t else {
            let unit = if name == "null" { null() } else { undefined() };
            return bin(v.clone(), BinaryOp::EqEqEq, unit);
        };
        match t {
            ValType::Bool => type_is(v, "boolean"),
            ValType::String | ValType::Char => type_is(v, "string"),
            ValType::S64 | ValType::U64 => type_is(v, "bigint"),
            ValType::Defined(tid) => match self.types().def(tid).clone() {
                TypeDef::Enum(_) => type_is(v, "string"),
                TypeDef::List(_) | TypeDef::FixedList(..) => bin(
                    call(member(id("Array"), "isArray"), vec![v.clone()]),
                    BinaryOp::LogicalOr,
                    call(member(id("ArrayBuffer"), "isView"), vec![v.clone()]),
                ),
                TypeDef::Own(r) | TypeDef::Borrow(r) => {
                    match crate::idl::resource_class(self.emit, r) {
                        Some(class) => bin(v.clone(), BinaryOp::InstanceOf, class),
                        None => bin(
                            type_is(v, "object"),
                            BinaryOp::LogicalAnd,
                            bin(v.clone(), BinaryOp::NotEqEq, null()),
                        ),
                    }
                }
                _ => bin(
                    type_is(v, "object"),
                    BinaryOp::LogicalAnd,
                    bin(v.clone(), BinaryOp::NotEqEq, null()),
                ),
            },
            ValType::ErrorContext => type_is(v, "object"),
            _ => type_is(v, "number"),
        }
    }

    /// A record field's or flag's JS name; for the platform (a `webidl:` import) the
    /// dictionary member the IDL has (`weft_webidl::platform`), which also finds the
    /// names other tools lower-cased.
    fn field(&self, wit: &str) -> String {
        if self.binding.bare_variants()
            && let Some(p) = self.emit.facts.opts.webidl.as_deref()
            && let Some(name) = p.dictionary_member(wit)
        {
            return name;
        }
        self.binding.field(wit)
    }

    /// An enum case's JS string; for the platform the IDL's value, as [`Self::field`].
    /// The module's `enumN` table of the enum type with cases `names` (WIT names):
    /// `enumN[i]` is case `i`'s JS value, `enumNIndex.get(value)` its index.
    fn enum_table(&mut self, names: &[String]) -> String {
        let cases: Vec<String> = names.iter().map(|n| self.enum_case(n)).collect();
        self.emit.enum_table(&cases)
    }

    fn enum_case(&self, wit: &str) -> String {
        if self.binding.bare_variants()
            && let Some(p) = self.emit.facts.opts.webidl.as_deref()
            && let Some(value) = p.enum_value(wit)
        {
            return value;
        }
        self.binding.enum_case(wit)
    }

    /// Calls realloc for a fresh block and checks the result, returning the pointer.
    pub fn alloc(&mut self, size: Box<Expr>, align: u32) -> Result<Box<Expr>> {
        let m = self.mem()?;
        let realloc = self.realloc()?;
        let p = self.tmp("p");
        let size = self.bind(size);
        let raw = call_id(
            &realloc,
            vec![num(0.0), num(0.0), num(f64::from(align)), size.clone()],
        );
        let ptr = self.addr_in(raw);
        self.stmts.push(const_(&p, ptr));
        self.check_ptr(&id(&p), align, size, &m.memory, "realloc return value");
        Ok(id(&p))
    }

    /// Binds `raw` as an unsigned Number (`addr_in`) and checks that a value of type
    /// `t` fits at it (aligned, in bounds of this function's memory); returns the bound
    /// pointer. `what` names the pointer in trap messages.
    pub fn checked_ptr(&mut self, raw: Box<Expr>, t: ValType, what: &str) -> Result<Box<Expr>> {
        let p = self.addr_in(raw);
        let p = self.bind(p);
        let layout = self.layout(t);
        let memory = self.mem()?.memory;
        self.check_ptr(&p, layout.align, num(f64::from(layout.size)), &memory, what);
        Ok(p)
    }

    /// Traps unless `p` is aligned and `p + size` fits in memory.
    pub fn check_ptr(
        &mut self,
        p: &Box<Expr>,
        align: u32,
        size: Box<Expr>,
        memory: &str,
        what: &str,
    ) {
        // `p` is an unsigned Number (bound through `addr_in` by every caller).
        let view = self.emit.view_fn(memory);
        let check = call(
            self.rt("checkPtr"),
            vec![
                call_id(&view, vec![]),
                p.clone(),
                num(f64::from(align)),
                size,
                str_(what),
            ],
        );
        self.stmts.push(expr_stmt(check));
    }

    // ---------------------------------------------------------------- handles

    fn table(&mut self, instance: u32) -> Box<Expr> {
        id(&self.emit.handle_table(instance))
    }
}

/// [`FnGen::addr_out`] for a memory of address type `addr`.
pub fn addr_out_as(addr: Addr, n: Box<Expr>) -> Box<Expr> {
    match addr {
        Addr::I32 => n,
        Addr::I64 => call_id("BigInt", vec![n]),
    }
}

/// The `DataView` getter and setter of a pointer-sized value in a memory of address
/// type `addr`.
pub fn addr_accessors_of(addr: Addr) -> (&'static str, &'static str) {
    match addr {
        Addr::I32 => ("getUint32", "setUint32"),
        Addr::I64 => ("getBigUint64", "setBigUint64"),
    }
}

/// A key naming what `e` reads, for the reads of identifiers, properties and constant
/// indices (`arg0.items`, `v3[1]`); `None` for anything else.
fn expr_key(e: &Expr) -> Option<String> {
    use swc_ecma_ast::{Lit, MemberProp};
    match e {
        Expr::Ident(i) => Some(i.sym.to_string()),
        Expr::Member(m) => {
            let obj = expr_key(&m.obj)?;
            match &m.prop {
                MemberProp::Ident(p) => Some(format!("{obj}.{}", p.sym)),
                MemberProp::Computed(c) => match &*c.expr {
                    Expr::Lit(Lit::Num(n)) => Some(format!("{obj}[{}]", n.value)),
                    Expr::Lit(Lit::Str(s)) => Some(format!("{obj}[{:?}]", s.value)),
                    _ => None,
                },
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `tuple<k, v>` a `map<k, v>` is a list of (interned with the map).
pub fn map_entry(types: &TypeArena, k: ValType, v: ValType) -> Result<ValType> {
    types
        .intern_lookup(&TypeDef::Tuple(vec![k, v]))
        .or_bug("the entry tuple type of a map was not interned")
}

/// A cursor over flat values.
pub struct FlatIter {
    vals: std::vec::IntoIter<(Box<Expr>, Flat)>,
}

impl FlatIter {
    pub fn new(vals: Vec<(Box<Expr>, Flat)>) -> Self {
        FlatIter {
            vals: vals.into_iter(),
        }
    }

    /// The next flat value, which must have the core type `want`: the generators
    /// compute both sides from the same signature, so a missing or mistyped value is a
    /// bug, never `undefined` in the output.
    pub fn next(&mut self, want: Flat) -> Result<Box<Expr>> {
        match self.vals.next() {
            Some((e, have)) if have == want => Ok(e),
            Some((_, have)) => bug!("a flat value of type {have:?} where {want:?} was expected"),
            None => bug!("a flat value of type {want:?} is missing"),
        }
    }
}

/// What code needs to know of a `stream<T>`/`future<T>` type.
pub struct EndInfo {
    pub stream: bool,
    /// The element type, if any.
    pub elem: Option<ValType>,
    /// The element type is none or a number (`none_or_number_type`).
    pub plain: bool,
    /// `stream<u8>`: moved as `Uint8Array` chunks.
    pub bytes: bool,
}

/// Describes the stream or future type `tid`.
pub fn end_info(types: &TypeArena, tid: TypeId) -> EndInfo {
    let (stream, elem) = match types.def(tid) {
        TypeDef::Stream(e) => (true, *e),
        TypeDef::Future(e) => (false, *e),
        _ => (false, None),
    };
    let plain = match elem {
        None => true,
        Some(t) => matches!(
            t,
            ValType::U8
                | ValType::U16
                | ValType::U32
                | ValType::U64
                | ValType::S8
                | ValType::S16
                | ValType::S32
                | ValType::S64
                | ValType::F32
                | ValType::F64
        ),
    };
    EndInfo {
        stream,
        elem,
        plain,
        bytes: stream && elem == Some(ValType::U8),
    }
}
