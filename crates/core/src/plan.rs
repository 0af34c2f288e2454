//! The instantiation plan: everything the JS backend needs, with the component graph
//! flattened away.
//!
//! A plan is a list of static core modules, a list of host imports, and an ordered list
//! of [`Initializer`]s that instantiate core modules with import objects made of
//! [`CoreDef`]s. Component-level functions are gone: a function imported by a core
//! module is either a core export of another instance or a [`Trampoline`] (a lowered
//! host import, a lowered function lifted by another component instance, or a resource
//! built-in). Exports are lifted core functions with their canonical options.

use crate::abi::Addr;
use crate::types::{FuncTypeId, ResourceIdx, TypeArena, TypeId, ValType};

/// Index of a static core module in [`Plan::modules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleIdx(pub u32);

/// Index of a runtime core instance (one per [`Initializer::Instantiate`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CoreInstanceIdx(pub u32);

/// Index of a runtime component instance; 0 is the root.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentInstanceIdx(pub u32);

/// Index of a trampoline in [`Plan::trampolines`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrampolineIdx(pub u32);

/// Index of a top-level import in [`Plan::imports`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImportIdx(pub u32);

/// A core wasm item (function, memory, table, global or tag) available at runtime.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CoreDef {
    /// An export of a runtime core instance.
    Export {
        instance: CoreInstanceIdx,
        name: String,
    },
    /// A JS function generated for a trampoline.
    Trampoline(TrampolineIdx),
    /// What the host gives core code that weft-lower compiled into a plan's one core
    /// module (its fused adapters).
    Hook(Hook),
}

/// A host hook of core code weft-lower generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    /// `(func (param i32 i32 i32))`: throws weft's `Trap` for a failed check of a fused
    /// adapter or a handle table: a code and two numbers for the message (`weft_lower::code`).
    Trap,
    /// `(global (mut i32))`: the component instance trapped earlier. The host sets it
    /// wherever it poisons the instance; the adapters check it as the JS ones check the
    /// host's flag.
    Poisoned,
    /// `(func (param i32 i32))`: a guest dropped its last own handle of a host resource:
    /// the type (`ResourceIdx + 1`) and the rep; the host runs the resource's destructor.
    ResourceDrop,
    /// `(global (mut i32))`, 1 at first: 0 while a post-return function runs (the spec's
    /// `may_leave`, false): `resource.new` and `resource.drop` then trap. Imported where
    /// the async machinery keeps the flag (the tables hold its objects).
    MayLeave,
    /// `(func)`: the module joined a waitable with an event pending to a set: the host
    /// looks again at what its blocked tasks wait for.
    Wake,
    /// `(func (param i32 i32) (result i32 i32 i32))`: the event pending on waitable
    /// `b` of component instance `a`'s table, delivered: the host makes it (its code,
    /// the waitable's index, its payload), as the spec's pending-event closure does.
    Event,
    /// `(func (param i32 i32 i32 i32 i32) (result i32))`: `(kind, type, from, index,
    /// to) -> index`: a value the host keeps moved by an adapter's movers
    /// ([`Movers`]) from component instance `from`'s table to `to`'s, as the spec's
    /// `lift_stream`/`lower_stream` (kind 0), `lift_future`/`lower_future` (1) of
    /// stream or future type `type` (its [`TypeId`](crate::types::TypeId) number), or
    /// `lift_error_context`/`lower_error_context` (2, type 0) do: the readable end
    /// taken out of `from`'s table or the error context read from it (lifting one
    /// leaves it there), trapping as they do, then given a new index in `to`'s table,
    /// which it returns.
    MoveEnd,
}

