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
use weft_core::plan::HostRef;
use weft_core::types::{TypeDef, ValType};
use weft_webidl::platform::Member;

use crate::abi::FnGen;
use crate::ast::*;
use crate::emit::Emit;
use crate::idl::{check_member, guard, interface_var, prototype_check};

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
