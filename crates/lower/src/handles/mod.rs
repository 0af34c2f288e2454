//! Handle tables in core wasm: each component instance's table of resource handles and
//! the borrow scopes of calls, as functions of the linked module, so that
//! `resource.new`/`rep`/`drop` and the adapters that move handles between components are
//! wasm too. The JS runtime's `HandleTable` and `resources.js` (the spec's `Table`,
//! `ResourceHandle`, `lift_own`, `lift_borrow`, `lower_own`, `lower_borrow`, `canon
//! resource.*`) are the reference: the same checks in the same order, the same traps,
//! the same handle indices (slot 0 never used, freed slots reused last-in first-out, at
//! most 2^28 - 1 slots).
//!
//! Layout. One memory holds every table and the borrow scopes, in entries of 16 bytes
//! per table plus 16: entry `i` holds slot `i` of each table, then cell `i` of the
//! scopes, so an index finds its slot in constant time. (A memory per table had a
//! browser page that instantiated many lowered components run out of address space.) A
//! slot: the rep (a free slot: the next free slot), the type (`ResourceIdx + 1`;
//! [`HOST_OBJECT`] for one of the host's objects; 0: free), the number of lends, and the
//! borrow scope (0 for an owned handle, else the scope's number). Two globals per table:
//! its length (the next fresh slot) and the first free slot. Cells are numbered from 1
//! (cell 0 is never used): a scope is a cell (the number of borrow handles lowered in it
//! — the spec's `Task.num_borrows` —, the first of its lends), a lend one more (the
//! instance and handle lent — `Subtask.lenders` —, the next lend). `begin-call` returns a
//! scope's number, which every function that borrows or lends takes and `end-call`
//! closes, so scopes need not nest: two calls in progress can end in either order (the
//! scope of each task). Freed cells are reused last-in first-out; two globals hold the
//! next fresh cell and the first free one.

use anyhow::Result;
use indexmap::IndexMap;
use wasm_encoder::{BlockType, Function, GlobalType, Instruction as I, MemoryType, ValType as W};

use weft_core::error::OrBug;
use weft_core::plan::{
    CoreDef, CoreHandles, CoreInstanceIdx, HOST_OBJECT, TableFns, WAITABLE, WaitableFns,
};

use crate::asm::{Asm, mem};
use crate::code;

mod waitables;

/// Where one table's waitable functions (`waitables.rs`) are in the linked module.
#[derive(Clone, Copy)]
struct WaitableFuncs {
    /// `(handle, kind) -> address`: the slot, trapping unless it holds that kind.
    kind_entry: u32,
    /// `(waitable)`: out of its set (if any).
    unlink: u32,
    pend: u32,
    sync: u32,
    set_of: u32,
    leave: u32,
    ready: u32,
    take: u32,
    wait: u32,
}

/// Functions per table of the waitable state.
const WAITABLE_FUNCS: u32 = 9;

impl WaitableFuncs {
    /// The functions numbered from `f`.
    fn at(f: u32) -> WaitableFuncs {
        WaitableFuncs {
            kind_entry: f,
            unlink: f + 1,
            pend: f + 2,
            sync: f + 3,
            set_of: f + 4,
            leave: f + 5,
            ready: f + 6,
            take: f + 7,
            wait: f + 8,
        }
    }