/// A static core module extracted from the component.
#[derive(Debug, Clone)]
pub struct Module {
    /// The module's bytes.
    pub bytes: Vec<u8>,
    /// The module defines or imports exception tags: its code can throw core
    /// exceptions, which must not cross the component boundary.
    pub throws: bool,
    /// The module defines or imports a 64-bit memory or table (🐘 memory64).
    pub memory64: bool,
    /// The module defines or imports more than one memory, which engines without
    /// multi-memory (node 20) cannot compile.
    pub multi_memory: bool,
    /// Runs wit-bindgen's async runtime from before 0.59 (`CoreModule::cancels_in_set`),
    /// which (with `inter-task-wakeup`, as the `wasip3` crate uses it) cancels a read
    /// synchronously while the stream is still in its task's waitable set, which the spec traps
    /// (component-model#647; wasmtime since July 2026). A component with such a module
    /// lets the cancel take the end out of the set first, in all of its instances, as
    /// later versions do themselves.
    pub cancels_in_set: bool,
}

/// One step of instantiation, in the order the component defines it.
#[derive(Debug, Clone)]
pub enum Initializer {
    /// Instantiates a core module; `imports` lists `(module, name, item)`.
    Instantiate {
        instance: CoreInstanceIdx,
        module: ModuleRef,
        imports: Vec<(String, String, CoreDef)>,
    },
    /// Instantiates a component the host gives (`component`, a factory with
    /// `instantiate(imports)`) with `args` (its imports, as the component's own
    /// exports would be given to JS; `true` for an instance, whose value is the
    /// namespace object itself, else the value is under `default`); the instance is the
    /// value of the plan's import `instance` (of kind [`ImportKind::Instantiated`]),
    /// whose items are host items.
    InstantiateComponent {
        instance: ImportIdx,
        component: HostRef,
        args: Vec<(String, ExportItem, bool)>,
    },
}

/// The core module a core instance instantiates.
#[derive(Debug, Clone)]
pub enum ModuleRef {
    /// One the component defines.
    Static(ModuleIdx),
    /// One the host gives (a `WebAssembly.Module`): the component imports it, alone or
    /// in an instance. `exports` are the `(name, kind)` pairs its declared type
    /// exports (`function`, `table`, `memory`, `global`, `tag`, as
    /// `WebAssembly.Module.exports` names them), checked when it arrives.
    Host {
        host: HostRef,
        exports: Vec<(String, &'static str)>,
    },
}

/// String encoding of a canonical option set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StringEncoding {
    #[default]
    Utf8,
    Utf16,
    /// `latin1+utf16`, called compact UTF-16 in the binary format.
    CompactUtf16,
}

/// The canonical options of a lift or lower.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct CanonOptions {
    pub memory: Option<CoreDef>,
    pub realloc: Option<CoreDef>,
    pub post_return: Option<CoreDef>,
    pub encoding: StringEncoding,
    /// The `async` option: an async lift or lower (🔀).
    pub is_async: bool,
    /// The `callback` of an async lift; `None` with `is_async` is a stackful lift (🚟).
    pub callback: Option<CoreDef>,
    /// The component instance that owns the core code these options belong to.
    pub instance: ComponentInstanceIdx,
    /// The address type of `memory` (`I32` without one).
    pub addr: Addr,
}

/// A core function lifted to a component function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Lifted {
    pub func: CoreDef,
    pub ty: FuncTypeId,
    pub options: CanonOptions,
}

/// A reference to a host-provided item: an import plus a path through instance exports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostRef {
    pub import: ImportIdx,
    pub path: Vec<String>,
}

/// A JS function that core wasm imports.
#[derive(Debug, Clone)]
pub enum Trampoline {
    /// A host function lowered into core wasm.
    LowerHost {
        callee: HostRef,
        ty: FuncTypeId,
        options: CanonOptions,
    },
    /// A function lifted by one component instance, lowered into another: a fused
    /// adapter that copies memory to memory.
    Adapter {
        callee: Lifted,
        options: CanonOptions,
    },
    /// `resource.new` for a resource defined by `instance`.
    ResourceNew {
        resource: ResourceIdx,
        instance: ComponentInstanceIdx,
    },
    /// `resource.rep`.
    ResourceRep {
        resource: ResourceIdx,
        instance: ComponentInstanceIdx,
    },
    /// `resource.drop`.
    ResourceDrop {
        resource: ResourceIdx,
        instance: ComponentInstanceIdx,
    },
    /// A concurrency built-in (🔀 and friends) called by code of `instance`.
    Builtin {
        builtin: Builtin,
        instance: ComponentInstanceIdx,
    },
    /// A fused adapter weft-lower compiled into the plan's one core module: nothing
    /// outside it calls or imports it.
    InCore,
}

