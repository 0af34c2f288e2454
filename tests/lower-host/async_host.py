"""The part of a host that runs component-model async for a lowered component (docs/lower.md,
"Async: the built-ins as host intrinsics"): subtasks of the host's async imports and of
calls between the component's components (the `adapter` intrinsic, whose values the
module's movers move), stream and future ends (kept in the module's handle tables,
`CoreTable`, which also keep the waitable sets and which waitable is in which with an event
pending), task context and the callback ABI's event loop of each task, as the Canonical
ABI's definitions.py defines them. It implements the built-ins tests/cases/yield-loop,
async-calls and the WASI 0.3 program tests/wasi-p3-programs/hello use, with the host
reading the streams and writing the futures it is given; any other intrinsic the JSON lists
traps when called, naming itself, and so does a copy this host does not implement (between
two guest ends).

The host reads nothing but the JSON: which imports are intrinsics (of which instance's table,
of which stream or future type, through which memory), which host functions are async,
which export is async and what its callback is; the Canonical ABI's codes it uses are
checked against the JSON's "codes".
"""
import json

import wasmtime

# definitions.py: CallbackCode, EventCode, Subtask.State, CopyResult, BLOCKED
EXIT, YIELD, WAIT = 0, 1, 2
EVENT_NONE, EVENT_SUBTASK, EVENT_STREAM_READ, EVENT_STREAM_WRITE = 0, 1, 2, 3
EVENT_FUTURE_READ, EVENT_FUTURE_WRITE = 4, 5
STARTED, RETURNED = 1, 2
COMPLETED, DROPPED = 0, 1
BLOCKED = 0xFFFF_FFFF
IDLE, COPYING, DONE = "idle", "copying", "done"


class AsyncTrap(Exception):
    """A trap the Canonical ABI requires (the host's own check of a built-in call)."""


HOST_OBJECT, WAITABLE, WAITABLE_SET = 0xFFFF, 0xFFFE, 0xFFFD


class CoreTable:
    """A component instance's table, which the module keeps (the JSON's
    `handles.tables`): it numbers the slots, holds the resource handles and checks every
    index, trapping through the `trap` hook, and keeps the waitable sets, which waitable
    is in which and which has an event pending; the host's objects — subtasks, stream
    and future ends — sit in `objects` at their handle, with their pending events."""

    def __init__(self, component, instance):
        fns = component.abi["handles"]["tables"][str(instance)]
        self.store = component.store
        f = {name: component.exports[export] for name, export in fns.items()}
        self.new, self.kind, self.free = f["table-new"], f["table-kind"], f["table-remove"]
        self.fns = f
        self.objects = {}

    def add(self, e):
        i = self.new(self.store, WAITABLE if isinstance(e, Waitable) else HOST_OBJECT)
        self.objects[i] = e
        e.index, e.table = i, self
        return i

    def get(self, i, kind, what):
        if self.kind(self.store, i) not in (HOST_OBJECT, WAITABLE) or not isinstance(self.objects.get(i), kind):
            raise AsyncTrap(f"index {i} is not a {what}")
        return self.objects[i]

    def call(self, name, *args):
        """One of the waitable state's functions (`waitable-pend`, `set-take`, ...)."""
        return self.fns[name](self.store, *args)

    def remove(self, i, kind, what):
        e = self.get(i, kind, what)
        self.free(self.store, i)
        del self.objects[i]
        return e

    def empty(self):
        return not self.objects


class Waitable:
    def __init__(self):
        self.event = None  # (code, payload) pending
        self.table = None

    def set_event(self, event):
        """An event pending: its payload here, the flag in the module's table."""
        self.event = event
        self.table.call("waitable-pend", self.index, 1)

    def take_event(self):
        """The pending event, delivered: (code, payload)."""
        event, self.event = self.event, None
        return event