    /// The exported ones, with the names hosts know them by.
    fn exported(&self) -> [(&'static str, u32); 7] {
        [
            ("waitable-pend", self.pend),
            ("waitable-sync", self.sync),
            ("waitable-set-of", self.set_of),
            ("waitable-leave", self.leave),
            ("set-ready", self.ready),
            ("set-take", self.take),
            ("set-wait", self.wait),
        ]
    }
}

/// The most slots a table has (the spec's `Table.MAX_LENGTH`).
const MAX_LENGTH: i32 = (1 << 28) - 1;
/// Bytes per slot of a table, and per cell of the scopes.
const SLOT: i32 = 16;
// Field offsets in a slot.
const REP: u32 = 0;
const TYPE: u32 = 4;
const LENDS: u32 = 8;
const SCOPE: u32 = 12;

/// With the async machinery's objects in the tables: the `may-leave` global and the
/// `wake` and `event` hooks (`weft_core::plan::Hook`), by index.
#[derive(Clone, Copy)]
pub struct AsyncHooks {
    pub may_leave: u32,
    pub wake: u32,
    pub event: u32,
}

/// The types the runtime's functions have, in the linked module.
#[derive(Clone, Copy)]
pub struct Types {
    /// `(i32, i32) -> i32`.
    pub ii_i: u32,
    /// `(i32, i32, i32) -> i32`.
    pub iii_i: u32,
    /// `(i32) -> ()`.
    pub i: u32,
    /// `(i32) -> i32`.
    pub i_i: u32,
    /// `() -> i32`.
    pub none_i: u32,
    /// `(i32, i32) -> ()`.
    pub ii: u32,
    /// `() -> ()`.
    pub none: u32,
}

/// One component instance's table: its memory, globals and functions.
#[derive(Clone, Copy)]
pub struct Table {
    /// The component instance it belongs to.
    instance: u32,
    /// The tables' memory, and the offset of this table's fields in an entry of it.
    pub memory: u32,
    base: u32,
    /// Bytes per entry of the memory: one slot of each table and one scope cell.
    stride: i32,
    len: u32,
    free: u32,
    /// `(handle, type) -> slot address`: the checks of `get` and of the resource type.
    pub entry: u32,
    /// `(rep, type, scope) -> handle`.
    add: u32,
    /// `(handle)`.
    remove: u32,
    pub lift_own: u32,
    pub lift_borrow: u32,
    pub lower_own: u32,
    pub lower_borrow: u32,
    /// With host objects: `(kind) -> handle`, `(handle) -> type`, `(handle)`.
    table_new: u32,
    table_kind: u32,
    table_remove: u32,
    /// With host objects: the waitable state's functions (`waitables.rs`).
    waitables: WaitableFuncs,
    /// With host objects: the instance's backpressure counter (a global), and `() ->
    /// i32`, its value for the host (which lets no task in while it is above 0).
    backpressure: u32,
    backpressure_get: u32,
}

/// Where the runtime is in the linked module.
pub struct Handles {
    /// The table of each component instance that has one.
    pub tables: IndexMap<u32, Table>,
    scopes: u32,
    /// The offset of a cell's fields in an entry of the memory, and the entry's size.
    cells: u32,
    stride: i32,
    /// The next fresh cell of `scopes`.
    next_cell: u32,
    /// The first free cell (0: none).
    free_cell: u32,
    pub begin_call: u32,
    pub end_call: u32,
    /// `(instance, handle)`: one lend of the handle ends.
    unlend: u32,
    /// `() -> cell`, zeroed, and `(cell)`: a cell taken and given back.
    alloc_cell: u32,
    release_cell: u32,
    /// `(scope) -> count` and `(scope)`: a task's borrows; a subtask's lends ended.
    scope_borrows: u32,
    release_lends: u32,
    /// With the host's objects in the tables too (the async machinery's): the
    /// `may-leave` global, which the built-ins check, and the `wake` and `event` hooks.
    may_leave: Option<u32>,
    wake: Option<u32>,
    event: Option<u32>,
    /// The first function after the runtime's.
    end: u32,
    trap: u32,
    poisoned: u32,
}

/// Functions per table; with host objects, three more, the waitables' and the
/// backpressure getter.
const TABLE_FUNCS: u32 = 7;
const HOST_OBJECT_FUNCS: u32 = 3 + WAITABLE_FUNCS + 1;

/// Globals per table: its length and free list; with host objects, its backpressure.
fn globals_per_table(host_objects: bool) -> u32 {
    2 + u32::from(host_objects)
}

fn functions_per_table(host_objects: bool) -> u32 {
    TABLE_FUNCS + if host_objects { HOST_OBJECT_FUNCS } else { 0 }
}
/// Functions shared by the tables: the scopes'.
const SHARED_FUNCS: u32 = 7;
// Field offsets in a cell: a scope's, a lend's.
const BORROWS: u32 = 0;
const LENDS_HEAD: u32 = 4;
const LEND_INSTANCE: u32 = 0;
const LEND_HANDLE: u32 = 4;
const LEND_NEXT: u32 = 8;

impl Handles {
    /// The runtime of the tables of `instances`, its functions from `func`, its
    /// memories from `memory`, its globals from `global`; `trap` is the trap hook and
    /// `poisoned` the poisoned flag. With `hooks` the tables hold the host's objects too
    /// (`table-new`, `table-kind`, `table-remove`) and the waitable state.
    pub fn new(
        instances: &[u32],
        func: u32,
        memory: u32,
        global: u32,
        (trap, poisoned): (u32, u32),
        hooks: Option<AsyncHooks>,
    ) -> Handles {
        let per_table = functions_per_table(hooks.is_some());
        let globals = globals_per_table(hooks.is_some());
        // One memory: entry `i` holds slot `i` of every table, then cell `i` of the
        // scopes, so an index is found in constant time and one memory serves them all.
        let n = instances.len() as u32;
        let stride = (n as i32 + 1) * SLOT;
        let mut tables = IndexMap::new();
        for (k, &inst) in (0u32..).zip(instances) {
            let f = func + k * per_table;
            tables.insert(
                inst,
                Table {
                    instance: inst,
                    memory,
                    base: k * SLOT as u32,
                    stride,
                    len: global + globals * k,
                    free: global + globals * k + 1,
                    entry: f,
                    add: f + 1,
                    remove: f + 2,
                    lift_own: f + 3,
                    lift_borrow: f + 4,
                    lower_own: f + 5,
                    lower_borrow: f + 6,
                    table_new: f + 7,
                    table_kind: f + 8,
                    table_remove: f + 9,
                    waitables: WaitableFuncs::at(f + 10),
                    backpressure: global + globals * k + 2,
                    backpressure_get: f + 10 + WAITABLE_FUNCS,
                },
            );
        }
        let f = func + n * per_table;
        Handles {
            tables,
            scopes: memory,
            cells: n * SLOT as u32,
            stride,
            next_cell: global + globals * n,
            free_cell: global + globals * n + 1,
            begin_call: f,
            end_call: f + 1,
            unlend: f + 2,
            alloc_cell: f + 3,
            release_cell: f + 4,
            scope_borrows: f + 5,
            release_lends: f + 6,
            may_leave: hooks.map(|h| h.may_leave),
            wake: hooks.map(|h| h.wake),
            event: hooks.map(|h| h.event),
            end: f + SHARED_FUNCS,
            trap,
            poisoned,
        }
    }