/// Whether a stream/future built-in works on a stream or a future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AsyncKind {
    Stream,
    Future,
}

/// A concurrency built-in. `ty` names the `stream<T>`/`future<T>` type (a
/// [`crate::types::TypeDef::Stream`] or [`crate::types::TypeDef::Future`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `context.get T slot`, `T` `i32` or (🐘) `i64`.
    ContextGet(Addr, u32),
    /// `context.set T slot`.
    ContextSet(Addr, u32),
    BackpressureInc,
    BackpressureDec,
    /// `task.return` with the result type it delivers and its lift options.
    TaskReturn {
        result: Option<ValType>,
        options: CanonOptions,
    },
    TaskCancel,
    ThreadYield,
    /// 🧵 `thread.index`: the running thread's index in its instance's thread table.
    ThreadIndex,
    /// 🧵 `thread.new-indirect`: a new, suspended thread that will run element `fi` of
    /// `table` (a core function of one `i32` or `i64`) with the closure argument. A
    /// 64-bit table's index arrives as a BigInt, which the runtime goes by.
    ThreadNewIndirect {
        table: CoreDef,
        /// The start function's parameter, the closure argument: `i32` or (🐘) `i64`.
        closure: Addr,
    },
    /// 🧵 `thread.resume-later`: makes a suspended thread ready.
    ThreadResumeLater,
    /// 🧵 `thread.suspend`: suspends the running thread.
    ThreadSuspend,
    /// 🧵 `thread.{suspend,yield}-then-{resume,promote}`: the running thread suspends
    /// (or, with `yield_`, stays ready) and switches to another thread: one that is
    /// suspended (`resume`), or one that is ready, else none (`promote`).
    ThreadSwitch {
        yield_: bool,
        promote: bool,
    },
    WaitableSetNew,
    WaitableSetWait {
        memory: CoreDef,
        addr: Addr,
    },
    WaitableSetPoll {
        memory: CoreDef,
        addr: Addr,
    },
    WaitableSetDrop,
    WaitableJoin,
    SubtaskCancel {
        is_async: bool,
    },
    SubtaskDrop,
    /// `stream.new` / `future.new`.
    New {
        kind: AsyncKind,
        ty: TypeId,
    },
    /// `stream.read` / `future.read` (`write` false) and `.write` (`write` true).
    Copy {
        kind: AsyncKind,
        ty: TypeId,
        write: bool,
        options: CanonOptions,
    },
    /// `.cancel-read` / `.cancel-write`.
    CancelCopy {
        kind: AsyncKind,
        ty: TypeId,
        write: bool,
        is_async: bool,
    },
    /// `.drop-readable` / `.drop-writable`.
    Drop {
        kind: AsyncKind,
        ty: TypeId,
        writable: bool,
    },
    /// `stream.forward` / `future.forward` (➡️).
    Forward {
        kind: AsyncKind,
        ty: TypeId,
    },
    ErrorContextNew {
        options: CanonOptions,
    },
    ErrorContextDebugMessage {
        options: CanonOptions,
    },
    ErrorContextDrop,
}

impl Builtin {
    /// Whether a call may block the calling thread (and so may need JSPI).
    pub fn may_block(&self) -> bool {
        match self {
            Self::WaitableSetWait { .. } | Self::ThreadYield => true,
            Self::ThreadSuspend | Self::ThreadSwitch { .. } => true,
            Self::SubtaskCancel { .. } => true,
            Self::CancelCopy { is_async, .. } => !is_async,
            Self::Copy { options, .. } => !options.is_async,
            _ => false,
        }
    }

