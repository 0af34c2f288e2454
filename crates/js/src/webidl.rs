//! `webidl:` imports bound to the platform, as a browser with native Component Model
//! support would: the import is not an ES import; each function is a direct use of the
//! platform member its name names (`self.appendChild(node)`, `self.innerHTML`,
//! `self.innerHTML = v`, `new idl_URL(s)`, `idl_console.log(...data)`), which
//! `weft_webidl::platform` finds in the IDL the transpiler was given
//! (`Options::webidl`). Interface and namespace objects are read once, at
//! instantiation, into `idl_<Name>` variables, and each member used is checked there, so
//! what the engine lacks fails then, naming it (`WebIdlMissing`), not deep in a call.
//! With `--webidl-missing trap` ([`WebIdlMissing::Trap`]) the checks record what is
//! missing instead (`idlInterfaceOrAbsent`, `const idlok = idlHas(...)`; see
//! `src/runtime/webidl.js` for where) and each call is `idlok ? call :
//! idlMissingTrap(member, import)`, a trap naming the member; the default mode's code is
//! not changed by the option.
//! Values cross with the `webidl` binding (`binding.rs`): resources hold the platform
//! objects themselves.

use anyhow::{Context, Result, anyhow};
use swc_common::DUMMY_SP;
use swc_ecma_ast::{AssignExpr, AssignOp, AssignTarget, Expr, SimpleAssignTarget};
use weft_core::plan::{HostRef, Resource};
use weft_core::types::{ResourceIdx, TypeDef, ValType};
use weft_webidl::names::Case;
use weft_webidl::platform::Member;

use crate::abi::FnGen;
use crate::ast::*;
use crate::emit::Emit;
use crate::options::WebIdlMissing;

/// `--webidl-missing trap`.
fn trap_mode(emit: &Emit<'_>) -> bool {
    emit.facts.opts.webidl_missing == WebIdlMissing::Trap
}

/// The platform member the imported function `h` names.
fn resolve(emit: &Emit<'_>, h: &HostRef) -> Result<Member> {
    let plan = emit.plan();
    let import = &plan.imports[h.import.0 as usize].name;
    let platform = emit.facts.opts.webidl.as_deref().ok_or_else(|| {
        anyhow!(
            "the component imports `{import}`, which is bound to the platform's WebIDL interfaces: weft needs the WebIDL it was made from (`weft transpile --webidl FILES`, or `@webref/idl` in node_modules)"
        )
    })?;
    let iface = interface_name(import);
    let func = emit.facts.host_item_name(h);
    if h.path.is_empty() {
        anyhow::bail!("`{import}`: a `webidl:` import must be an interface, not a function");
    }
    platform
        .resolve(iface, &func)
        .map_err(|e| anyhow!("`{import}#{func}`: {e}"))
}

/// `webidl:web/web@1.0.0` → `web`.
fn interface_name(import: &str) -> &str {
    let rest = import.split_once('/').map_or(import, |(_, r)| r);
    rest.split('@').next().unwrap_or(rest)
}

/// The variable holding the platform's interface (or namespace) object `name`, read at
/// instantiation.
fn interface_var(emit: &mut Emit<'_>, name: &str, user: &str) -> Box<Expr> {
    if let Some(v) = emit.idl_vars.get(name) {
        return id(v);
    }
    let var = emit.namer.fresh(&format!("idl_{name}"));
    let read_with = if trap_mode(emit) {
        "idlInterfaceOrAbsent"
    } else {
        "idlInterface"
    };
    let read = call(emit.rt(read_with), vec![str_(name), str_(user)]);
    emit.decls.push(const_(&var, read));
    emit.idl_vars.insert(name.to_string(), var.clone());
    id(&var)
}

/// Checks at instantiation, once, that `owner.member` exists (`what` names it). In
/// `trap` mode the result is kept, in a variable [`guard`] reads.
fn check_member(emit: &mut Emit<'_>, owner: Box<Expr>, member_name: &str, what: &str, user: &str) {
    if !emit.idl_checks.insert(what.to_string()) {
        return;
    }
    let args = vec![owner, str_(member_name), str_(what), str_(user)];
    if trap_mode(emit) {
        let var = emit.namer.fresh("idlok");
        let check = call(emit.rt("idlHas"), args);
        emit.decls.push(const_(&var, check));
        // Keyed so as not to meet an interface name (`idl_vars`' other keys).
        emit.idl_vars.insert(format!("{what}?"), var);
    } else {
        let check = call(emit.rt("idlMember"), args);
        emit.decls.push(expr_stmt(check));
    }
}