    /// The first function index after the runtime's.
    pub fn end(&self) -> u32 {
        self.end
    }

    /// How many functions it adds.
    pub fn functions_len(&self) -> u32 {
        self.tables.len() as u32 * functions_per_table(self.host_objects()) + SHARED_FUNCS
    }

    /// How many memories it adds: one, for the tables and the scopes. (A memory per
    /// table had a page of a browser that instantiated many lowered components run out
    /// of address space: an engine reserves gigabytes for each memory.)
    pub fn memories(&self) -> u32 {
        1
    }

    /// Its memories, in index order: empty at first, grown as needed.
    pub fn memory_types(&self) -> Vec<MemoryType> {
        let m = MemoryType {
            minimum: 0,
            maximum: Some(65536),
            memory64: false,
            shared: false,
            page_size_log2: None,
        };
        vec![m; self.memories() as usize]
    }

    /// Its globals, in index order, with their initial values.
    pub fn globals(&self) -> Vec<(GlobalType, i32)> {
        let g = GlobalType {
            val_type: W::I32,
            mutable: true,
            shared: false,
        };
        let mut out = Vec::new();
        for _ in &self.tables {
            // Slot 0 is never used: the first handle is 1. No free slot.
            out.extend([(g, 1), (g, 0)]);
            if self.host_objects() {
                // No backpressure.
                out.push((g, 0));
            }
        }
        // The first cell is 1; none is free.
        out.extend([(g, 1), (g, 0)]);
        out
    }

    /// Its functions, `(type, body)` in index order.
    pub fn functions(&self, t: &Types) -> Vec<(u32, Function)> {
        let mut out = Vec::new();
        for table in self.tables.values() {
            out.push((t.ii_i, self.entry(table)));
            out.push((t.iii_i, self.add(table)));
            out.push((t.i, remove(table)));
            out.push((t.ii_i, self.lift_own(table)));
            out.push((t.iii_i, self.lift_borrow(table)));
            out.push((t.ii_i, self.lower_own(table)));
            out.push((t.iii_i, self.lower_borrow(table)));
            if self.host_objects() {
                out.push((t.i_i, table_new(table)));
                out.push((t.i_i, self.table_kind(table)));
                out.push((t.i, self.table_remove(table)));
                out.extend(self.waitable_functions(table, t));
                out.push((t.none_i, backpressure_get(table)));
            }
        }
        out.push((t.none_i, self.begin_call()));
        out.push((t.i, self.end_call()));
        out.push((t.ii, self.unlend()));
        out.push((t.none_i, self.alloc_cell()));
        out.push((t.i, self.release_cell()));
        out.push((t.i_i, self.scope_borrows()));
        out.push((t.i, self.release_lends()));
        out
    }

    /// The plan's description of the runtime ([`Plan::handles`]): its functions as the
    /// exports ([`Handles::exports`]) of core instance 0 of the lowered plan, per
    /// component instance (of `instances`).
    ///
    /// [`Plan::handles`]: weft_core::Plan::handles
    pub fn described(&self, instances: u32) -> CoreHandles {
        let export = |what: &str, i: Option<u32>| CoreDef::Export {
            instance: CoreInstanceIdx(0),
            name: export_name(what, i),
        };
        let tables = (0..instances)
            .map(|i| {
                self.tables.contains_key(&i).then(|| TableFns {
                    lift_own: export("lift-own", Some(i)),
                    lift_borrow: export("lift-borrow", Some(i)),
                    lower_own: export("lower-own", Some(i)),
                    lower_borrow: export("lower-borrow", Some(i)),
                    table_new: export("table-new", Some(i)),
                    table_kind: export("table-kind", Some(i)),
                    table_remove: export("table-remove", Some(i)),
                    backpressure: export("backpressure", Some(i)),
                    waitables: WaitableFns {
                        pend: export("waitable-pend", Some(i)),
                        sync: export("waitable-sync", Some(i)),
                        set_of: export("waitable-set-of", Some(i)),
                        leave: export("waitable-leave", Some(i)),
                        ready: export("set-ready", Some(i)),
                        take: export("set-take", Some(i)),
                        wait: export("set-wait", Some(i)),
                    },
                })
            })
            .collect();
        CoreHandles {
            tables,
            begin_call: export("begin-call", None),
            end_call: export("end-call", None),
            scope_borrows: export("scope-borrows", None),
            release_lends: export("release-lends", None),
            host_objects: self.host_objects(),
            // Filled in by the caller, which knows the trampolines (`lowered.rs`).
            lowers_backpressure: Vec::new(),
        }
    }

    /// The names its functions are exported under (for the glue and hosts):
    /// `weft:lift-own:<instance>`, …, `weft:begin-call`, `weft:end-call`.
    pub fn exports(&self) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        for (inst, t) in &self.tables {
            for (what, f) in [
                ("lift-own", t.lift_own),
                ("lift-borrow", t.lift_borrow),
                ("lower-own", t.lower_own),
                ("lower-borrow", t.lower_borrow),
            ] {
                out.push((export_name(what, Some(*inst)), f));
            }
            if self.host_objects() {
                for (what, f) in [
                    ("table-new", t.table_new),
                    ("table-kind", t.table_kind),
                    ("table-remove", t.table_remove),
                ] {
                    out.push((export_name(what, Some(*inst)), f));
                }
                for (what, f) in t.waitables.exported() {
                    out.push((export_name(what, Some(*inst)), f));
                }
                out.push((export_name("backpressure", Some(*inst)), t.backpressure_get));
            }
        }
        out.push((export_name("begin-call", None), self.begin_call));
        out.push((export_name("end-call", None), self.end_call));
        if self.host_objects() {
            out.push((export_name("scope-borrows", None), self.scope_borrows));
            out.push((export_name("release-lends", None), self.release_lends));
        }
        out
    }