    /// Whether it is one of the 🧵 cooperative-thread built-ins (other than
    /// `thread.yield`, which every async component may use): a component instance that
    /// has one may switch between stacks anywhere, so every lift of it is entered
    /// through JSPI.
    pub fn is_thread(&self) -> bool {
        matches!(
            self,
            Self::ThreadIndex
                | Self::ThreadNewIndirect { .. }
                | Self::ThreadResumeLater
                | Self::ThreadSuspend
                | Self::ThreadSwitch { .. }
        )
    }
}

/// A runtime resource type.
#[derive(Debug, Clone)]
pub enum Resource {
    /// Defined by a `(type (resource ...))` in a component instance.
    Defined {
        instance: ComponentInstanceIdx,
        dtor: Option<CoreDef>,
        /// Name for diagnostics and classes (the export name if exported).
        name: String,
        /// Its rep is an `i64` (🐘 `(rep i64)`), not an `i32`.
        wide: bool,
    },
    /// Imported from the host.
    Host { host: HostRef },
}

/// The kind of a top-level import.
#[derive(Debug, Clone)]
pub enum ImportKind {
    /// A function import.
    Func(FuncTypeId),
    /// An instance import: the functions and resource types it exports, as used.
    Instance,
    /// A resource type import.
    Type,
    /// A core module import: a `WebAssembly.Module` from the host.
    Module,
    /// A component import: a component factory from the host (`{ instantiate }`).
    Component,
    /// Not an import of the component: an instance of an imported component, made by
    /// an [`Initializer::InstantiateComponent`], whose items are reached as a host
    /// instance's are.
    Instantiated,
}

/// A top-level import of the component.
#[derive(Debug, Clone)]
pub struct Import {
    pub name: String,
    pub kind: ImportKind,
}

/// An exported item.
#[derive(Debug, Clone)]
pub enum ExportItem {
    Func(Lifted),
    Instance(Vec<(String, ExportItem)>),
    Resource(ResourceIdx),
    /// A function the component re-exports straight from its imports.
    HostFunc(HostRef, FuncTypeId),
    /// An instance or a core module the component re-exports straight from its
    /// imports: the host's value itself.
    HostValue(HostRef),
    /// A core module the component defines, exported: a `WebAssembly.Module` in JS.
    Module(ModuleIdx),
    /// A component the component defines, exported: [`Plan::components`]`[i]`, which
    /// the host can instantiate, any number of times, with imports of its own.
    Component(u32),
}

/// The flattened component.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub types: TypeArena,
    pub modules: Vec<Module>,
    pub imports: Vec<Import>,
    pub resources: Vec<Resource>,
    pub trampolines: Vec<Trampoline>,
    pub initializers: Vec<Initializer>,
    pub exports: Vec<(String, ExportItem)>,
    /// Number of runtime component instances (root included).
    pub component_instances: u32,
    /// Number of runtime core instances.
    pub core_instances: u32,
    /// The component definitions the root exports ([`ExportItem::Component`]), each
    /// flattened as a root of its own: its imports are what the host passes when it
    /// instantiates the exported component.
    pub components: Vec<Plan>,
    /// A core function to call once every core instance exists, before anything else
    /// runs: the start sequence of a plan whose instances are linked into one module
    /// (weft-lower, which moves the instances' segments and start functions there).
    pub init: Option<CoreDef>,
    /// The component instances' handle tables, when they are core wasm (weft-lower):
    /// the functions the glue calls instead of keeping the tables in JS.
    pub handles: Option<CoreHandles>,
    /// The fused adapters of an async component whose values a core function of the
    /// plan's one module moves (weft-lower), by trampoline index: the glue (or a host)
    /// runs the call's subtask and task, and calls them to move the values.
    pub movers: std::collections::BTreeMap<u32, Movers>,
}