class Subtask(Waitable):
    def __init__(self, on_resolve_delivered=None):
        super().__init__()
        self.state = STARTED
        # `deliver_resolve`: what ends when the caller has the result (the call's lends).
        self.on_resolve_delivered = on_resolve_delivered

    def take_event(self):
        event = super().take_event()
        if self.state == RETURNED and self.on_resolve_delivered is not None:
            self.on_resolve_delivered()
            self.on_resolve_delivered = None
        return event


class End(Waitable):
    """One end of a stream or future. `other` is the other end: another `End` in a guest
    table, or for an end the host holds, the host's side (`HostReader`, `HostFuture`)."""

    def __init__(self, kind, readable, ty, type_index=None):
        super().__init__()
        self.kind, self.readable, self.type = kind, readable, ty
        self.type_index = type_index
        self.state = IDLE
        self.other = None
        self.pending = None  # a blocked future read: (its intrinsic's entry, ptr)

    def what(self):
        return f"{self.kind} {'readable' if self.readable else 'writable'} end"

    def code(self):
        return {("stream", True): EVENT_STREAM_READ, ("stream", False): EVENT_STREAM_WRITE,
                ("future", True): EVENT_FUTURE_READ, ("future", False): EVENT_FUTURE_WRITE}[(self.kind, self.readable)]


class HostReader:
    """The host's side of a stream the guest writes: it takes everything at once."""

    def __init__(self, on_close):
        self.data = bytearray()
        self.closed = False
        self.on_close = on_close


class HostFuture:
    """The host's side of a future the guest reads: the value's bytes once written."""

    def __init__(self):
        self.value = None


class Task:
    """A task: of an export the host called (its result kept), or of a callee of the
    `adapter` intrinsic (`on_return` moves its result into the caller)."""

    def __init__(self, on_return=None):
        self.result = None
        self.returned = False
        self.context = [0, 0]
        self.on_return = on_return


class Running:
    """A callback-ABI task between two turns of its loop: its last callback code, the
    table its waitable sets are in, its callback."""

    def __init__(self, task, packed, table, callback):
        self.task, self.packed, self.table, self.callback = task, packed, table, callback


class Async:
    """An async host import: done after `turns` turns of the host's event loop."""

    def __init__(self, turns, f):
        self.turns, self.f = turns, f