    /// Whether the tables hold the host's objects too.
    fn host_objects(&self) -> bool {
        self.may_leave.is_some()
    }

    /// The address of the entry of the cell whose number is in `local` (its fields at
    /// `self.cells` past it).
    fn cell(&self, local: u32) -> [I<'static>; 3] {
        [I::LocalGet(local), I::I32Const(self.stride), I::I32Mul]
    }

    /// `trap(code, a, b)` with the two numbers left by `args`.
    fn trap(&self, a: &mut Asm, c: i32, args: &[I<'static>]) {
        a.ops(&[I::I32Const(c)]);
        a.ops(args);
        a.ops(&[I::Call(self.trap), I::Unreachable]);
    }

    /// `if (<the i32 on the stack>) trap(c, 0, 0)`: a check whose trap says no more than
    /// its code.
    pub(super) fn trap_if(&self, a: &mut Asm, c: i32) {
        a.ops(&[I::If(BlockType::Empty)]);
        self.trap(a, c, &[I::I32Const(0), I::I32Const(0)]);
        a.ops(&[I::End]);
    }

    /// `(handle, type) -> address`: `get` (an index in range whose slot is used) and
    /// the resource type's check, trapping as `resourceHandleCheck` does.
    fn entry(&self, t: &Table) -> Function {
        const H: u32 = 0;
        const TY: u32 = 1;
        let mut a = Asm::new(2, &[W::I32, W::I32]);
        let (addr, have) = (2, 3);
        self.known_slot(&mut a, t, H, addr, have);
        a.ops(&[
            I::LocalGet(have),
            I::LocalGet(TY),
            I::I32Ne,
            I::If(BlockType::Empty),
        ]);
        // b: the expected type, and the one the slot holds above it.
        self.trap(
            &mut a,
            code::WRONG_RESOURCE,
            &[
                I::LocalGet(H),
                I::LocalGet(TY),
                I::LocalGet(have),
                I::I32Const(16),
                I::I32Shl,
                I::I32Or,
            ],
        );
        a.ops(&[I::End, I::LocalGet(addr), I::End]);
        a.finish()
    }

    /// `get`'s checks of handle `local h`: in range and used, else the trap of an
    /// unknown handle; the slot's address into local `addr`, its type into `have`.
    fn known_slot(&self, a: &mut Asm, t: &Table, h: u32, addr: u32, have: u32) {
        let unknown = [I::LocalGet(h), I::I32Const(0)];
        // 0, or past the length: unknown.
        a.ops(&[
            I::LocalGet(h),
            I::I32Eqz,
            I::LocalGet(h),
            I::GlobalGet(t.len),
            I::I32GeU,
            I::I32Or,
            I::If(BlockType::Empty),
        ]);
        self.trap(a, code::UNKNOWN_HANDLE, &unknown);
        a.ops(&[I::End]);
        a.ops(&slot(t, h));
        a.ops(&[
            I::LocalTee(addr),
            I::I32Load(field(t, TYPE)),
            I::LocalTee(have),
            I::I32Eqz,
            I::If(BlockType::Empty),
        ]);
        self.trap(a, code::UNKNOWN_HANDLE, &unknown);
        a.ops(&[I::End]);
    }

    /// `(handle) -> type`: `get`'s checks, then the slot's type ([`HOST_OBJECT`] for
    /// one of the host's objects).
    fn table_kind(&self, t: &Table) -> Function {
        let mut a = Asm::new(1, &[W::I32, W::I32]);
        let (addr, have) = (1, 2);
        self.known_slot(&mut a, t, 0, addr, have);
        a.ops(&[I::LocalGet(have), I::End]);
        a.finish()
    }

    /// `(handle)`: `get`'s checks, then the slot freed (the host's objects are never
    /// lent), a waitable's taken out of its set first.
    fn table_remove(&self, t: &Table) -> Function {
        let mut a = Asm::new(1, &[W::I32, W::I32]);
        let (addr, have) = (1, 2);
        self.known_slot(&mut a, t, 0, addr, have);
        a.ops(&[
            I::LocalGet(have),
            I::I32Const(WAITABLE as i32),
            I::I32Eq,
            I::If(BlockType::Empty),
            I::LocalGet(0),
            I::Call(t.waitables.unlink),
            I::End,
            I::LocalGet(0),
            I::Call(t.remove),
            I::End,
        ]);
        a.finish()
    }

    /// `(rep, type, scope) -> handle`: `Table.add`, a free slot last-in first-out, else
    /// a new one (the memory grown a page at a time), trapping when full.
    fn add(&self, t: &Table) -> Function {
        const REP_: u32 = 0;
        const TY: u32 = 1;
        const SC: u32 = 2;
        let mut a = Asm::new(3, &[W::I32, W::I32]);
        let (h, addr) = (3, 4);
        a.ops(&[I::GlobalGet(t.free), I::If(BlockType::Empty)]);
        // The free slot's rep is the next free slot.
        a.ops(&[I::GlobalGet(t.free), I::LocalSet(h)]);
        a.ops(&slot(t, h));
        a.ops(&[I::I32Load(field(t, REP)), I::GlobalSet(t.free), I::Else]);
        a.ops(&[
            I::GlobalGet(t.len),
            I::LocalTee(h),
            I::I32Const(MAX_LENGTH),
            I::I32GtU,
        ]);
        self.trap_if(&mut a, code::TABLE_FULL);
        claim_fresh(&mut a, t.memory, t.len, h, t.stride);
        a.ops(&[I::End]);
        a.ops(&slot(t, h));
        a.ops(&[I::LocalSet(addr)]);
        for (off, v) in [
            (REP, I::LocalGet(REP_)),
            (TYPE, I::LocalGet(TY)),
            (LENDS, I::I32Const(0)),
            (SCOPE, I::LocalGet(SC)),
        ] {
            a.ops(&[I::LocalGet(addr), v, I::I32Store(field(t, off))]);
        }
        a.ops(&[I::LocalGet(h), I::End]);
        a.finish()
    }

    /// The slot of handle `local 0` of type `ty` into local `addr` (`entry`), trapping
    /// with `lent` when it is lent out.
    fn unlent_entry(&self, a: &mut Asm, t: &Table, ty: I<'static>, addr: u32, lent: i32) {
        a.ops(&[
            I::LocalGet(0),
            ty,
            I::Call(t.entry),
            I::LocalTee(addr),
            I::I32Load(field(t, LENDS)),
        ]);
        self.trap_if(a, lent);
    }

    /// `(handle, type) -> rep`: `lift_own`: not lent, owned, then removed.
    fn lift_own(&self, t: &Table) -> Function {
        let mut a = Asm::new(2, &[W::I32, W::I32]);
        let (addr, rep) = (2, 3);
        self.unlent_entry(&mut a, t, I::LocalGet(1), addr, code::LENT_MOVE);
        a.ops(&[I::LocalGet(addr), I::I32Load(field(t, SCOPE))]);
        self.trap_if(&mut a, code::NOT_OWN);
        a.ops(&[
            I::LocalGet(addr),
            I::I32Load(field(t, REP)),
            I::LocalSet(rep),
            I::LocalGet(0),
            I::Call(t.remove),
            I::LocalGet(rep),
            I::End,
        ]);
        a.finish()
    }

    /// Traps (`unreachable`) unless local `scope` is an open scope's number: a host
    /// that lends or borrows outside `begin-call` … `end-call` (the glue never does).
    /// (A number in range that is not a scope's goes unnoticed.)
    fn need_scope(&self, a: &mut Asm, scope: u32) {
        a.ops(&[
            I::LocalGet(scope),
            I::I32Eqz,
            I::LocalGet(scope),
            I::GlobalGet(self.next_cell),
            I::I32GeU,
            I::I32Or,
            I::If(BlockType::Empty),
            I::Unreachable,
            I::End,
        ]);
    }

    /// `(handle, type, scope) -> rep`: `lift_borrow`: one more lend, ended with the
    /// scope.
    fn lift_borrow(&self, t: &Table) -> Function {
        const H: u32 = 0;
        const SC: u32 = 2;
        let mut a = Asm::new(3, &[W::I32, W::I32]);
        let (addr, lend) = (3, 4);
        self.need_scope(&mut a, SC);
        a.ops(&[
            I::LocalGet(H),
            I::LocalGet(1),
            I::Call(t.entry),
            I::LocalTee(addr),
            I::LocalGet(addr),
            I::I32Load(field(t, LENDS)),
            I::I32Const(1),
            I::I32Add,
            I::I32Store(field(t, LENDS)),
        ]);
        // The lend, (instance, handle), first of the scope's.
        a.ops(&[I::Call(self.alloc_cell), I::LocalSet(lend)]);
        a.ops(&self.cell(lend));
        a.ops(&[
            I::I32Const(t.instance as i32),
            I::I32Store(mem(self.scopes, self.cells + LEND_INSTANCE)),
        ]);
        a.ops(&self.cell(lend));
        a.ops(&[
            I::LocalGet(H),
            I::I32Store(mem(self.scopes, self.cells + LEND_HANDLE)),
        ]);
        a.ops(&self.cell(lend));
        a.ops(&self.cell(SC));
        a.ops(&[
            I::I32Load(mem(self.scopes, self.cells + LENDS_HEAD)),
            I::I32Store(mem(self.scopes, self.cells + LEND_NEXT)),
        ]);
        a.ops(&self.cell(SC));
        a.ops(&[
            I::LocalGet(lend),
            I::I32Store(mem(self.scopes, self.cells + LENDS_HEAD)),
        ]);
        a.ops(&[I::LocalGet(addr), I::I32Load(field(t, REP)), I::End]);
        a.finish()
    }

    /// `(rep, type) -> handle`: `lower_own`.
    fn lower_own(&self, t: &Table) -> Function {
        let mut a = Asm::new(2, &[]);
        a.ops(&[
            I::LocalGet(0),
            I::LocalGet(1),
            I::I32Const(0),
            I::Call(t.add),
            I::End,
        ]);
        a.finish()
    }

    /// `(rep, type, scope) -> handle`: `lower_borrow` (into an instance that does not
    /// define the type: the glue and the adapters pass the rep itself to the one that
    /// does): a borrow handle of the scope, which counts it.
    fn lower_borrow(&self, t: &Table) -> Function {
        const SC: u32 = 2;
        let mut a = Asm::new(3, &[]);
        self.need_scope(&mut a, SC);
        self.count_borrow(&mut a, SC, I::I32Add);
        a.ops(&[
            I::LocalGet(0),
            I::LocalGet(1),
            I::LocalGet(SC),
            I::Call(t.add),
            I::End,
        ]);
        a.finish()
    }

    /// The borrow count of the scope whose number is in `local`, one more (`op`
    /// `i32.add`) or one fewer (`i32.sub`).
    fn count_borrow(&self, a: &mut Asm, local: u32, op: I<'static>) {
        a.ops(&self.cell(local));
        a.ops(&self.cell(local));
        a.ops(&[
            I::I32Load(mem(self.scopes, self.cells + BORROWS)),
            I::I32Const(1),
            op,
            I::I32Store(mem(self.scopes, self.cells + BORROWS)),
        ]);
    }

    /// `() -> scope`: a new scope, with no borrows and no lends.
    fn begin_call(&self) -> Function {
        let mut a = Asm::new(0, &[]);
        a.ops(&[I::Call(self.alloc_cell), I::End]);
        a.finish()
    }

    /// `(scope)`: `endCall`: traps if borrow handles of the scope remain, ends its
    /// lends, and closes it.
    fn end_call(&self) -> Function {
        const SC: u32 = 0;
        let mut a = Asm::new(1, &[]);
        self.need_scope(&mut a, SC);
        a.ops(&self.cell(SC));
        a.ops(&[I::I32Load(mem(self.scopes, self.cells + BORROWS))]);
        self.trap_if(&mut a, code::BORROWS_REMAIN);
        a.ops(&[I::LocalGet(SC), I::Call(self.release_lends), I::End]);
        a.finish()
    }

    /// `(scope) -> count`: the borrow handles lowered in the scope and not yet dropped.
    fn scope_borrows(&self) -> Function {
        const SC: u32 = 0;
        let mut a = Asm::new(1, &[]);
        self.need_scope(&mut a, SC);
        a.ops(&self.cell(SC));
        a.ops(&[I::I32Load(mem(self.scopes, self.cells + BORROWS)), I::End]);
        a.finish()
    }

    /// `(scope)`: ends the scope's lends and closes it, its borrows unchecked.
    fn release_lends(&self) -> Function {
        const SC: u32 = 0;
        let mut a = Asm::new(1, &[W::I32, W::I32]);
        let (lend, next) = (1, 2);
        self.need_scope(&mut a, SC);
        a.ops(&self.cell(SC));
        a.ops(&[
            I::I32Load(mem(self.scopes, self.cells + LENDS_HEAD)),
            I::LocalSet(lend),
            I::Block(BlockType::Empty),
            I::Loop(BlockType::Empty),
            I::LocalGet(lend),
            I::I32Eqz,
            I::BrIf(1),
        ]);
        a.ops(&self.cell(lend));
        a.ops(&[I::I32Load(mem(self.scopes, self.cells + LEND_INSTANCE))]);
        a.ops(&self.cell(lend));
        a.ops(&[
            I::I32Load(mem(self.scopes, self.cells + LEND_HANDLE)),
            I::Call(self.unlend),
        ]);
        a.ops(&self.cell(lend));
        a.ops(&[
            I::I32Load(mem(self.scopes, self.cells + LEND_NEXT)),
            I::LocalSet(next),
            I::LocalGet(lend),
            I::Call(self.release_cell),
            I::LocalGet(next),
            I::LocalSet(lend),
            I::Br(0),
            I::End,
            I::End,
            I::LocalGet(SC),
            I::Call(self.release_cell),
            I::End,
        ]);
        a.finish()
    }

    /// `() -> cell`: the first free cell, else a fresh one (the memory grown a page at a
    /// time), zeroed.
    fn alloc_cell(&self) -> Function {
        let mut a = Asm::new(0, &[W::I32]);
        let c = 0;
        a.ops(&[
            I::GlobalGet(self.free_cell),
            I::If(BlockType::Empty),
            // A free cell's third field is the next free cell.
            I::GlobalGet(self.free_cell),
            I::LocalTee(c),
            I::I32Const(self.stride),
            I::I32Mul,
            I::I32Load(mem(self.scopes, self.cells + LEND_NEXT)),
            I::GlobalSet(self.free_cell),
            I::Else,
            I::GlobalGet(self.next_cell),
            I::LocalSet(c),
        ]);
        claim_fresh(&mut a, self.scopes, self.next_cell, c, self.stride);
        a.ops(&[I::End]);
        for field in [BORROWS, LENDS_HEAD, LEND_NEXT] {
            a.ops(&self.cell(c));
            a.ops(&[
                I::I32Const(0),
                I::I32Store(mem(self.scopes, self.cells + field)),
            ]);
        }
        a.ops(&[I::LocalGet(c), I::End]);
        a.finish()
    }

    /// `(cell)`: the cell freed, first of the free list.
    fn release_cell(&self) -> Function {
        let mut a = Asm::new(1, &[]);
        a.ops(&self.cell(0));
        a.ops(&[
            I::GlobalGet(self.free_cell),
            I::I32Store(mem(self.scopes, self.cells + LEND_NEXT)),
            I::LocalGet(0),
            I::GlobalSet(self.free_cell),
            I::End,
        ]);
        a.finish()
    }

    /// `(instance, handle)`: the handle's lends, one fewer (the table by instance).
    fn unlend(&self) -> Function {
        let mut a = Asm::new(2, &[]);
        let n = self.tables.len() as u32;
        // block $done, one block per table, br_table into them.
        a.ops(&[I::Block(BlockType::Empty)]);
        for _ in 0..n {
            a.ops(&[I::Block(BlockType::Empty)]);
        }
        let targets: Vec<u32> = (0..n).collect();
        let insts: Vec<u32> = self.tables.keys().copied().collect();
        // The instance's position among the tables (n if none): `select(acc, k, instance
        // != this one)` for each table.
        a.ops(&[I::I32Const(n as i32)]);
        for (k, inst) in insts.iter().enumerate().rev() {
            a.ops(&[
                I::I32Const(k as i32),
                I::LocalGet(0),
                I::I32Const(*inst as i32),
                I::I32Ne,
                I::Select,
            ]);
        }
        a.ops(&[I::BrTable(targets.into(), n)]);
        for (k, t) in self.tables.values().enumerate() {
            a.ops(&[I::End]);
            a.ops(&slot(t, 1));
            a.ops(&slot(t, 1));
            a.ops(&[
                I::I32Load(field(t, LENDS)),
                I::I32Const(1),
                I::I32Sub,
                I::I32Store(field(t, LENDS)),
                I::Br(n - 1 - k as u32),
            ]);
        }
        a.ops(&[I::End, I::End]);
        a.finish()
    }

    /// Traps when the instance may not leave (a post-return runs), where the async
    /// machinery keeps the flag: `resource.new` and `resource.drop` check it first, as
    /// the JS built-ins do.
    fn check_may_leave(&self, a: &mut Asm) {
        if let Some(g) = self.may_leave {
            a.ops(&[I::GlobalGet(g), I::I32Eqz]);
            self.trap_if(a, code::MAY_NOT_LEAVE);
        }
    }

    /// The body of `backpressure.inc` in `instance`: `()`, trapping past 2^16 - 1.
    pub fn backpressure_inc(&self, instance: u32) -> Function {
        let g = self.tables[&instance].backpressure;
        let mut a = Asm::new(0, &[]);
        a.ops(&[I::GlobalGet(g), I::I32Const(0xffff), I::I32Eq]);
        self.trap_if(&mut a, code::BACKPRESSURE_OVERFLOW);
        a.ops(&[
            I::GlobalGet(g),
            I::I32Const(1),
            I::I32Add,
            I::GlobalSet(g),
            I::End,
        ]);
        a.finish()
    }

    /// The body of `backpressure.dec` in `instance`: `()`, trapping below 0; at 0 the
    /// host is woken (a call held back may enter).
    pub fn backpressure_dec(&self, instance: u32) -> Result<Function> {
        let g = self.tables[&instance].backpressure;
        let wake = self
            .wake
            .or_bug("backpressure.dec without the `wake` hook")?;
        let mut a = Asm::new(0, &[]);
        a.ops(&[I::GlobalGet(g), I::I32Eqz]);
        self.trap_if(&mut a, code::BACKPRESSURE_UNDERFLOW);
        a.ops(&[
            I::GlobalGet(g),
            I::I32Const(1),
            I::I32Sub,
            I::GlobalSet(g),
            I::GlobalGet(g),
            I::I32Eqz,
            I::If(BlockType::Empty),
            I::Call(wake),
            I::End,
            I::End,
        ]);
        Ok(a.finish())
    }

    /// The body of `resource.new` of type `ty` in `instance`: `(rep) -> handle`.
    pub fn resource_new(&self, instance: u32, ty: u32) -> Function {
        let t = &self.tables[&instance];
        let mut a = Asm::new(1, &[]);
        self.check_may_leave(&mut a);
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(ty as i32),
            I::I32Const(0),
            I::Call(t.add),
            I::End,
        ]);
        a.finish()
    }

    /// The body of `resource.rep`: `(handle) -> rep`.
    pub fn resource_rep(&self, instance: u32, ty: u32) -> Function {
        let t = &self.tables[&instance];
        let mut a = Asm::new(1, &[]);
        a.ops(&[
            I::LocalGet(0),
            I::I32Const(ty as i32),
            I::Call(t.entry),
            I::I32Load(field(t, REP)),
            I::End,
        ]);
        a.finish()
    }

    /// The body of `resource.drop`: `(handle)`: not lent, removed; an owned handle runs
    /// the destructor — `dtor`, the defining instance's core function (skipped once the
    /// component is poisoned, as the JS destructor returns then; with `catch`, a core
    /// exception it throws is a trap: `catch.rs`), or `host_drop(type, rep)` for a host
    /// resource — and a borrow is one fewer in its scope.
    pub fn resource_drop(&self, instance: u32, ty: u32, dtor: Dtor, catch: bool) -> Function {
        let t = &self.tables[&instance];
        let mut a = Asm::new(1, &[W::I32, W::I32, W::I32]);
        let (addr, rep, scope) = (1, 2, 3);
        self.check_may_leave(&mut a);
        self.unlent_entry(&mut a, t, I::I32Const(ty as i32), addr, code::LENT_DROP);
        a.ops(&[
            I::LocalGet(addr),
            I::I32Load(field(t, REP)),
            I::LocalSet(rep),
            I::LocalGet(addr),
            I::I32Load(field(t, SCOPE)),
            I::LocalSet(scope),
            I::LocalGet(0),
            I::Call(t.remove),
            I::LocalGet(scope),
            I::If(BlockType::Empty),
        ]);
        // A borrow: its scope's count, one fewer.
        self.count_borrow(&mut a, scope, I::I32Sub);
        a.ops(&[I::Else]);
        match dtor {
            Dtor::None => {}
            Dtor::Guest(f) => {
                a.ops(&[
                    I::GlobalGet(self.poisoned),
                    I::I32Eqz,
                    I::If(BlockType::Empty),
                ]);
                if catch {
                    a.ops(&crate::catch::open());
                }
                a.ops(&[I::LocalGet(rep), I::Call(f)]);
                if catch {
                    let exn = a.local(W::EXNREF);
                    a.ops(&crate::catch::close(exn, self.poisoned, self.trap));
                }
                a.ops(&[I::End]);
            }
            Dtor::Host(hook) => a.ops(&[I::I32Const(ty as i32), I::LocalGet(rep), I::Call(hook)]),
        }
        a.ops(&[I::End, I::End]);
        a.finish()
    }
}