/// The two halves of a fused adapter between components of an async component, as core
/// functions (weft-lower): the call itself — its subtask in the caller, its task in the
/// callee, the callee's callback loop — is the glue's, which calls these when the
/// callee starts and when it returns.
#[derive(Debug, Clone)]
pub struct Movers {
    /// `(the caller's core parameters) -> (the callee's)`: the parameters lifted from
    /// the caller (its flat values, or its spilled tuple) and lowered into the callee
    /// (flat values, or past 16 a tuple the callee's `realloc` allocated); `None` for a
    /// function without parameters.
    pub params: Option<CoreDef>,
    /// The parameters' mover takes one more parameter, last: the call's borrow scope
    /// (`CoreHandles::begin_call`), for the borrows it lends the callee, which
    /// `task.return` checks (`scope_borrows`) and the delivery of the subtask's result
    /// ends (`release_lends`).
    pub scope: bool,
    /// `(the callee's result values, [the caller's out-pointer]) -> (the caller's flat
    /// result)`: the result, from `task.return`'s parameters (a callee lifted `async`)
    /// or the callee's core result (a sync lift), lifted from the callee and lowered
    /// into the caller; `None` for a function without a result.
    pub result: Option<CoreDef>,
}

/// Handle tables kept in a plan's one core module (weft-lower), with the borrow scopes
/// of calls: what the glue (or a host) calls to move a handle into or out of a
/// component instance's table. A resource type is named by its [`ResourceIdx`] + 1.
#[derive(Debug, Clone)]
pub struct CoreHandles {
    /// Per component instance, its table's functions (`None`: it has none).
    pub tables: Vec<Option<TableFns>>,
    /// `() -> scope`: opens a call's borrow scope (a `CallContext` of the JS runtime),
    /// returning its number.
    pub begin_call: CoreDef,
    /// `(scope)`: closes the scope: traps if borrows lowered in it remain, then ends the
    /// lends of the handles lifted as borrows in it.
    pub end_call: CoreDef,
    /// `(scope) -> count`: the borrow handles lowered in the scope and not yet dropped
    /// (a task's `num_borrows`, which `task.return` checks).
    pub scope_borrows: CoreDef,
    /// `(scope)`: ends the scope's lends and closes it without checking its borrows
    /// (a subtask's `deliver_resolve`, after its task checked them).
    pub release_lends: CoreDef,
    /// Whether the tables hold the async machinery's objects too (with
    /// [`TableFns::table_new`] and the others, and the two functions above).
    pub host_objects: bool,
    /// The component instances whose code calls `backpressure.dec`, a function of the
    /// module (its trampoline is [`Trampoline::InCore`]): what the host's deadlock
    /// check asks of an instance, whether a call may lower its backpressure.
    pub lowers_backpressure: Vec<u32>,
}

/// The functions of one component instance's handle table in core wasm, each taking
/// the resource type (`ResourceIdx + 1`) last and trapping as the spec does.
#[derive(Debug, Clone)]
pub struct TableFns {
    /// `lift_own(handle, type) -> rep`: the handle removed.
    pub lift_own: CoreDef,
    /// `lift_borrow(handle, type, scope) -> rep`: the handle lent until the scope ends.
    pub lift_borrow: CoreDef,
    /// `lower_own(rep, type) -> handle`.
    pub lower_own: CoreDef,
    /// `lower_borrow(rep, type, scope) -> handle`: a borrow handle of the scope.
    pub lower_borrow: CoreDef,
    /// `table_new() -> handle`: a slot for an object the host keeps (a waitable, a
    /// waitable set, a subtask, a stream or future end, an error context).
    pub table_new: CoreDef,
    /// `table_kind(handle) -> type`: traps for an unknown handle; the resource type
    /// of a resource handle, [`HOST_OBJECT`] for the host's.
    pub table_kind: CoreDef,
    /// `table_remove(handle)`: frees a host object's slot (traps for an unknown handle),
    /// a waitable's taken out of its set first.
    pub table_remove: CoreDef,
    /// The waitable state the table keeps (the host's objects' slots of kind
    /// [`WAITABLE`] and [`WAITABLE_SET`]).
    pub waitables: WaitableFns,
    /// `backpressure() -> i32`: the instance's backpressure counter, which
    /// `backpressure.inc`/`.dec` move in the module; no task enters while it is above 0.
    pub backpressure: CoreDef,
}