class AsyncComponent:
    """One instance of a lowered async component. `host_funcs[function]` is an `Async`
    (a host function lowered `async`) or a Python function of the component and the
    flat arguments (a synchronous one)."""

    def __init__(self, out, name, host_funcs):
        self.abi = json.loads((out / f"{name}.json").read_text())
        assert self.abi["async"], "the JSON says the host runs no async machinery"
        codes = self.abi["codes"]
        for group, code, value in [
            ("callback", "exit", EXIT), ("callback", "yield", YIELD), ("callback", "wait", WAIT),
            ("event", "none", EVENT_NONE), ("event", "subtask", EVENT_SUBTASK),
            ("event", "stream-read", EVENT_STREAM_READ), ("event", "stream-write", EVENT_STREAM_WRITE),
            ("event", "future-read", EVENT_FUTURE_READ), ("event", "future-write", EVENT_FUTURE_WRITE),
            ("subtask", "started", STARTED), ("subtask", "returned", RETURNED),
            ("copy", "completed", COMPLETED), ("copy", "dropped", DROPPED), ("copy", "blocked", BLOCKED),
        ]:
            assert codes[group][code] == value, f"the JSON's {group} code {code} is {codes[group][code]}"
        config = wasmtime.Config()
        config.wasm_multi_memory = True
        engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        self.tables = {}
        self.task = None
        self.running = []  # callees of `adapter` calls waiting between callbacks
        self.hooks(linker)
        self.timers = []  # [turns left, subtask]
        self.turns = 0
        for imp in self.abi["imports"]:
            f = host_funcs[imp["function"]]
            if imp["async"]:
                self.define(linker, imp, self.async_import(imp, f))
            else:
                self.define(linker, imp, lambda *a, f=f, imp=imp: f(self, imp, *a))
        for e in self.abi["intrinsics"]:
            impl = getattr(self, e["intrinsic"].replace(".", "_").replace("-", "_"), None)
            self.define(linker, e, self.intrinsic(e, impl))
        module = wasmtime.Module(engine, (out / f"{name}.wasm").read_bytes())
        self.instance = linker.instantiate(self.store, module)
        self.exports = self.instance.exports(self.store)
        if self.abi["init"]:
            self.exports[self.abi["init"]](self.store)

    def hooks(self, linker):
        """The module's hooks: `trap` raises (code 14: an unknown handle, from the
        tables), `poisoned` is set after a trap; host resources' drops are recorded."""
        hooks = self.abi["hooks"]
        if not hooks:
            return
        i32 = wasmtime.ValType.i32()

        def event(instance, w):
            """The module delivers waitable w's pending event (waitable-set.poll)."""
            code, payload = self.tables[instance].objects[w].take_event()
            return [code, w, payload]

        names = {c: n for n, c in hooks["trap"]["codes"].items()}

        def trap(code, a, b):
            self.poisoned.set_value(self.store, wasmtime.Val.i32(1))
            if code == 14:
                raise AsyncTrap(f"unknown handle index {a & 0xFFFFFFFF}")
            raise AsyncTrap(f"trap {names.get(code, code)} ({a}, {b})")

        linker.define_func(hooks["trap"]["module"], "trap", wasmtime.FuncType([i32, i32, i32], []), trap)
        self.poisoned = wasmtime.Global(self.store, wasmtime.GlobalType(i32, True), wasmtime.Val.i32(0))
        linker.define(self.store, hooks["poisoned"]["module"], "poisoned", self.poisoned)
        if hooks.get("may-leave"):
            # No post-return runs in this host's components: the flag stays 1.
            flag = wasmtime.Global(self.store, wasmtime.GlobalType(i32, True), wasmtime.Val.i32(1))
            linker.define(self.store, hooks["may-leave"]["module"], "may-leave", flag)
            # This host looks at its tasks' sets after every callback: nothing to wake.
            linker.define_func(hooks["wake"]["module"], "wake", wasmtime.FuncType([], []), lambda: None)
            linker.define_func(hooks["event"]["module"], "event", wasmtime.FuncType([i32, i32], [i32, i32, i32]), event)
        if hooks.get("move-end"):
            h = hooks["move-end"]
            linker.define_func(h["module"], h["name"], wasmtime.FuncType([i32] * 5, [i32]), self.move_end)
        self.dropped = []
        if hooks.get("resource-drop"):
            drop = hooks["resource-drop"]
            linker.define_func(drop["module"], drop["name"], wasmtime.FuncType([i32, i32], []),
                               lambda ty, rep: self.dropped.append((ty, rep)))

    def define(self, linker, entry, f):
        kinds = {"i32": wasmtime.ValType.i32(), "i64": wasmtime.ValType.i64()}
        ty = wasmtime.FuncType([kinds[p] for p in entry["params"]], [kinds[r] for r in entry["results"]])
        linker.define_func(entry["module"], entry["name"], ty, f)

    def table(self, instance):
        if instance not in self.tables:
            self.tables[instance] = CoreTable(self, instance)
        return self.tables[instance]

    def memory(self, entry):
        return self.exports[entry["memory"]]

    def intrinsic(self, entry, impl):
        name = entry["intrinsic"]

        def call(*args):
            if impl is None:
                raise AsyncTrap(f"this host does not implement `{name}`")
            return impl(entry, self.table(entry["instance"]), *args)

        return call

    def async_import(self, entry, a):
        """`canon lower async` of a host function that takes `a.turns` turns of the event
        loop: STARTED with a subtask in the instance's table (RETURNED at once if 0)."""

        def lower(*args):
            a.f(*args)
            if a.turns == 0:
                return RETURNED
            sub = Subtask()
            i = self.table(entry["instance"]).add(sub)
            self.timers.append([a.turns, sub])
            return STARTED | (i << 4)

        return lower

    def tick(self):
        """One turn of the host's event loop: host calls finish when their time is up,
        then each callee task that yielded, or waits on a set with an event, runs its
        callback once."""
        self.turns += 1
        for t in self.timers:
            t[0] -= 1
            if t[0] == 0:
                t[1].state = RETURNED
                t[1].set_event((EVENT_SUBTASK, RETURNED))
        self.timers = [t for t in self.timers if t[0] > 0]
        for r in list(self.running):
            event = self.next_event(r.table, r.packed, wait=False)
            if event is not None:
                r.packed = self.as_task(r.task, lambda: self.exports[r.callback](self.store, *event))
                if r.packed & 0xF == EXIT:
                    self.running.remove(r)
                    self.exit(r.task)

    def as_task(self, task, f):
        """Runs `f` as `task` (for context.get/set and task.return)."""
        outer, self.task = self.task, task
        try:
            return f()
        finally:
            self.task = outer

    @staticmethod
    def exit(task):
        if not task.returned:
            raise AsyncTrap("the task exited without calling task.return")

    def next_event(self, table, packed, wait):
        """The event a task's callback is called with after returning `packed`: none
        after YIELD, the set's next one after WAIT; None while its set has none ready
        (with `wait`, the host's event loop turns until one is)."""
        code, payload = packed & 0xF, packed >> 4
        if code == YIELD:
            return (EVENT_NONE, 0, 0)
        if code != WAIT:
            raise AsyncTrap(f"unsupported callback code {code}")
        if table.kind(self.store, payload) != WAITABLE_SET:
            raise AsyncTrap(f"index {payload} is not a waitable set")
        while not table.call("set-ready", payload):
            if not wait:
                return None
            if not self.timers and not self.running:
                raise AsyncTrap("deadlock: the task waits on a set no event can reach")
            self.tick()
        w = table.objects[table.call("set-take", payload)]
        code_, p = w.take_event()
        return (code_, w.index, p)

    def run(self, function, *args):
        """Calls an async export and runs its task to the end (the callback loop of
        `canon lift` with a callback); returns what it gave `task.return`."""
        e = next(x for x in self.abi["exports"] if x["function"] == function)
        assert e["async"] and e["callback"], f"{function} is not a callback-ABI export"
        table = self.table(e["instance"])
        self.enter(table, function)
        self.task = Task()
        packed = self.exports[e["export"]](self.store, *args)
        while packed & 0xF != EXIT:
            if packed & 0xF == YIELD:
                self.tick()
            event = self.next_event(table, packed, wait=True)
            packed = self.exports[e["callback"]](self.store, *event)
        self.exit(self.task)
        return self.task.result

    @staticmethod
    def enter(table, function):
        """A task entering an async export of `table`'s instance, whose backpressure the
        module keeps (backpressure.inc/.dec): this host holds no call back to run later,
        it refuses one that would wait."""
        if table.call("backpressure") > 0:
            raise AsyncTrap(f"{function} cannot enter: the instance's backpressure is raised")

    # --- calls between the component's components --------------------------------------
    def adapter(self, entry, table, *args):
        """`canon lower` (async or not) of another component's `canon lift`: the callee's
        task starts at once (this host runs one callback at a time, so the exclusive lock
        is free), its parameters moved by the module ("params-mover", given the call's
        borrow scope with "params-scope"); its result, when it returns, moved into the
        caller by "result-mover" (through the out-pointer, the intrinsic's last
        parameter, when it has one). A sync lift (from a sync caller) returns at once,
        its post-return called after. Async: RETURNED if it returned at once, else
        STARTED with a subtask in the caller's table, which the callee's return
        resolves; the call's lends end when the caller has the result."""
        if entry["callee-async"] != entry["async"]:
            raise AsyncTrap("this host runs no sync calls of async callees (or the other way)")
        callee_table = self.table(entry["callee-instance"])
        if entry["callee-async"]:
            self.enter(callee_table, entry["callee"])
        scopes = self.abi["handles"]
        scope = self.exports[scopes["begin-call"]](self.store) if entry["params-scope"] else None

        def end_lends():
            if scope is not None:
                self.exports[scopes["release-lends"]](self.store, scope)

        sub = Subtask(end_lends)
        extra = args[-1:] if entry["out-pointer"] else ()

        def on_return(flat):
            if scope is not None and self.exports[scopes["scope-borrows"]](self.store, scope) != 0:
                raise AsyncTrap("borrow handles still remain at the end of the call")
            mover = entry["result-mover"]
            task.result = self.exports[mover](self.store, *flat, *extra) if mover else None
            sub.state = RETURNED
            if sub.table is not None:
                sub.set_event((EVENT_SUBTASK, RETURNED))

        task = Task(on_return)
        mover = entry["params-mover"]
        params = self.exports[mover](self.store, *args, *([scope] if scope is not None else [])) if mover else []
        params = params if isinstance(params, list) else [params]
        packed = self.as_task(task, lambda: self.exports[entry["callee"]](self.store, *params))
        if not entry["callee-async"]:
            task.returned = True
            on_return([] if packed is None else [packed])
            if entry["post-return"]:
                self.exports[entry["post-return"]](self.store, *([] if packed is None else [packed]))
            end_lends()
            return task.result
        if packed & 0xF == EXIT:
            self.exit(task)
        else:
            self.running.append(Running(task, packed, callee_table, entry["callback"]))
        if task.returned:
            end_lends()
            return RETURNED
        return STARTED | (table.add(sub) << 4)

    def move_end(self, kind, ty, frm, i, to):
        """The `move-end` hook: a readable stream or future end from instance `frm`'s
        table to `to`'s (lift_stream/lower_stream and the future's)."""
        kinds = {v: k for k, v in self.abi["hooks"]["move-end"]["kinds"].items()}
        if kinds[kind] not in ("stream", "future"):
            raise AsyncTrap(f"this host moves no {kinds[kind]}")
        src = self.table(frm)
        end = src.get(i, End, f"{kinds[kind]} end")
        if end.kind != kinds[kind] or not end.readable or end.type_index != ty:
            raise AsyncTrap(f"index {i} is not a readable {kinds[kind]} end of type {ty}")
        if end.state != IDLE or src.call("waitable-set-of", i) != 0:
            raise AsyncTrap(f"cannot pass a {kinds[kind]} end that is busy or in a waitable set")
        src.remove(i, End, f"{kinds[kind]} end")
        return self.table(to).add(end)

    # --- what host functions do with stream and future ends --------------------------------
    def take_readable_stream(self, instance, i, ty, on_close):
        """A `stream<T>` parameter: the readable end moves out of the caller's table; the
        host reads it (a `HostReader`)."""
        end = self.table(instance).get(i, End, "stream end")
        if end.kind != "stream" or not end.readable or end.type != ty:
            raise AsyncTrap(f"index {i} is not a readable end of a {ty}")
        if end.state != IDLE or self.table(instance).call("waitable-set-of", i) != 0:
            raise AsyncTrap("cannot pass a stream end that is busy or in a waitable set")
        self.table(instance).remove(i, End, "stream end")
        writer = end.other
        reader = HostReader(on_close)
        writer.other = reader
        return reader

    def new_host_future(self, instance, ty):
        """A `future<T>` result: a readable end in the caller's table, the host's side
        (`HostFuture`) written later with `resolve_future`."""
        end = End("future", True, ty)
        end.other = HostFuture()
        self.table(instance).add(end)
        return end

    def resolve_future(self, end, value: bytes):
        end.other.value = value
        if end.pending is not None:
            entry, ptr = end.pending
            end.pending = None
            self.memory(entry).write(self.store, value, ptr)
            end.state = DONE
            end.set_event((end.code(), COMPLETED))

    # --- the built-ins (definitions.py's canon_* of the same name) ---------------------
    def context_get(self, entry, table):
        return self.task.context[entry["slot"]]

    def context_set(self, entry, table, v):
        self.task.context[entry["slot"]] = v

    def task_return(self, entry, table, *flat):
        if self.task.returned:
            raise AsyncTrap("task.return called twice")
        if self.task.on_return is not None:
            # A callee of the `adapter` intrinsic: the module moves the result.
            self.task.returned = True
            self.task.on_return(flat)
            return
        if entry["result"] == "string" and not entry["params-through-pointer"]:
            ptr, n = flat
            self.task.returned = True
            self.task.result = bytes(self.memory(entry).read(self.store, ptr, ptr + n)).decode()
            return
        if entry["params-through-pointer"] or len(flat) > 1:
            raise AsyncTrap(f"this host lifts no `{entry['result']}` results")
        self.task.returned = True
        self.task.result = (flat[0] & 0xFFFFFFFF) if flat else None

    def subtask_drop(self, entry, table, i):
        sub = table.get(i, Subtask, "subtask")
        if sub.state != RETURNED or sub.event is not None:
            raise AsyncTrap("cannot drop a subtask that has not resolved")
        table.remove(i, Subtask, "subtask")

    def new_pair(self, entry, table, kind):
        ty = (entry["type"], entry["type-index"])
        r, w = End(kind, True, *ty), End(kind, False, *ty)
        r.other, w.other = w, r
        return table.add(r) | (table.add(w) << 32)

    def stream_new(self, entry, table):
        return self.new_pair(entry, table, "stream")

    def future_new(self, entry, table):
        return self.new_pair(entry, table, "future")

    def end(self, entry, table, i, kind, readable):
        e = table.get(i, End, f"{kind} end")
        if e.kind != kind or e.readable != readable or e.type != entry["type"]:
            raise AsyncTrap(f"index {i} is not a {kind} {'readable' if readable else 'writable'} end of a {entry['type']}")
        return e

    def stream_write(self, entry, table, i, ptr, n):
        e = self.end(entry, table, i, "stream", False)
        if e.state != IDLE:
            raise AsyncTrap("the stream end is busy")
        if not isinstance(e.other, HostReader):
            raise AsyncTrap("this host copies only into streams it reads")
        if e.other.closed:
            e.state = DONE
            return DROPPED
        size = entry["element-size"]
        e.other.data += self.memory(entry).read(self.store, ptr, ptr + n * size)
        return COMPLETED | (n << 4)

    def future_read(self, entry, table, i, ptr):
        e = self.end(entry, table, i, "future", True)
        if e.state != IDLE:
            raise AsyncTrap("the future end is busy")
        if not isinstance(e.other, HostFuture):
            raise AsyncTrap("this host copies only from futures it writes")
        if e.other.value is not None:
            self.memory(entry).write(self.store, e.other.value, ptr)
            e.state = DONE
            return COMPLETED
        e.state = COPYING
        e.pending = (entry, ptr)
        if not entry["async"]:
            raise AsyncTrap("this host cannot block a synchronous future.read")
        return BLOCKED

    def drop_end(self, entry, table, i, kind, readable):
        e = self.end(entry, table, i, kind, readable)
        if e.state == COPYING:
            raise AsyncTrap(f"cannot drop a {e.what()} while it copies")
        if kind == "future" and not readable and e.state != DONE:
            raise AsyncTrap("cannot drop the writable end of a future before writing a value")
        table.remove(i, End, f"{kind} end")
        if isinstance(e.other, HostReader):
            e.other.closed = True
            e.other.on_close(e.other)
        elif isinstance(e.other, End):
            # The other end, idle, learns of it: DROPPED, nothing copied (End.drop).
            other, other.other = e.other, None
            if other.state != DONE and other.event is None:
                other.state = DONE
                other.set_event((other.code(), DROPPED))

    def stream_drop_writable(self, entry, table, i):
        self.drop_end(entry, table, i, "stream", False)

    def stream_drop_readable(self, entry, table, i):
        self.drop_end(entry, table, i, "stream", True)

    def future_drop_readable(self, entry, table, i):
        self.drop_end(entry, table, i, "future", True)

    def future_drop_writable(self, entry, table, i):
        self.drop_end(entry, table, i, "future", False)