/// In `trap` mode, the call `e` of a function bound to `what` (a member checked by
/// [`check_member`], or, with `class`, the interface object itself; a member that is not
/// checked, by its interface) guarded: `ok ? e : idlMissingTrap(what, user)`. The
/// default mode's `e` is unchanged.
fn guard(
    emit: &mut Emit<'_>,
    e: Box<Expr>,
    what: &str,
    class: Option<Box<Expr>>,
    user: &str,
) -> Box<Expr> {
    if !trap_mode(emit) {
        return e;
    }
    let ok = match class {
        Some(class) => bin(class, swc_ecma_ast::BinaryOp::NotEqEq, emit.rt("idlAbsent")),
        None => match emit.idl_vars.get(&format!("{what}?")) {
            Some(var) => id(var),
            // A member not checked (one each instance holds): its interface, the text
            // before the first `.` of `what`.
            None => match what.split('.').next().and_then(|i| emit.idl_vars.get(i)) {
                Some(var) => bin(
                    id(var),
                    swc_ecma_ast::BinaryOp::NotEqEq,
                    emit.rt("idlAbsent"),
                ),
                None => return e,
            },
        },
    };
    let missing = call(emit.rt("idlMissingTrap"), vec![str_(what), str_(user)]);
    cond(ok, e, missing)
}

/// The platform interface object of a resource imported from a `webidl:` interface
/// (for `instanceof`), if `r` is one.
pub fn resource_class(emit: &mut Emit<'_>, r: ResourceIdx) -> Option<Box<Expr>> {
    let Resource::Host { host } = &emit.plan().resources[r.0 as usize] else {
        return None;
    };
    if !emit.is_webidl_import(host.import.0) {
        return None;
    }
    let label = emit.facts.host_item_name(host);
    let platform = emit.facts.opts.webidl.as_deref()?;
    let name = platform.interface(&label, Case::Type).ok()?.name.clone();
    let user = emit.facts.host_label(host);
    Some(interface_var(emit, &name, &user))
}

/// The call of the imported function `h` on the platform, on the lifted `values`
/// (`self` first for a method); `result` is the function's result type.
pub fn host_call(
    g: &mut FnGen<'_, '_>,
    h: &HostRef,
    mut values: Vec<Box<Expr>>,
    func: &weft_core::types::FuncType,
) -> Result<Box<Expr>> {
    let (result, is_async) = (func.result, func.is_async);
    let resolved = resolve(g.emit, h)?;
    // webidl2wit gives an overloaded operation one parameter, `params`, a variant of the
    // overloads' argument tuples: its payload is the arguments (`idlParams`).
    let overloaded = func.params.last().is_some_and(|(n, _)| n == "params")
        && matches!(
            resolved,
            Member::Method { .. } | Member::StaticMethod { .. } | Member::Constructor { .. }
        );
    if overloaded && let Some(last) = values.pop() {
        values.push(call(g.emit.rt("idlParams"), vec![last]));
    }
    let user = g.emit.facts.host_label(h);
    let mut this = || -> Result<Box<Expr>> {
        if values.is_empty() {
            anyhow::bail!("`{user}` has no `self` parameter");
        }
        Ok(values.remove(0))
    };
    let e = match resolved {
        Member::GlobalObject { interface } => {
            let class = interface_var(g.emit, &interface, &user);
            let e = call(
                g.emit.rt("idlGlobal"),
                vec![class.clone(), str_(&interface), str_(&user)],
            );
            guard(g.emit, e, &interface, Some(class), &user)
        }
        Member::Constructor {
            interface,
            variadic,
        } => {
            let class = interface_var(g.emit, &interface, &user);
            let e = spread_last(
                new_(class.clone(), std::mem::take(&mut values)),
                variadic || overloaded,
            );
            guard(g.emit, e, &interface, Some(class), &user)
        }
        Member::Method {
            interface,
            name,
            variadic,
        } => {
            let this = this()?;
            let what = prototype_check(g.emit, &interface, &name, &user);
            let e = spread_last(
                method(this, &name, std::mem::take(&mut values)),
                variadic || overloaded,
            );
            guard(g.emit, e, &what, None, &user)
        }
        Member::Getter { interface, name } => {
            let this = this()?;
            let what = prototype_check(g.emit, &interface, &name, &user);
            guard(g.emit, member(this, &name), &what, None, &user)
        }
        Member::Setter { interface, name } => {
            let this = this()?;
            let what = prototype_check(g.emit, &interface, &name, &user);
            let v = values.pop().context("a setter without a value")?;
            guard(
                g.emit,
                assign_to(*member(this, &name), v),
                &what,
                None,
                &user,
            )
        }
        Member::Events { interface, event } => {
            let this = this()?;
            let what = prototype_check(g.emit, &interface, &format!("on{event}"), &user);
            let e = call(g.emit.rt("idlEvents"), vec![this, str_(&event)]);
            guard(g.emit, e, &what, None, &user)
        }
        Member::StaticMethod {
            interface,
            name,
            variadic,
        } => {
            let class = interface_var(g.emit, &interface, &user);
            let what = format!("{interface}.{name}");
            check_member(g.emit, class.clone(), &name, &what, &user);
            let e = spread_last(
                method(class, &name, std::mem::take(&mut values)),
                variadic || overloaded,
            );
            guard(g.emit, e, &what, None, &user)
        }
        Member::StaticGetter { interface, name } => {
            let class = interface_var(g.emit, &interface, &user);
            let what = format!("{interface}.{name}");
            check_member(g.emit, class.clone(), &name, &what, &user);
            guard(g.emit, member(class, &name), &what, None, &user)
        }
        Member::StaticSetter { interface, name } => {
            let class = interface_var(g.emit, &interface, &user);
            let what = format!("{interface}.{name}");
            check_member(g.emit, class.clone(), &name, &what, &user);
            let v = values.pop().context("a setter without a value")?;
            guard(
                g.emit,
                assign_to(*member(class, &name), v),
                &what,
                None,
                &user,
            )
        }
        Member::Upcast { .. } => this()?,
        Member::Downcast { to } => {
            let this = this()?;
            let class = interface_var(g.emit, &to, &user);
            // (`instanceof` an absent interface is false: no trap needed.)
            cond(
                bin(this.clone(), swc_ecma_ast::BinaryOp::InstanceOf, class),
                this,
                undefined(),
            )
        }
    };
    Ok(bytes_result(g, e, result, is_async))
}

