//! Small helpers for writing core wasm by hand: the immediate of a memory access, and a
//! function body with its locals.

use wasm_encoder::{Function, Instruction as I, MemArg, MemArgTarget, ValType as W};

/// The immediate of a load or store: memory `memory`, static offset `off`.
pub(crate) fn mem(memory: u32, off: u32) -> MemArg {
    MemArg {
        offset: u64::from(off),
        align: 0,
        target: MemArgTarget::Memory(memory),
        ordering: None,
    }
}

/// A function body being written: its locals after `params`, its instructions.
pub(crate) struct Asm {
    params: u32,
    locals: Vec<W>,
    body: Vec<I<'static>>,
}

impl Asm {
    pub(crate) fn new(params: u32, locals: &[W]) -> Asm {
        Asm {
            params,
            locals: locals.to_vec(),
            body: Vec::new(),
        }
    }

    pub(crate) fn local(&mut self, t: W) -> u32 {
        self.locals.push(t);
        self.params + self.locals.len() as u32 - 1
    }

    pub(crate) fn ops(&mut self, ops: &[I<'static>]) {
        self.body.extend_from_slice(ops);
    }

    pub(crate) fn finish(self) -> Function {
        let mut f = Function::new(self.locals.iter().map(|t| (1, *t)));
        for i in &self.body {
            f.instruction(i);
        }
        f
    }
}