/// The functions of one component instance's waitable state in core wasm (which
/// waitable is in which set, which has an event pending, which a synchronous call waits
/// on, how many tasks wait on a set), for the host; each checks the handle's kind.
#[derive(Debug, Clone)]
pub struct WaitableFns {
    /// `pend(waitable, pending)`: whether the waitable has an event pending (its
    /// payload stays with the host, which the `event` hook asks for it on delivery).
    pub pend: CoreDef,
    /// `sync(waitable, waiting)`: whether a synchronous call waits on it.
    pub sync: CoreDef,
    /// `set_of(waitable) -> set`: the set it is in (0: none).
    pub set_of: CoreDef,
    /// `leave(waitable)`: takes it out of its set.
    pub leave: CoreDef,
    /// `ready(set) -> i32`: whether a waitable of the set has an event pending.
    pub ready: CoreDef,
    /// `take(set) -> waitable`: the longest-joined waitable of the set with an event
    /// pending, no longer pending (0: none).
    pub take: CoreDef,
    /// `wait(set, delta)`: one more (1) or one fewer (-1) task waiting on the set.
    pub wait: CoreDef,
}

/// The type [`TableFns::table_kind`] gives a slot that holds a host object that is not
/// a waitable (an error context).
pub const HOST_OBJECT: u32 = 0xFFFF;
/// The type of a slot that holds a waitable (a subtask, a stream or future end): its
/// set, pending event and synchronous waiter are the module's, the object the host's.
pub const WAITABLE: u32 = 0xFFFE;
/// The type of a slot that holds a waitable set (the module's alone).
pub const WAITABLE_SET: u32 = 0xFFFD;

impl Plan {
    /// Whether the plan uses component-model async anywhere: a concurrency built-in, an
    /// `async` option, an `async` function type, or a stream/future/error-context value.
    pub fn uses_async(&self) -> bool {
        let func_async = |f: FuncTypeId| self.types.func_uses_async(self.types.func(f));
        let trampolines = self.trampolines.iter().any(|t| match t {
            Trampoline::Builtin { .. } => true,
            Trampoline::LowerHost { ty, options, .. } => options.is_async || func_async(*ty),
            Trampoline::Adapter { callee, options } => {
                options.is_async || callee.options.is_async || func_async(callee.ty)
            }
            _ => false,
        });
        fn export_async(item: &ExportItem, f: &dyn Fn(FuncTypeId) -> bool) -> bool {
            match item {
                ExportItem::Func(l) => l.options.is_async || f(l.ty),
                ExportItem::HostFunc(_, ty) => f(*ty),
                ExportItem::Instance(items) => items.iter().any(|(_, i)| export_async(i, f)),
                ExportItem::Resource(_)
                | ExportItem::HostValue(_)
                | ExportItem::Module(_)
                | ExportItem::Component(_) => false,
            }
        }
        trampolines
            || self
                .exports
                .iter()
                .any(|(_, i)| export_async(i, &func_async))
    }

    /// How messages (and `--async-imports` patterns) name the host item `h`: its
    /// import's name, then the path into it, `#`-separated (`wasi:io/streams@0.2.0#read`).
    pub fn host_label(&self, h: &HostRef) -> String {
        let mut s = self.imports[h.import.0 as usize].name.clone();
        for p in &h.path {
            s.push('#');
            s.push_str(p);
        }
        s
    }

    /// How messages name a resource type: a guest resource by its name, a host one as
    /// [`Plan::host_label`] names it.
    pub fn resource_label(&self, r: &Resource) -> String {
        match r {
            Resource::Defined { name, .. } => name.clone(),
            Resource::Host { host } => self.host_label(host),
        }
    }
}
