//! `weft-devtools wave WIT`: WAVE function calls read and written by wasm-wave, the
//! reference implementation of the syntax, for the tests of weft's own
//! (`src/runtime/wave.js`, tested against this in `src/runtime/test/wave-reference.test.js`).
//!
//! Standard input holds calls `name(value, …)` of the functions of the WIT file's
//! interfaces, each ending in `;` at the end of a line (a multiline string may span
//! lines). Standard output gets one line per call: `name(value, …)` with the values as
//! wasm-wave wrote what it read, or `error: <why>` when it refused the call.

use anyhow::{Context, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use wasm_wave::untyped::UntypedFuncCall;
use wasm_wave::value::{FuncType, Value, resolve_wit_func_type};
use wasm_wave::wasm::WasmFunc;
use wit_parser::Resolve;

pub fn run(wit: &Path) -> Result<()> {
    let mut resolve = Resolve::new();
    resolve
        .push_path(wit)
        .with_context(|| format!("cannot read the WIT in {}", wit.display()))?;
    let mut funcs = HashMap::new();
    for (_, interface) in resolve.interfaces.iter() {
        for (name, func) in &interface.functions {
            let ty = resolve_wit_func_type(&resolve, func)
                .with_context(|| format!("no WAVE type for function {name}"))?;
            funcs.insert(name.clone(), ty);
        }
    }
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let input = input.trim_end().trim_end_matches(';');
    let mut out = String::new();
    for call in input.split(";\n").filter(|c| !c.trim().is_empty()) {
        match one(&funcs, call) {
            Ok(line) => out.push_str(&line),
            Err(e) => out.push_str(&format!("error: {}", format!("{e:#}").replace('\n', " "))),
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}

/// One call, read and written again.
fn one(funcs: &HashMap<String, FuncType>, call: &str) -> Result<String> {
    let call = UntypedFuncCall::parse(call.trim())?;
    let ty = funcs
        .get(call.name())
        .with_context(|| format!("no function {} in the WIT", call.name()))?;
    let params: Vec<_> = ty.params().collect();
    let values: Vec<Value> = call.to_wasm_params(&params)?;
    let written = values
        .iter()
        .map(wasm_wave::to_string)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("{}({})", call.name(), written.join(", ")))
}
