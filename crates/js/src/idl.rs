//! The platform's interface and namespace objects as variables read once at
//! instantiation (`idl_<Name>`), and the checks, also run there, that each member a
//! `webidl:` import binds exists (`WebIdlMissing`, or with `--webidl-missing trap` a
//! guard per call). Only the emitter is needed, so both the Canonical ABI (a union's
//! `instanceof` test) and the calls themselves (`webidl.rs`) use it.

use swc_ecma_ast::Expr;
use weft_core::plan::Resource;
use weft_core::types::ResourceIdx;
use weft_webidl::names::Case;

use crate::ast::*;
use crate::emit::Emit;
use crate::options::WebIdlMissing;

/// `--webidl-missing trap`.
pub fn trap_mode(emit: &Emit<'_>) -> bool {
    emit.facts.opts.webidl_missing == WebIdlMissing::Trap
}

/// The variable holding the platform's interface (or namespace) object `name`, read at
/// instantiation.
pub fn interface_var(emit: &mut Emit<'_>, name: &str, user: &str) -> Box<Expr> {
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
pub fn check_member(
    emit: &mut Emit<'_>,
    owner: Box<Expr>,
    member_name: &str,
    what: &str,
    user: &str,
) {
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
pub fn guard(
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

/// Checks at instantiation that `Interface.prototype` has `name`; returns what the
/// check names (`Interface.prototype.name`). A member each instance holds itself
/// (`[LegacyUnforgeable]`: `Event.isTrusted`) is not on the prototype, so only its
/// interface is checked.
pub fn prototype_check(emit: &mut Emit<'_>, interface: &str, name: &str, user: &str) -> String {
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
