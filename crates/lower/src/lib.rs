//! weft-lower: a component's core instances linked into one core module.
//!
//! [`lower_plan`] turns a [`Plan`](weft_core::Plan) of many core instances into a plan of
//! one: a core module (multi-memory, `link.rs`) holding a copy of every instance's items
//! and the fused adapters it can compile (`adapter/`), whose imports are the plan's
//! other trampolines and whose exports are the core items the code around it reads. The
//! JS backend generates its glue on that plan unchanged (`weft transpile --lowered`),
//! which is how the lowering is checked against every test of the normal mode;
//! [`lower_for_host`] describes the module's host ABI instead (`weft lower`). See
//! docs/lower.md.

mod abi_text;
pub mod adapter;
mod asm;
mod catch;
pub mod code;
mod defs;
mod handles;
mod host_abi;
mod intrinsics;
pub mod link;
mod lowered;
mod parts;

pub use host_abi::{HostAbi, lower_for_host};
pub use link::{INIT_EXPORT, Linked, link};
pub use lowered::{ImportNames, lower_plan};
