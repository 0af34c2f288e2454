//! The Canonical ABI in JS: code generators that lift core values into JS values and
//! lower JS values into core values, specialised per type at transpile time.
//!
//! Four directions, mirroring `definitions.py`:
//! - [`FnGen::lower_flat`]: JS value → flat core values (`lower_flat`),
//! - [`FnGen::store`]: JS value → linear memory (`store`),
//! - [`FnGen::lift_flat`]: flat core values → JS value (`lift_flat`),
//! - [`FnGen::load`]: linear memory → JS value (`load`).
//!
//! Layout decisions come from `weft_core::abi`; this file only spells them in JS.
//! Statements accumulate in [`FnGen::stmts`]; expressions returned are cheap to repeat
//! (identifiers or literals) unless documented otherwise.

use anyhow::{Result, bail};
use swc_ecma_ast::{BinaryOp, Expr, Stmt};
use weft_core::abi::{Flat, Width, discriminant, flags_width, variant_cases};
use weft_core::plan::StringEncoding;
use weft_core::types::{ResourceIdx, TypeArena, TypeDef, TypeId, ValType};

use crate::ast::*;
use crate::module::Emit;
use crate::names::prop;

/// Which JS value shapes to produce and accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Compat {
    /// The CM Explainer's JS API shapes.
    #[default]
    Native,
    /// jco 1.35's shapes.
    Jco,
}

/// Names of the memory, its DataView accessor and the realloc function in scope.
#[derive(Clone)]
pub struct MemCx {
    /// Expression naming the `WebAssembly.Memory`.
    pub memory: String,
    /// Name of a zero-argument function returning a current `DataView` of the memory.
    pub view: String,
    /// Name of the `realloc` core function, if the options have one.
    pub realloc: Option<String>,
    pub encoding: StringEncoding,
    /// A variable holding the encoding's name at run time, when it is only known then
    /// (the peer of a direct link, `link.rs`); `encoding` is then unused.
    pub encoding_var: Option<String>,
}

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
}

impl<'e, 'p> FnGen<'e, 'p> {
    pub fn new(emit: &'e mut Emit<'p>, mem: Option<MemCx>, instance: u32) -> Self {
        FnGen {
            emit,
            stmts: Vec::new(),
            tmp: 0,
            mem,
            handle_cx: HandleCx::None,
            instance,
            raw_ends: false,
            view_var: None,
        }
    }

    /// The `AsyncInstance` of this function's component instance.
    pub fn async_inst(&mut self) -> Box<Expr> {
        id(&self.emit.async_instance(self.instance))
    }

    /// A guest's readable stream/future end (handle `h`) as a JS value.
    fn lift_end(&mut self, tid: TypeId, h: Box<Expr>) -> Box<Expr> {
        let info = end_info(self.types(), tid);
        let ai = self.async_inst();
        let end = call(
            self.rt("liftEnd"),
            vec![ai, h, num(f64::from(tid.0)), bool_(info.stream)],
        );
        if self.raw_ends {
            return end;
        }
        if info.stream {
            call(self.rt("streamToJs"), vec![end, bool_(info.bytes)])
        } else {
            call(self.rt("futureToJs"), vec![end])
        }
    }

    /// A JS value as a readable stream/future end handed to this instance.
    fn lower_end(&mut self, tid: TypeId, v: Box<Expr>) -> Box<Expr> {
        let info = end_info(self.types(), tid);
        let end = call(
            self.rt("toEnd"),
            vec![
                v,
                num(f64::from(tid.0)),
                bool_(info.plain),
                bool_(info.bytes),
                bool_(info.stream),
            ],
        );
        let ai = self.async_inst();
        call(self.rt("lowerEnd"), vec![ai, end])
    }

    /// A fresh local name.
    pub fn tmp(&mut self, base: &str) -> String {
        self.tmp += 1;
        format!("{base}{}", self.tmp)
    }

    /// Binds `e` to a fresh `const` unless it is already an identifier or literal.
    pub fn bind(&mut self, e: Box<Expr>) -> Box<Expr> {
        if matches!(*e, Expr::Ident(_) | Expr::Lit(_)) {
            return e;
        }
        let t = self.tmp("v");
        self.stmts.push(const_(&t, e));
        id(&t)
    }

    /// Runs `f` collecting its statements separately.
    pub fn scoped<R>(&mut self, f: impl FnOnce(&mut Self) -> Result<R>) -> Result<(Vec<Stmt>, R)> {
        let saved = std::mem::take(&mut self.stmts);
        let r = f(self);
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
        n: &str,
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
            g.stmts.push(for_range(&i, id(n), stmts));
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

    fn types(&self) -> &'p TypeArena {
        &self.emit.plan.types
    }

    fn mem(&self) -> Result<MemCx> {
        match &self.mem {
            Some(m) => Ok(m.clone()),
            None => bail!("internal error: a memory is needed but the options have none"),
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
            None => bail!("internal error: realloc is needed but the options have none"),
        }
    }

    fn rt(&mut self, name: &'static str) -> Box<Expr> {
        self.emit.runtime(name);
        id(name)
    }

    fn trap(&mut self, msg: Box<Expr>) -> Stmt {
        expr_stmt(call(self.rt("trap"), vec![msg]))
    }

    fn type_error(msg: &str) -> Stmt {
        throw(new_(id("TypeError"), vec![str_(msg)]))
    }

