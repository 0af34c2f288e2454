"""The part of a host that runs component-model async for a lowered component (docs/lower.md,
"Async: the built-ins as host intrinsics"): subtasks of the host's async imports, stream
and future ends (kept in the module's handle tables, `CoreTable`, which also keep the
waitable sets and which waitable is in which with an event pending), task context and the
callback ABI's event loop of a task, as the Canonical ABI's definitions.py defines them. It implements the built-ins tests/cases/yield-loop and the WASI
0.3 program tests/wasi-p3-programs/hello use, with the host reading the streams and writing
the futures it is given; any other intrinsic the JSON lists traps when called, naming
itself, and so does a copy this host does not implement (between two guest ends).

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


class Subtask(Waitable):
    def __init__(self):
        super().__init__()
        self.state = STARTED


class End(Waitable):
    """One end of a stream or future. `other` is the other end: another `End` in a guest
    table, or for an end the host holds, the host's side (`HostReader`, `HostFuture`)."""

    def __init__(self, kind, readable, ty):
        super().__init__()
        self.kind, self.readable, self.type = kind, readable, ty
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
    def __init__(self):
        self.result = None
        self.returned = False
        self.context = [0, 0]


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
            e = self.tables[instance].objects[w]
            (code, payload), e.event = e.event, None
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
        """One turn of the host's event loop: host calls finish when their time is up."""
        self.turns += 1
        for t in self.timers:
            t[0] -= 1
            if t[0] == 0:
                t[1].state = RETURNED
                t[1].set_event((EVENT_SUBTASK, RETURNED))
        self.timers = [t for t in self.timers if t[0] > 0]

    def run(self, function, *args):
        """Calls an async export and runs its task to the end (the callback loop of
        `canon lift` with a callback); returns what it gave `task.return`."""
        e = next(x for x in self.abi["exports"] if x["function"] == function)
        assert e["async"] and e["callback"], f"{function} is not a callback-ABI export"
        table = self.table(e["instance"])
        # The module keeps the instance's backpressure (backpressure.inc/.dec): this host
        # runs one task at a time, so a call it would hold back can never enter.
        if table.call("backpressure") > 0:
            raise AsyncTrap(f"{function} cannot enter: the instance's backpressure is raised")
        self.task = Task()
        packed = self.exports[e["export"]](self.store, *args)
        while True:
            code, payload = packed & 0xF, packed >> 4
            if code == EXIT:
                if not self.task.returned:
                    raise AsyncTrap("the task exited without calling task.return")
                return self.task.result
            if code == YIELD:
                self.tick()
                event = (EVENT_NONE, 0, 0)
            elif code == WAIT:
                if table.kind(self.store, payload) != WAITABLE_SET:
                    raise AsyncTrap(f"index {payload} is not a waitable set")
                while not table.call("set-ready", payload):
                    if not self.timers:
                        raise AsyncTrap("deadlock: the task waits on a set no event can reach")
                    self.tick()
                w = table.objects[table.call("set-take", payload)]
                (code_, p), w.event = w.event, None
                event = (code_, w.index, p)
            else:
                raise AsyncTrap(f"unsupported callback code {code}")
            packed = self.exports[e["callback"]](self.store, *event)

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
        r, w = End(kind, True, entry["type"]), End(kind, False, entry["type"])
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