/// Checks at instantiation that `Interface.prototype` has `name`; returns what the
/// check names (`Interface.prototype.name`). A member each instance holds itself
/// (`[LegacyUnforgeable]`: `Event.isTrusted`) is not on the prototype, so only its
/// interface is checked.
fn prototype_check(emit: &mut Emit<'_>, interface: &str, name: &str, user: &str) -> String {
    let class = interface_var(emit, interface, user);
    let what = format!("{interface}.prototype.{name}");
    let on_instances = emit
        .facts
        .opts
        .webidl
        .as_deref()
        .is_some_and(|p| p.on_instances(interface, name));
    if !on_instances {
        check_member(emit, member(class, "prototype"), name, &what, user);
    }
    what
}

/// Bytes the platform returns (`ArrayBuffer`, a view) for a `list<u8>` result (or the
/// `ok` of one) become the `Uint8Array` the lowering takes.
fn bytes_result(
    g: &mut FnGen<'_, '_>,
    e: Box<Expr>,
    result: Option<ValType>,
    is_async: bool,
) -> Box<Expr> {
    let types = &g.emit.plan().types;
    let is_bytes = |t: ValType| matches!(t, ValType::Defined(id) if matches!(types.def(id), TypeDef::List(ValType::U8)));
    let ok = match result {
        Some(ValType::Defined(id)) => match types.def(id) {
            TypeDef::Result { ok, .. } => *ok,
            _ => result,
        },
        _ => result,
    };
    if !ok.is_some_and(is_bytes) {
        return e;
    }
    let f = g.emit.rt("idlBytes");
    if is_async {
        method(e, "then", vec![f])
    } else {
        call(f, vec![e])
    }
}

/// `target = value`, as an expression.
fn assign_to(target: Expr, value: Box<Expr>) -> Box<Expr> {
    let Expr::Member(m) = target else {
        unreachable!("a member expression")
    };
    Box::new(Expr::Assign(AssignExpr {
        span: DUMMY_SP,
        op: AssignOp::Assign,
        left: AssignTarget::Simple(SimpleAssignTarget::Member(m)),
        right: value,
    }))
}

/// Spreads a call's last argument (a variadic operation's `list`).
fn spread_last(mut e: Box<Expr>, variadic: bool) -> Box<Expr> {
    if variadic {
        let args = match &mut *e {
            Expr::Call(c) => Some(&mut c.args),
            Expr::New(n) => n.args.as_mut(),
            _ => None,
        };
        if let Some(last) = args.and_then(|a| a.last_mut()) {
            last.spread = Some(DUMMY_SP);
        }
    }
    e
}
