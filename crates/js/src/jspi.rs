//! The two tiny core modules that make JSPI exact (ARCHITECTURE.md, "How async runs
//! without JSPI"): the *switch* in front of each trampoline that may block a stack, and
//! the *entry* of each async lift of an instance that has such trampolines. Both are
//! written byte by byte here (a few dozen bytes each, no encoder needed) and inlined as
//! base64.

use base64::Engine as _;
use swc_ecma_ast::Stmt;
use weft_core::abi::Flat;

use crate::ast::*;
use crate::emit::Emit;

/// `const trampolineNj = jspiShim(switch, trampolineN, zero)`: the switch of trampoline
/// `name`, whose core signature is `params -> results`.
pub fn switch_decl(emit: &mut Emit<'_>, name: &str, params: &[Flat], results: &[Flat]) -> Stmt {
    let b64 = base64::engine::general_purpose::STANDARD.encode(jspi_shim(params, results));
    let zero = match results.first() {
        Some(Flat::I64) => bigint(0),
        Some(_) => num(0.0),
        None => undefined(),
    };
    const_(
        &format!("{name}j"),
        call(emit.rt("jspiShim"), vec![str_(&b64), id(name), zero]),
    )
}

/// The JSPI switch in front of a built-in that may block a stack: a core wasm module
/// whose `f` calls the built-in (`plain`, a JS function) and then, if the runtime set
/// the `pending` global because the call must wait, calls `susp` (a
/// `WebAssembly.Suspending` import returning the promise the runtime kept) and returns
/// its result instead. Core code imports `f`, so the stack between a
/// `WebAssembly.promising` entry and the suspension is wasm only; a call that does not
/// wait never suspends, and a thread not entered through JSPI never sets `pending`.
fn jspi_shim(params: &[Flat], results: &[Flat]) -> Vec<u8> {
    let n = params.len() as u32;
    // One local for the result, if any.
    let mut code = match results.first() {
        Some(r) => vec![0x01, 0x01, enc::vt(*r)],
        None => vec![0x00],
    };
    enc::get_params(&mut code, n);
    code.extend([0x10, 0x00]);
    if !results.is_empty() {
        code.push(0x21);
        enc::leb(&mut code, n);
    }
    // global.get pending; if; call susp; (local.set r); end
    code.extend([0x23, 0x00, 0x04, 0x40, 0x10, 0x01]);
    if !results.is_empty() {
        code.push(0x21);
        enc::leb(&mut code, n);
    }
    code.push(0x0b);
    if !results.is_empty() {
        code.push(0x20);
        enc::leb(&mut code, n);
    }
    code.push(0x0b);
    // Types: 0 = plain (params) -> (results); 1 = susp () -> (results).
    enc::module(
        &[(params, results), (&[], results)],
        &[("pending", None), ("plain", Some(0)), ("susp", Some(1))],
        &code,
    )
}

/// A core wasm module whose `f` calls its `callee` import and passes the result through
/// its `done` import: the JSPI entry of a lift. `WebAssembly.promising(f)` returns a
/// promise even when the callee never suspends; `done` tells the runtime synchronously
/// that it finished, so a call that did not block keeps its synchronous result.
pub fn jspi_entry(params: &[Flat], results: &[Flat]) -> Vec<u8> {
    let mut code = vec![0x00];
    enc::get_params(&mut code, params.len() as u32);
    code.extend([0x10, 0x00, 0x10, 0x01, 0x0b]);
    // Types: 0 = callee (params) -> (results); 1 = done (results) -> (results).
    enc::module(
        &[(params, results), (results, results)],
        &[("callee", Some(0)), ("done", Some(1))],
        &code,
    )
}

/// Minimal core wasm encoding for the two tiny modules above.
mod enc {
    use weft_core::abi::Flat;

    pub fn vt(f: Flat) -> u8 {
        match f {
            Flat::I32 => 0x7f,
            Flat::I64 => 0x7e,
            Flat::F32 => 0x7d,
            Flat::F64 => 0x7c,
        }
    }

    pub fn section(out: &mut Vec<u8>, id: u8, body: &[u8]) {
        out.push(id);
        leb(out, body.len() as u32);
        out.extend_from_slice(body);
    }

    pub fn leb(out: &mut Vec<u8>, mut v: u32) {
        loop {
            let b = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                out.push(b);
                return;
            }
            out.push(b | 0x80);
        }
    }

    pub fn name(out: &mut Vec<u8>, s: &str) {
        leb(out, s.len() as u32);
        out.extend_from_slice(s.as_bytes());
    }

    /// `local.get 0` … `local.get n-1`.
    pub fn get_params(code: &mut Vec<u8>, n: u32) {
        for i in 0..n {
            code.push(0x20);
            leb(code, i);
        }
    }

    /// A module with function `types`, imports from module `""` (a function of the
    /// given type, or with `None` a mutable i32 global), and one function `f` of type
    /// 0 with the body `code` (locals included), exported as `f`.
    pub fn module(
        types: &[(&[Flat], &[Flat])],
        imports: &[(&str, Option<u32>)],
        code: &[u8],
    ) -> Vec<u8> {
        let mut m = vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
        let mut ty = Vec::new();
        leb(&mut ty, types.len() as u32);
        for (params, results) in types {
            ty.push(0x60);
            leb(&mut ty, params.len() as u32);
            ty.extend(params.iter().map(|f| vt(*f)));
            leb(&mut ty, results.len() as u32);
            ty.extend(results.iter().map(|f| vt(*f)));
        }
        section(&mut m, 1, &ty);
        let mut imp = Vec::new();
        leb(&mut imp, imports.len() as u32);
        let mut funcs = 0;
        for (n, kind) in imports {
            name(&mut imp, "");
            name(&mut imp, n);
            match kind {
                Some(t) => {
                    imp.push(0x00);
                    leb(&mut imp, *t);
                    funcs += 1;
                }
                None => imp.extend([0x03, 0x7f, 0x01]),
            }
        }
        section(&mut m, 2, &imp);
        section(&mut m, 3, &[1, 0]);
        let mut exp = vec![1];
        name(&mut exp, "f");
        exp.push(0x00);
        leb(&mut exp, funcs);
        section(&mut m, 7, &exp);
        let mut body = Vec::new();
        leb(&mut body, code.len() as u32);
        body.extend_from_slice(code);
        let mut sec = vec![1];
        sec.extend(body);
        section(&mut m, 10, &sec);
        m
    }
}