    fn tag_key(&self) -> &'static str {
        match self.emit.compat {
            Compat::Native => "value",
            Compat::Jco => "val",
        }
    }

    // ---------------------------------------------------------------- lower (JS → flat)

    /// Lowers JS value `v` of type `ty` to flat core values.
    pub fn lower_flat(&mut self, ty: ValType, v: Box<Expr>) -> Result<Vec<Box<Expr>>> {
        let v = self.bind(v);
        Ok(match ty {
            ValType::Bool => vec![cond(v, num(1.0), num(0.0))],
            ValType::S8
            | ValType::U8
            | ValType::S16
            | ValType::U16
            | ValType::S32
            | ValType::U32 => {
                vec![v]
            }
            ValType::S64 | ValType::U64 | ValType::F32 | ValType::F64 => vec![v],
            ValType::Char => vec![call(self.rt("lowerChar"), vec![v])],
            ValType::String => {
                let (p, l) = self.lower_string(v)?;
                vec![p, l]
            }
            ValType::ErrorContext => {
                let ai = self.async_inst();
                vec![call(self.rt("lowerErrorContext"), vec![ai, v])]
            }
            ValType::Defined(tid) => match self.types().def(tid).clone() {
                TypeDef::List(t) => {
                    let (p, l) = self.lower_list(t, v)?;
                    vec![p, l]
                }
                TypeDef::Map(k, val) => {
                    let (p, l) = self.lower_map(k, val, v)?;
                    vec![p, l]
                }
                TypeDef::FixedList(t, n) => {
                    self.check_fixed(&v, n);
                    let mut out = Vec::new();
                    for i in 0..n {
                        out.extend(self.lower_flat(t, index(v.clone(), num(f64::from(i))))?);
                    }
                    out
                }
                TypeDef::Record(fields) => {
                    let mut out = Vec::new();
                    for (name, t) in fields {
                        out.extend(self.lower_flat(t, member(v.clone(), &prop(&name)))?);
                    }
                    out
                }
                TypeDef::Tuple(ts) => {
                    let mut out = Vec::new();
                    for (i, t) in ts.into_iter().enumerate() {
                        out.extend(self.lower_flat(t, index(v.clone(), num(i as f64)))?);
                    }
                    out
                }
                TypeDef::Flags(names) => vec![self.lower_flags(&names, v)],
                TypeDef::Own(r) => vec![self.lower_own(r, v)?],
                TypeDef::Borrow(r) => vec![self.lower_borrow(r, v)?],
                TypeDef::Future(_) | TypeDef::Stream(_) => vec![self.lower_end(tid, v)],
                def => self.lower_variant_flat(&def, v)?,
            },
        })
    }

    fn check_fixed(&mut self, v: &Box<Expr>, n: u32) {
        let bad = bin(
            member(v.clone(), "length"),
            BinaryOp::NotEqEq,
            num(f64::from(n)),
        );
        self.stmts.push(if_(
            bad,
            vec![Self::type_error(&format!(
                "expected a list of exactly {n} elements"
            ))],
            None,
        ));
    }

    fn lower_flags(&mut self, names: &[String], v: Box<Expr>) -> Box<Expr> {
        let mut e = num(0.0);
        for (i, n) in names.iter().enumerate() {
            let bit = if i == 31 {
                -2147483648.0
            } else {
                f64::from(1u32 << i)
            };
            let term = cond(member(v.clone(), &prop(n)), num(bit), num(0.0));
            e = bin(e, BinaryOp::BitOr, term);
        }
        e
    }

    /// Decodes which case JS value `v` is: returns statements setting `d` (case index)
    /// and, per case, an expression for the payload.
    fn match_case(
        &mut self,
        def: &TypeDef,
        v: &Box<Expr>,
        d: &str,
    ) -> Result<Vec<Option<Box<Expr>>>> {
        let key = self.tag_key();
        match def {
            TypeDef::Enum(names) => {
                let mut cases = Vec::new();
                for (i, n) in names.iter().enumerate() {
                    cases.push((Some(str_(n)), vec![assign(d, num(i as f64)), break_()]));
                }
                cases.push((None, vec![Self::type_error("invalid enum value")]));
                self.stmts.push(switch(v.clone(), cases));
                Ok(vec![None; names.len()])
            }
            TypeDef::Option(t) if self.option_is_nullable(*t) => {
                let none = bin(v.clone(), BinaryOp::EqEq, null());
                self.stmts.push(assign(d, cond(none, num(0.0), num(1.0))));
                Ok(vec![None, Some(v.clone())])
            }
            _ => {
                let names: Vec<String> = match def {
                    TypeDef::Variant(cases) => cases.iter().map(|c| c.0.clone()).collect(),
                    TypeDef::Option(_) => vec!["none".into(), "some".into()],
                    TypeDef::Result { .. } => vec!["ok".into(), "err".into()],
                    _ => unreachable!("variant-like"),
                };
                let tag = self.bind(member(v.clone(), "tag"));
                let mut cases = Vec::new();
                for (i, n) in names.iter().enumerate() {
                    cases.push((Some(str_(n)), vec![assign(d, num(i as f64)), break_()]));
                }
                cases.push((None, vec![Self::type_error("invalid variant tag")]));
                self.stmts.push(switch(tag, cases));
                let payload = member(v.clone(), key);
                let cases = variant_cases(def).expect("variant-like");
                Ok(cases.iter().map(|c| c.map(|_| payload.clone())).collect())
            }
        }
    }

    /// Whether `option<t>` uses the nullable shape (`null` for none) rather than tags.
    pub fn option_is_nullable(&self, t: ValType) -> bool {
        match t {
            ValType::Defined(id) => !matches!(self.types().def(id), TypeDef::Option(_)),
            _ => true,
        }
    }

    fn lower_variant_flat(&mut self, def: &TypeDef, v: Box<Expr>) -> Result<Vec<Box<Expr>>> {
        let joined = self.types().variant_payload_flat(def);
        let d = self.tmp("d");
        self.stmts.push(let_(&d, Some(num(0.0))));
        let slots: Vec<String> = joined.iter().map(|_| self.tmp("s")).collect();
        for (s, f) in slots.iter().zip(&joined) {
            self.stmts.push(let_(s, Some(zero(*f))));
        }
        let payloads = self.match_case(def, &v, &d)?;
        let cases = variant_cases(def).expect("variant-like");
        let mut arms = Vec::new();
        for (i, (case, payload)) in cases.iter().zip(payloads).enumerate() {
            let Some(t) = case else { continue };
            let payload = payload.expect("payload for a case with a type");
            let (body, ()) = self.scoped(|g| {
                let have = g.types().flatten(*t);
                let vals = g.lower_flat(*t, payload)?;
                for ((val, h), (slot, want)) in
                    vals.into_iter().zip(have).zip(slots.iter().zip(&joined))
                {
                    let coerced = coerce_lower(g, val, h, *want);
                    g.stmts.push(assign(slot, coerced));
                }
                Ok(())
            })?;
            let mut body = body;
            body.push(break_());
            arms.push((Some(num(i as f64)), body));
        }
        if !arms.is_empty() {
            self.stmts.push(switch(id(&d), arms));
        }
        let mut out = vec![id(&d)];
        out.extend(slots.iter().map(|s| id(s)));
        Ok(out)
    }

    fn lower_string(&mut self, v: Box<Expr>) -> Result<(Box<Expr>, Box<Expr>)> {
        let m = self.mem()?;
        let realloc = self.realloc()?;
        let f = match m.encoding {
            StringEncoding::Utf8 => "lowerUtf8",
            StringEncoding::Utf16 => "lowerUtf16",
            StringEncoding::CompactUtf16 => "lowerCompactUtf16",
        };
        let p = self.tmp("p");
        let l = self.tmp("l");
        let f = self.rt(f);
        self.stmts
            .push(const_(&p, call(f, vec![id(&m.memory), id(&realloc), v])));
        let lowered = self.rt("lowered");
        self.stmts.push(const_(&l, member(lowered, "len")));
        Ok((id(&p), id(&l)))
    }

    /// Calls realloc for a fresh block and checks the result, returning the pointer.
    pub fn alloc(&mut self, size: Box<Expr>, align: u32) -> Result<Box<Expr>> {
        let m = self.mem()?;
        let realloc = self.realloc()?;
        let p = self.tmp("p");
        let size = self.bind(size);
        self.stmts.push(const_(
            &p,
            bin(
                call_id(
                    &realloc,
                    vec![num(0.0), num(0.0), num(f64::from(align)), size.clone()],
                ),
                BinaryOp::ZeroFillRShift,
                num(0.0),
            ),
        ));
        self.check_ptr(&id(&p), align, size, &m.memory, "realloc return value");
        Ok(id(&p))
    }

    /// Binds `raw >>> 0` and checks that a value of type `t` fits at it (aligned, in
    /// bounds of this function's memory); returns the bound pointer. `what` names the
    /// pointer in trap messages.
    pub fn checked_ptr(&mut self, raw: Box<Expr>, t: ValType, what: &str) -> Result<Box<Expr>> {
        let p = self.bind(bin(raw, BinaryOp::ZeroFillRShift, num(0.0)));
        let layout = self.types().layout(t);
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
        // `p` is unsigned (bound as `x >>> 0` by every caller).
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

    fn lower_list(&mut self, t: ValType, v: Box<Expr>) -> Result<(Box<Expr>, Box<Expr>)> {
        let el = self.types().layout(t);
        let n = self.tmp("n");
        self.stmts.push(const_(&n, member(v.clone(), "length")));
        let bytes = bin(id(&n), BinaryOp::Mul, num(f64::from(el.size)));
        let bytes = self.bind(bytes);
        let max = f64::from(weft_core::abi::MAX_BYTE_LENGTH);
        let te = Self::type_error("list is too long for the canonical ABI");
        self.stmts.push(if_(
            bin(bytes.clone(), BinaryOp::Gt, num(max)),
            vec![te],
            None,
        ));
        let p = self.alloc(bytes.clone(), el.align)?;
        // The element-by-element store loop.
        // Storing calls `realloc` (which may grow the memory) only for strings and lists.
        let hoist = !self.types().needs_realloc(t);
        let (slow, ()) = self.scoped(|g| {
            g.for_each_element(&p, el.size, &n, hoist, |g, i, addr| {
                g.store(t, index(v.clone(), id(i)), addr, 0)
            })
        })?;
        if let Some(ta) = typed_array(t) {
            // Fast path: one bulk copy from a matching typed array.
            let m = self.mem()?;
            let is_ta = bin(v.clone(), BinaryOp::InstanceOf, id(ta));
            let dst = new_(
                id(ta),
                vec![member(id(&m.memory), "buffer"), p.clone(), id(&n)],
            );
            let fast = expr_stmt(method(dst, "set", vec![v.clone()]));
            self.stmts.push(if_(is_ta, vec![fast], Some(slow)));
        } else {
            self.stmts.extend(slow);
        }
        Ok((p, id(&n)))
    }

    fn lower_map(
        &mut self,
        k: ValType,
        val: ValType,
        v: Box<Expr>,
    ) -> Result<(Box<Expr>, Box<Expr>)> {
        // A map is a list of (key, value) tuples.
        let entries = self.tmp("e");
        let is_map = bin(v.clone(), BinaryOp::InstanceOf, id("Map"));
        let from = cond(
            is_map,
            call(member(id("Array"), "from"), vec![v.clone()]),
            call(member(id("Object"), "entries"), vec![v]),
        );
        self.stmts.push(const_(&entries, from));
        let tuple = self
            .emit
            .plan
            .types
            .intern_lookup(&TypeDef::Tuple(vec![k, val]));
        let Some(tuple) = tuple else {
            bail!("internal error: map entry tuple type was not interned")
        };
        self.lower_list(tuple, id(&entries))
    }

    // ---------------------------------------------------------------- store (JS → memory)

    /// Stores JS value `v` of type `ty` at `addr + offset`.
    pub fn store(&mut self, ty: ValType, v: Box<Expr>, addr: Box<Expr>, offset: u32) -> Result<()> {
        let v = self.bind(v);
        let at = at(&addr, offset);
        let set = |g: &mut Self, m: &str, val: Box<Expr>| -> Result<()> {
            let view = g.view()?;
            let mut a = vec![at.clone(), val];
            if !matches!(m, "setUint8" | "setInt8") {
                a.push(bool_(true));
            }
            g.stmts.push(expr_stmt(method(view, m, a)));
            Ok(())
        };
        match ty {
            ValType::Bool => set(self, "setUint8", cond(v, num(1.0), num(0.0)))?,
            ValType::S8 | ValType::U8 => set(self, "setUint8", v)?,
            ValType::S16 | ValType::U16 => set(self, "setUint16", v)?,
            ValType::S32 | ValType::U32 => set(self, "setUint32", v)?,
            ValType::S64 | ValType::U64 => set(
                self,
                "setBigUint64",
                call(member(id("BigInt"), "asUintN"), vec![num(64.0), v]),
            )?,
            ValType::F32 => set(self, "setFloat32", v)?,
            ValType::F64 => set(self, "setFloat64", v)?,
            ValType::Char => {
                let c = call(self.rt("lowerChar"), vec![v]);
                set(self, "setUint32", c)?;
            }
            ValType::String => {
                let (p, l) = self.lower_string(v)?;
                set(self, "setUint32", p)?;
                let at2 = self::at(&addr, offset + 4);
                let view = self.view()?;
                self.stmts.push(expr_stmt(method(
                    view,
                    "setUint32",
                    vec![at2, l, bool_(true)],
                )));
            }
            ValType::ErrorContext => {
                let h = self.lower_flat(ty, v)?;
                set(self, "setUint32", h[0].clone())?;
            }
            ValType::Defined(tid) => {
                let def = self.types().def(tid).clone();
                match def {
                    TypeDef::List(_) | TypeDef::Map(..) => {
                        let flat = self.lower_flat(ty, v)?;
                        set(self, "setUint32", flat[0].clone())?;
                        let at2 = self::at(&addr, offset + 4);
                        let view = self.view()?;
                        self.stmts.push(expr_stmt(method(
                            view,
                            "setUint32",
                            vec![at2, flat[1].clone(), bool_(true)],
                        )));
                    }
                    TypeDef::FixedList(t, n) => {
                        self.check_fixed(&v, n);
                        let size = self.types().layout(t).size;
                        for i in 0..n {
                            self.store(
                                t,
                                index(v.clone(), num(f64::from(i))),
                                addr.clone(),
                                offset + i * size,
                            )?;
                        }
                    }
                    TypeDef::Record(fields) => {
                        let offs = self.types().field_offsets(fields.iter().map(|f| f.1));
                        for ((name, t), o) in fields.into_iter().zip(offs) {
                            self.store(
                                t,
                                member(v.clone(), &prop(&name)),
                                addr.clone(),
                                offset + o,
                            )?;
                        }
                    }
                    TypeDef::Tuple(ts) => {
                        let offs = self.types().field_offsets(ts.iter().copied());
                        for (i, (t, o)) in ts.into_iter().zip(offs).enumerate() {
                            self.store(
                                t,
                                index(v.clone(), num(i as f64)),
                                addr.clone(),
                                offset + o,
                            )?;
                        }
                    }
                    TypeDef::Flags(names) => {
                        let bits = self.lower_flags(&names, v);
                        let m = match flags_width(names.len()) {
                            Width::U8 => "setUint8",
                            Width::U16 => "setUint16",
                            Width::U32 => "setUint32",
                        };
                        set(self, m, bits)?;
                    }
                    TypeDef::Own(_)
                    | TypeDef::Borrow(_)
                    | TypeDef::Future(_)
                    | TypeDef::Stream(_) => {
                        let h = self.lower_flat(ty, v)?;
                        set(self, "setUint32", h[0].clone())?;
                    }
                    def => {
                        let d = self.tmp("d");
                        self.stmts.push(let_(&d, Some(num(0.0))));
                        let payloads = self.match_case(&def, &v, &d)?;
                        let cases = variant_cases(&def).expect("variant-like");
                        let width = discriminant(cases.len());
                        let m = match width {
                            Width::U8 => "setUint8",
                            Width::U16 => "setUint16",
                            Width::U32 => "setUint32",
                        };
                        set(self, m, id(&d))?;
                        let poff = self.types().payload_offset(&def);
                        let mut arms = Vec::new();
                        for (i, (case, payload)) in cases.iter().zip(payloads).enumerate() {
                            let Some(t) = case else { continue };
                            let payload = payload.expect("payload");
                            let (mut body, ()) =
                                self.scoped(|g| g.store(*t, payload, addr.clone(), offset + poff))?;
                            body.push(break_());
                            arms.push((Some(num(i as f64)), body));
                        }
                        if !arms.is_empty() {
                            self.stmts.push(switch(id(&d), arms));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- lift (flat → JS)

    /// Lifts flat values (consumed from `vals`, with their core types) into a JS value.
    pub fn lift_flat(&mut self, ty: ValType, vals: &mut FlatIter) -> Result<Box<Expr>> {
        Ok(match ty {
            ValType::Bool => bin(vals.next(self, Flat::I32), BinaryOp::NotEqEq, num(0.0)),
            ValType::U8 => bin(vals.next(self, Flat::I32), BinaryOp::BitAnd, num(255.0)),
            ValType::S8 => bin(
                bin(vals.next(self, Flat::I32), BinaryOp::LShift, num(24.0)),
                BinaryOp::RShift,
                num(24.0),
            ),
            ValType::U16 => bin(vals.next(self, Flat::I32), BinaryOp::BitAnd, num(65535.0)),
            ValType::S16 => bin(
                bin(vals.next(self, Flat::I32), BinaryOp::LShift, num(16.0)),
                BinaryOp::RShift,
                num(16.0),
            ),
            ValType::S32 => vals.next(self, Flat::I32),
            ValType::U32 => bin(
                vals.next(self, Flat::I32),
                BinaryOp::ZeroFillRShift,
                num(0.0),
            ),
            ValType::S64 => vals.next(self, Flat::I64),
            ValType::U64 => call(
                member(id("BigInt"), "asUintN"),
                vec![num(64.0), vals.next(self, Flat::I64)],
            ),
            ValType::F32 => vals.next(self, Flat::F32),
            ValType::F64 => vals.next(self, Flat::F64),
            ValType::Char => {
                let c = vals.next(self, Flat::I32);
                call(self.rt("liftChar"), vec![c])
            }
            ValType::String => {
                let p = vals.next(self, Flat::I32);
                let l = vals.next(self, Flat::I32);
                self.lift_string(p, l)?
            }
            ValType::ErrorContext => {
                let h = vals.next(self, Flat::I32);
                let ai = self.async_inst();
                call(self.rt("liftErrorContext"), vec![ai, h])
            }
            ValType::Defined(tid) => {
                let def = self.types().def(tid).clone();
                match def {
                    TypeDef::List(t) => {
                        let p = vals.next(self, Flat::I32);
                        let l = vals.next(self, Flat::I32);
                        self.lift_list(t, p, l)?
                    }
                    TypeDef::Map(k, v) => {
                        let p = vals.next(self, Flat::I32);
                        let l = vals.next(self, Flat::I32);
                        self.lift_map(k, v, p, l)?
                    }
                    TypeDef::FixedList(t, n) => {
                        let mut elems = Vec::new();
                        for _ in 0..n {
                            let e = self.lift_flat(t, vals)?;
                            elems.push(self.bind(e));
                        }
                        self.fixed_list_value(t, elems)
                    }
                    TypeDef::Record(fields) => {
                        let mut props = Vec::new();
                        for (name, t) in fields {
                            let e = self.lift_flat(t, vals)?;
                            props.push((prop(&name), self.bind(e)));
                        }
                        object(props)
                    }
                    TypeDef::Tuple(ts) => {
                        let mut elems = Vec::new();
                        for t in ts {
                            let e = self.lift_flat(t, vals)?;
                            elems.push(self.bind(e));
                        }
                        array(elems)
                    }
                    TypeDef::Flags(names) => {
                        let bits = vals.next(self, Flat::I32);
                        let bits = self.bind(bits);
                        self.lift_flags(&names, bits)
                    }
                    TypeDef::Own(r) => {
                        let h = vals.next(self, Flat::I32);
                        self.lift_own(r, h)?
                    }
                    TypeDef::Borrow(r) => {
                        let h = vals.next(self, Flat::I32);
                        self.lift_borrow(r, h)?
                    }
                    TypeDef::Future(_) | TypeDef::Stream(_) => {
                        let h = vals.next(self, Flat::I32);
                        self.lift_end(tid, h)
                    }
                    def => {
                        let d = vals.next(self, Flat::I32);
                        let d = self.bind(d);
                        let joined = self.types().variant_payload_flat(&def);
                        let slots: Vec<(Box<Expr>, Flat)> =
                            joined.iter().map(|f| (vals.next(self, *f), *f)).collect();
                        let slots: Vec<(Box<Expr>, Flat)> =
                            slots.into_iter().map(|(e, f)| (self.bind(e), f)).collect();
                        self.lift_variant(&def, d, |g, t| {
                            let have = g.types().flatten(t);
                            let mut coerced = Vec::new();
                            for ((e, want), h) in slots.iter().zip(have.iter()) {
                                coerced.push((coerce_lift(g, e.clone(), *want, *h), *h));
                            }
                            let mut it = FlatIter::new(coerced);
                            g.lift_flat(t, &mut it)
                        })?
                    }
                }
            }
        })
    }

    fn lift_flags(&mut self, names: &[String], bits: Box<Expr>) -> Box<Expr> {
        let props = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let bit = if i == 31 {
                    -2147483648.0
                } else {
                    f64::from(1u32 << i)
                };
                (
                    prop(n),
                    bin(
                        bin(bits.clone(), BinaryOp::BitAnd, num(bit)),
                        BinaryOp::NotEqEq,
                        num(0.0),
                    ),
                )
            })
            .collect();
        object(props)
    }

    /// Builds the JS value of a variant-like type from discriminant `d`; `payload`
    /// produces the JS value of a case's payload (in the case's own statements).
    fn lift_variant(
        &mut self,
        def: &TypeDef,
        d: Box<Expr>,
        mut payload: impl FnMut(&mut Self, ValType) -> Result<Box<Expr>>,
    ) -> Result<Box<Expr>> {
        let cases = variant_cases(def).expect("variant-like");
        let r = self.tmp("r");
        self.stmts.push(let_(&r, None));
        let key = self.tag_key();
        let mut arms = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            let (mut body, value) = self.scoped(|g| match case {
                Some(t) => Ok(Some(payload(g, *t)?)),
                None => Ok(None),
            })?;
            let result = match def {
                TypeDef::Enum(names) => str_(&names[i]),
                TypeDef::Option(t) if self.option_is_nullable(*t) => match value {
                    Some(v) => v,
                    None => match self.emit.compat {
                        Compat::Native => null(),
                        Compat::Jco => undefined(),
                    },
                },
                _ => {
                    let tag = match def {
                        TypeDef::Variant(cs) => cs[i].0.clone(),
                        TypeDef::Option(_) => ["none", "some"][i].to_string(),
                        TypeDef::Result { .. } => ["ok", "err"][i].to_string(),
                        _ => unreachable!("variant-like"),
                    };
                    let mut props = vec![("tag".to_string(), str_(&tag))];
                    if let Some(v) = value {
                        props.push((key.to_string(), v));
                    } else if self.emit.compat == Compat::Jco
                        && matches!(def, TypeDef::Result { .. })
                    {
                        // jco 1.35 writes `val: undefined` for payload-less result
                        // cases but omits it for variants.
                        props.push((key.to_string(), undefined()));
                    }
                    object(props)
                }
            };
            body.push(assign(&r, result));
            body.push(break_());
            arms.push((Some(num(i as f64)), body));
        }
        let t = self.trap(bin(
            str_("invalid discriminant: "),
            BinaryOp::Add,
            d.clone(),
        ));
        arms.push((None, vec![t]));
        self.stmts.push(switch(d, arms));
        Ok(id(&r))
    }

    fn lift_string(&mut self, p: Box<Expr>, l: Box<Expr>) -> Result<Box<Expr>> {
        let m = self.mem()?;
        let f = match m.encoding {
            StringEncoding::Utf8 => "liftUtf8",
            StringEncoding::Utf16 => "liftUtf16",
            StringEncoding::CompactUtf16 => "liftCompactUtf16",
        };
        let f = self.rt(f);
        let s = self.tmp("s");
        self.stmts
            .push(const_(&s, call(f, vec![id(&m.memory), p, l])));
        Ok(id(&s))
    }

    fn lift_list(&mut self, t: ValType, p: Box<Expr>, l: Box<Expr>) -> Result<Box<Expr>> {
        let m = self.mem()?;
        let el = self.types().layout(t);
        let p = self.bind(bin(p, BinaryOp::ZeroFillRShift, num(0.0)));
        let n = self.tmp("n");
        self.stmts
            .push(const_(&n, bin(l, BinaryOp::ZeroFillRShift, num(0.0))));
        let bytes = bin(id(&n), BinaryOp::Mul, num(f64::from(el.size)));
        let bytes = self.bind(bytes);
        self.check_ptr(&p, el.align, bytes.clone(), &m.memory, "list pointer");
        if let Some(ta) = typed_array(t) {
            let src = new_(id(ta), vec![member(id(&m.memory), "buffer"), p, id(&n)]);
            return Ok(method(src, "slice", vec![]));
        }
        let out = self.tmp("a");
        self.stmts
            .push(const_(&out, new_(id("Array"), vec![id(&n)])));
        // Lifting reads memory and calls no wasm: one view serves the whole loop.
        self.for_each_element(&p, el.size, &n, true, |g, i, addr| {
            let v = g.load(t, addr, 0)?;
            g.stmts.push(expr_stmt(assign_index(&out, id(i), v)));
            Ok(())
        })?;
        Ok(id(&out))
    }

    fn lift_map(
        &mut self,
        k: ValType,
        v: ValType,
        p: Box<Expr>,
        l: Box<Expr>,
    ) -> Result<Box<Expr>> {
        let Some(tuple) = self
            .emit
            .plan
            .types
            .intern_lookup(&TypeDef::Tuple(vec![k, v]))
        else {
            bail!("internal error: map entry tuple type was not interned")
        };
        let entries = self.lift_list(tuple, p, l)?;
        Ok(new_(id("Map"), vec![entries]))
    }

    fn fixed_list_value(&mut self, t: ValType, elems: Vec<Box<Expr>>) -> Box<Expr> {
        match typed_array(t) {
            Some(ta) => call(member(id(ta), "of"), elems),
            None => array(elems),
        }
    }

    // ---------------------------------------------------------------- load (memory → JS)

    /// Loads a JS value of type `ty` from `addr + offset`.
    pub fn load(&mut self, ty: ValType, addr: Box<Expr>, offset: u32) -> Result<Box<Expr>> {
        let at = at(&addr, offset);
        let get = |g: &mut Self, m: &str| -> Result<Box<Expr>> {
            let view = g.view()?;
            let mut a = vec![at.clone()];
            if !matches!(m, "getUint8" | "getInt8") {
                a.push(bool_(true));
            }
            Ok(method(view, m, a))
        };
        Ok(match ty {
            ValType::Bool => bin(get(self, "getUint8")?, BinaryOp::NotEqEq, num(0.0)),
            ValType::U8 => get(self, "getUint8")?,
            ValType::S8 => get(self, "getInt8")?,
            ValType::U16 => get(self, "getUint16")?,
            ValType::S16 => get(self, "getInt16")?,
            ValType::U32 => get(self, "getUint32")?,
            ValType::S32 => get(self, "getInt32")?,
            ValType::U64 => get(self, "getBigUint64")?,
            ValType::S64 => get(self, "getBigInt64")?,
            ValType::F32 => get(self, "getFloat32")?,
            ValType::F64 => get(self, "getFloat64")?,
            ValType::Char => {
                let c = get(self, "getUint32")?;
                call(self.rt("liftChar"), vec![c])
            }
            ValType::String => {
                let p = get(self, "getUint32")?;
                let p = self.bind(p);
                let view = self.view()?;
                let l = method(
                    view,
                    "getUint32",
                    vec![self::at(&addr, offset + 4), bool_(true)],
                );
                self.lift_string(p, l)?
            }
            ValType::ErrorContext => {
                let h = get(self, "getUint32")?;
                let h = self.bind(h);
                let mut it = FlatIter::new(vec![(h, Flat::I32)]);
                self.lift_flat(ty, &mut it)?
            }
            ValType::Defined(tid) => {
                let def = self.types().def(tid).clone();
                match def {
                    TypeDef::List(_) | TypeDef::Map(..) => {
                        let p = get(self, "getUint32")?;
                        let p = self.bind(p);
                        let view = self.view()?;
                        let l = method(
                            view,
                            "getUint32",
                            vec![self::at(&addr, offset + 4), bool_(true)],
                        );
                        let l = self.bind(l);
                        let mut it = FlatIter::new(vec![(p, Flat::I32), (l, Flat::I32)]);
                        self.lift_flat(ty, &mut it)?
                    }
                    TypeDef::FixedList(t, n) => {
                        let size = self.types().layout(t).size;
                        let mut elems = Vec::new();
                        for i in 0..n {
                            let e = self.load(t, addr.clone(), offset + i * size)?;
                            elems.push(self.bind(e));
                        }
                        self.fixed_list_value(t, elems)
                    }
                    TypeDef::Record(fields) => {
                        let offs = self.types().field_offsets(fields.iter().map(|f| f.1));
                        let mut props = Vec::new();
                        for ((name, t), o) in fields.into_iter().zip(offs) {
                            let e = self.load(t, addr.clone(), offset + o)?;
                            props.push((prop(&name), self.bind(e)));
                        }
                        object(props)
                    }
                    TypeDef::Tuple(ts) => {
                        let offs = self.types().field_offsets(ts.iter().copied());
                        let mut elems = Vec::new();
                        for (t, o) in ts.into_iter().zip(offs) {
                            let e = self.load(t, addr.clone(), offset + o)?;
                            elems.push(self.bind(e));
                        }
                        array(elems)
                    }
                    TypeDef::Flags(names) => {
                        let m = match flags_width(names.len()) {
                            Width::U8 => "getUint8",
                            Width::U16 => "getUint16",
                            Width::U32 => "getUint32",
                        };
                        let bits = get(self, m)?;
                        let bits = self.bind(bits);
                        self.lift_flags(&names, bits)
                    }
                    TypeDef::Own(_)
                    | TypeDef::Borrow(_)
                    | TypeDef::Future(_)
                    | TypeDef::Stream(_) => {
                        let h = get(self, "getUint32")?;
                        let h = self.bind(h);
                        let mut it = FlatIter::new(vec![(h, Flat::I32)]);
                        self.lift_flat(ty, &mut it)?
                    }
                    def => {
                        let cases = variant_cases(&def).expect("variant-like");
                        let m = match discriminant(cases.len()) {
                            Width::U8 => "getUint8",
                            Width::U16 => "getUint16",
                            Width::U32 => "getUint32",
                        };
                        let d = get(self, m)?;
                        let d = self.bind(d);
                        let poff = self.types().payload_offset(&def);
                        self.lift_variant(&def, d, |g, t| g.load(t, addr.clone(), offset + poff))?
                    }
                }
            }
        })
    }

    // ---------------------------------------------------------------- handles

    fn table(&mut self, instance: u32) -> Box<Expr> {
        id(&self.emit.handle_table(instance))
    }

    fn lower_own(&mut self, r: ResourceIdx, v: Box<Expr>) -> Result<Box<Expr>> {
        let rt = id(&self.emit.resource_type(r));
        let rep = self.emit.take_rep(r, v);
        let rep = self.bind(rep);
        let table = self.table(self.instance);
        Ok(call(self.rt("lowerOwn"), vec![table, rep, rt]))
    }

    fn lower_borrow(&mut self, r: ResourceIdx, v: Box<Expr>) -> Result<Box<Expr>> {
        if self.emit.implements(r, self.instance) {
            // The callee's own resource: the rep itself, no handle (`lowerBorrow`'s
            // first case, decided here).
            return Ok(self.emit.borrow_rep(r, v));
        }
        if self.handle_cx == HandleCx::None {
            bail!("internal error: borrow lowered outside a call");
        }
        let rt = id(&self.emit.resource_type(r));
        let rep = self.emit.borrow_rep(r, v);
        let table = self.table(self.instance);
        let instance = num(f64::from(self.instance));
        Ok(call(
            self.rt("lowerBorrow"),
            vec![table, rep, rt, id("cx"), instance],
        ))
    }

    fn lift_own(&mut self, r: ResourceIdx, h: Box<Expr>) -> Result<Box<Expr>> {
        let rt = id(&self.emit.resource_type(r));
        let table = self.table(self.instance);
        let rep = call(self.rt("liftOwn"), vec![table, h, rt]);
        let rep = self.bind(rep);
        Ok(self.emit.wrap_own(r, rep))
    }

    fn lift_borrow(&mut self, r: ResourceIdx, h: Box<Expr>) -> Result<Box<Expr>> {
        let rt = id(&self.emit.resource_type(r));
        let table = self.table(self.instance);
        let rep = call(self.rt("liftBorrow"), vec![table, h, rt, id("cx")]);
        let rep = self.bind(rep);
        Ok(self.emit.wrap_borrow(r, rep))
    }
}

/// `a[i] = v` as an expression.
fn assign_index(arr: &str, i: Box<Expr>, v: Box<Expr>) -> Box<Expr> {
    use swc_ecma_ast::{AssignExpr, AssignOp, SimpleAssignTarget};
    let Expr::Member(m) = *index(id(arr), i) else {
        unreachable!("index() builds a member expression")
    };
    Box::new(Expr::Assign(AssignExpr {
        span: swc_common::DUMMY_SP,
        op: AssignOp::Assign,
        left: SimpleAssignTarget::Member(m).into(),
        right: v,
    }))
}

fn at(addr: &Box<Expr>, offset: u32) -> Box<Expr> {
    if offset == 0 {
        addr.clone()
    } else {
        bin(addr.clone(), BinaryOp::Add, num(f64::from(offset)))
    }
}

fn zero(f: Flat) -> Box<Expr> {
    match f {
        Flat::I64 => bigint(0),
        _ => num(0.0),
    }
}

/// The typed array class holding a list of `t`, if `t` is a number type.
pub fn typed_array(t: ValType) -> Option<&'static str> {
    Some(match t {
        ValType::U8 => "Uint8Array",
        ValType::S8 => "Int8Array",
        ValType::U16 => "Uint16Array",
        ValType::S16 => "Int16Array",
        ValType::U32 => "Uint32Array",
        ValType::S32 => "Int32Array",
        ValType::U64 => "BigUint64Array",
        ValType::S64 => "BigInt64Array",
        ValType::F32 => "Float32Array",
        ValType::F64 => "Float64Array",
        _ => return None,
    })
}

/// Converts a case's flat value into its joined slot type (`lower_flat_variant`).
fn coerce_lower(g: &mut FnGen<'_, '_>, v: Box<Expr>, have: Flat, want: Flat) -> Box<Expr> {
    match (have, want) {
        (Flat::F32, Flat::I32) => call(g.rt("f32ToI32"), vec![v]),
        (Flat::I32, Flat::I64) => {
            call_id("BigInt", vec![bin(v, BinaryOp::ZeroFillRShift, num(0.0))])
        }
        (Flat::F32, Flat::I64) => {
            let bits = call(g.rt("f32ToI32"), vec![v]);
            call_id(
                "BigInt",
                vec![bin(bits, BinaryOp::ZeroFillRShift, num(0.0))],
            )
        }
        (Flat::F64, Flat::I64) => call(g.rt("f64ToI64"), vec![v]),
        _ => v,
    }
}

/// Converts a joined slot back into a case's flat type (`lift_flat_variant`).
fn coerce_lift(g: &mut FnGen<'_, '_>, v: Box<Expr>, have: Flat, want: Flat) -> Box<Expr> {
    let wrap = |v| {
        call(
            id("Number"),
            vec![call(member(id("BigInt"), "asIntN"), vec![num(32.0), v])],
        )
    };
    match (have, want) {
        (Flat::I32, Flat::F32) => call(g.rt("i32ToF32"), vec![v]),
        (Flat::I64, Flat::I32) => wrap(v),
        (Flat::I64, Flat::F32) => call(g.rt("i32ToF32"), vec![wrap(v)]),
        (Flat::I64, Flat::F64) => call(g.rt("i64ToF64"), vec![v]),
        _ => v,
    }
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

    /// The next flat value; a missing one is an internal error surfaced as `undefined`.
    fn next(&mut self, _g: &mut FnGen<'_, '_>, _want: Flat) -> Box<Expr> {
        match self.vals.next() {
            Some((e, _)) => e,
            None => undefined(),
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