/// What dropping an owned handle runs.
#[derive(Clone, Copy)]
pub enum Dtor {
    None,
    /// The defining instance's destructor, a function of the linked module.
    Guest(u32),
    /// The host's `resource-drop` hook.
    Host(u32),
}

/// `(kind) -> handle`: a slot for one of the host's objects, of kind [`HOST_OBJECT`]
/// or [`WAITABLE`] (any other: `unreachable`, a host's bug).
fn table_new(t: &Table) -> Function {
    let mut a = Asm::new(1, &[]);
    a.ops(&[
        I::LocalGet(0),
        I::I32Const(HOST_OBJECT as i32),
        I::I32Ne,
        I::LocalGet(0),
        I::I32Const(WAITABLE as i32),
        I::I32Ne,
        I::I32And,
        I::If(BlockType::Empty),
        I::Unreachable,
        I::End,
        I::I32Const(0),
        I::LocalGet(0),
        I::I32Const(0),
        I::Call(t.add),
        I::End,
    ]);
    a.finish()
}

/// `(handle)`: the slot freed, first of the free list.
fn remove(t: &Table) -> Function {
    let mut a = Asm::new(1, &[W::I32]);
    let addr = 1;
    a.ops(&slot(t, 0));
    a.ops(&[
        I::LocalTee(addr),
        I::I32Const(0),
        I::I32Store(field(t, TYPE)),
        I::LocalGet(addr),
        I::GlobalGet(t.free),
        I::I32Store(field(t, REP)),
        I::LocalGet(0),
        I::GlobalSet(t.free),
        I::End,
    ]);
    a.finish()
}

