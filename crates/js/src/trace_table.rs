//! The function table of a recording module (`--record`, docs/record-replay.md): each
//! recorded function's name and types as `describe`'s JSON (describe.rs), from the
//! plan's types, by the index the generated code passes to the runtime's recorder
//! (src/runtime/record.js); and the trace's header. `record.rs` emits the code that
//! uses it.

use weft_core::Plan;
use weft_core::plan::Resource;
use weft_core::types::{FuncType, ResourceIdx, TypeDef, ValType};

use crate::describe::Json;

/// The recorder of a module generated with `--record`: its variable and what it is
/// made with.
pub struct TraceTable {
    /// The variable holding the `Recorder`.
    pub var: String,
    /// The header after `// weft trace 1; `.
    pub header: String,
    /// The JSON of each function recorded, by the index the code passes.
    fns: Vec<String>,
}

impl TraceTable {
    pub fn new(var: String, header: String) -> Self {
        TraceTable {
            var,
            header,
            fns: Vec::new(),
        }
    }

    /// The table as a JSON array.
    pub fn json(&self) -> String {
        format!("[{}]", self.fns.join(","))
    }

    /// Adds the function `label` of type `func`; its index. `promising`: the JS
    /// function returns a promise of its result (an async call, recorded as a task),
    /// not a `future` value.
    pub fn function(
        &mut self,
        plan: &Plan,
        label: &str,
        func: &FuncType,
        promising: bool,
        jco: bool,
    ) -> u32 {
        let mut j = Json::default();
        j.raw("{\"name\":");
        j.string(label);
        j.raw(",\"params\":[");
        for (i, (name, t)) in func.params.iter().enumerate() {
            j.comma(i);
            j.raw("{\"name\":");
            j.string(name);
            j.raw(",\"type\":");
            ty(&mut j, plan, *t);
            j.raw("}");
        }
        j.raw("],\"result\":");
        opt_ty(&mut j, plan, func.result);
        if promising {
            j.raw(",\"async\":true");
        }
        if jco {
            j.raw(",\"jco\":true");
        }
        j.raw("}");
        self.push(j)
    }

    /// Adds the drop `label` of resource `r` (`[resource-drop]r`, its `self` an
    /// `own<r>`); its index.
    pub fn drop(&mut self, plan: &Plan, label: &str, r: ResourceIdx) -> u32 {
        let mut j = Json::default();
        j.raw("{\"name\":");
        j.string(label);
        j.raw(",\"params\":[{\"name\":\"self\",\"type\":{\"kind\":\"own\",\"resource\":");
        j.string(&resource_name(plan, r.0));
        j.raw("}}],\"result\":null}");
        self.push(j)
    }

    fn push(&mut self, j: Json) -> u32 {
        self.fns.push(j.0);
        u32::try_from(self.fns.len() - 1).expect("fewer than 2^32 functions")
    }
}

/// The header of a recording of `component` (its bytes), naming the world `wit`
/// decodes (when it decodes).
#[must_use]
pub fn header(component: &[u8], wit: Option<&weft_core::WitInfo>) -> String {
    let hash = weft_core::sha256_hex(component);
    match wit {
        Some(w) => format!(
            "world {}; component sha256:{hash}",
            w.resolve.worlds[w.world].name
        ),
        None => format!("component sha256:{hash}"),
    }
}

fn opt_ty(j: &mut Json, plan: &Plan, t: Option<ValType>) {
    match t {
        Some(t) => ty(j, plan, t),
        None => j.raw("null"),
    }
}

/// A type as `describe` writes it (describe.rs), from the plan's types: anonymous
/// (the plan keeps structure, not type names), resources by name.
fn ty(j: &mut Json, plan: &Plan, t: ValType) {
    if let ValType::Defined(id) = t {
        return typedef(j, plan, plan.types.def(id));
    }
    let kind = t.primitive_name().unwrap_or_default();
    j.raw("{\"kind\":");
    j.string(kind);
    j.raw("}");
}

fn typedef(j: &mut Json, plan: &Plan, def: &TypeDef) {
    let open = |j: &mut Json, kind: &str| {
        j.raw("{\"kind\":");
        j.string(kind);
    };
    match def {
        TypeDef::Record(fields) => {
            open(j, "record");
            j.raw(",\"name\":null,\"fields\":[");
            for (i, (name, t)) in fields.iter().enumerate() {
                j.comma(i);
                j.named(name);
                j.raw(",\"type\":");
                ty(j, plan, *t);
                j.raw("}");
            }
            j.raw("]");
        }
        TypeDef::Tuple(types) => {
            open(j, "tuple");
            j.raw(",\"types\":[");
            for (i, t) in types.iter().enumerate() {
                j.comma(i);
                ty(j, plan, *t);
            }
            j.raw("]");
        }
        TypeDef::Variant(cases) => {
            open(j, "variant");
            j.raw(",\"name\":null,\"cases\":[");
            for (i, (name, t)) in cases.iter().enumerate() {
                j.comma(i);
                j.raw("{\"name\":");
                j.string(name);
                j.raw(",\"type\":");
                opt_ty(j, plan, *t);
                j.raw("}");
            }
            j.raw("]");
        }
        TypeDef::Enum(cases) => {
            open(j, "enum");
            j.raw(",\"name\":null,\"cases\":[");
            for (i, c) in cases.iter().enumerate() {
                j.comma(i);
                j.string(c);
            }
            j.raw("]");
        }
        TypeDef::Flags(flags) => {
            open(j, "flags");
            j.raw(",\"name\":null,\"flags\":[");
            for (i, f) in flags.iter().enumerate() {
                j.comma(i);
                j.named(f);
                j.raw("}");
            }
            j.raw("]");
        }
        TypeDef::Option(t) => {
            open(j, "option");
            j.raw(",\"type\":");
            ty(j, plan, *t);
        }
        TypeDef::Result { ok, err } => {
            open(j, "result");
            j.raw(",\"ok\":");
            opt_ty(j, plan, *ok);
            j.raw(",\"err\":");
            opt_ty(j, plan, *err);
        }
        TypeDef::List(t) => {
            open(j, "list");
            j.raw(",\"element\":");
            ty(j, plan, *t);
        }
        TypeDef::FixedList(t, n) => {
            open(j, "list");
            j.raw(",\"element\":");
            ty(j, plan, *t);
            j.raw(&format!(",\"length\":{n}"));
        }
        TypeDef::Map(k, v) => {
            open(j, "map");
            j.raw(",\"key\":");
            ty(j, plan, *k);
            j.raw(",\"value\":");
            ty(j, plan, *v);
        }
        TypeDef::Own(r) | TypeDef::Borrow(r) => {
            open(
                j,
                if matches!(def, TypeDef::Own(_)) {
                    "own"
                } else {
                    "borrow"
                },
            );
            j.raw(",\"resource\":");
            j.string(&resource_name(plan, r.0));
        }
        TypeDef::Future(t) | TypeDef::Stream(t) => {
            open(
                j,
                if matches!(def, TypeDef::Future(_)) {
                    "future"
                } else {
                    "stream"
                },
            );
            j.raw(",\"type\":");
            opt_ty(j, plan, *t);
        }
    }
    j.raw("}");
}

fn resource_name(plan: &Plan, r: u32) -> String {
    match &plan.resources[r as usize] {
        Resource::Defined { name, .. } => name.clone(),
        Resource::Host { host } => host
            .path
            .last()
            .cloned()
            .unwrap_or_else(|| plan.imports[host.import.0 as usize].name.clone()),
    }
}