/// Claims entry `local`, the fresh one the global `next` counts: memory `m` grown so that
/// entries of `unit` bytes up to it fit, and `next` one past it.
fn claim_fresh(a: &mut Asm, m: u32, next: u32, local: u32, unit: i32) {
    ensure(a, m, &[I::LocalGet(local), I::I32Const(1), I::I32Add], unit);
    a.ops(&[
        I::LocalGet(local),
        I::I32Const(1),
        I::I32Add,
        I::GlobalSet(next),
    ]);
}

/// Grows memory `m` so that `count` (the ops push it) × `unit` bytes fit, a page at a
/// time as needed; an engine that cannot grow it traps.
fn ensure(a: &mut Asm, m: u32, count: &[I<'static>], unit: i32) {
    // needed = count * unit (in 64 bits), pages = ceil(needed / 64 KiB).
    let need = a.local(W::I64);
    a.ops(count);
    a.ops(&[
        I::I64ExtendI32U,
        I::I64Const(i64::from(unit)),
        I::I64Mul,
        I::LocalTee(need),
        I::MemorySize(m),
        I::I64ExtendI32U,
        I::I64Const(16),
        I::I64Shl,
        I::I64GtU,
        I::If(BlockType::Empty),
        I::LocalGet(need),
        I::I64Const(0xFFFF),
        I::I64Add,
        I::I64Const(16),
        I::I64ShrU,
        I::I32WrapI64,
        I::MemorySize(m),
        I::I32Sub,
        I::MemoryGrow(m),
        I::I32Const(-1),
        I::I32Eq,
        I::If(BlockType::Empty),
        I::Unreachable,
        I::End,
        I::End,
    ]);
}

/// The address of the slot of the handle in local `h` of table `t` (unchecked).
fn slot(t: &Table, h: u32) -> [I<'static>; 3] {
    [I::LocalGet(h), I::I32Const(t.stride), I::I32Mul]
}

/// Field `off` of a slot of table `t`, its address on the stack.
fn field(t: &Table, off: u32) -> wasm_encoder::MemArg {
    mem(t.memory, t.base + off)
}

/// The export name of a runtime function: `weft:<what>[:<instance>]`.
pub fn export_name(what: &str, instance: Option<u32>) -> String {
    match instance {
        Some(i) => format!("weft:{what}:{i}"),
        None => format!("weft:{what}"),
    }
}

/// `backpressure:<i>`: `() -> i32`, the instance's backpressure counter.
fn backpressure_get(t: &Table) -> Function {
    let mut a = Asm::new(0, &[]);
    a.ops(&[I::GlobalGet(t.backpressure), I::End]);
    a.finish()
}
