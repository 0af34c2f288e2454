"""The part of a host that runs component-model async for a lowered component (docs/lower.md,
"Async: the built-ins as host intrinsics"): each component instance's handle table, waitable
sets, subtasks of the host's async imports, and the callback ABI's event loop of a task, as
the Canonical ABI's definitions.py defines them — only the built-ins tests/cases/yield-loop
uses; any other intrinsic the JSON lists traps when called, naming itself.

The host reads nothing but the JSON: which imports are intrinsics (and of which instance's
table), which are async host functions, which export is async and what its callback is.
"""
import struct

import wasmtime

# definitions.py: CallbackCode, EventCode, Subtask.State
EXIT, YIELD, WAIT = 0, 1, 2
EVENT_NONE, EVENT_SUBTASK = 0, 1
STARTED, RETURNED = 1, 2


class AsyncTrap(Exception):
    """A trap the Canonical ABI requires (the host's own check of a built-in call)."""


class Table:
    """`class Table`: index 0 never used, freed slots reused last-in first-out."""

    def __init__(self):
        self.array = [None]
        self.free = []

    def add(self, e):
        if self.free:
            i = self.free.pop()
            self.array[i] = e
        else:
            i = len(self.array)
            self.array.append(e)
        e.index = i
        return i

    def get(self, i, kind, what):
        e = self.array[i] if 0 < i < len(self.array) else None
        if e is None:
            raise AsyncTrap(f"unknown handle index {i}")
        if not isinstance(e, kind):
            raise AsyncTrap(f"index {i} is not a {what}")
        return e

    def remove(self, i, kind, what):
        e = self.get(i, kind, what)
        self.array[i] = None
        self.free.append(i)
        return e


class Waitable:
    def __init__(self):
        self.event = None  # (code, payload) pending
        self.wset = None


class Subtask(Waitable):
    def __init__(self):
        super().__init__()
        self.state = STARTED


class WaitableSet:
    def pending(self, table):
        """The first member (by index) with a pending event."""
        return next((w for w in table.array if isinstance(w, Waitable) and w.wset is self and w.event), None)


class Task:
    def __init__(self):
        self.result = None
        self.returned = False


class AsyncComponent:
    """One instance of a lowered async component. `host_funcs[function]` gives an async
    host import as (duration in event-loop turns, the function of its arguments)."""

    def __init__(self, out, name, host_funcs):
        import json

        self.abi = json.loads((out / f"{name}.json").read_text())
        assert self.abi["async"], "the JSON says the host runs no async machinery"
        config = wasmtime.Config()
        config.wasm_multi_memory = True
        engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(engine)
        linker = wasmtime.Linker(engine)
        self.tables = {}
        self.task = None
        self.timers = []  # [turns left, subtask, instance]
        self.turns = 0
        for imp in self.abi["imports"]:
            assert imp["async"], "this host gives only async host functions"
            self.define(linker, imp, self.async_import(imp, *host_funcs[imp["function"]]))
        for e in self.abi["intrinsics"]:
            impl = getattr(self, e["intrinsic"].replace(".", "_").replace("-", "_"), None)
            self.define(linker, e, self.intrinsic(e, impl))
        module = wasmtime.Module(engine, (out / f"{name}.wasm").read_bytes())
        self.instance = linker.instantiate(self.store, module)
        self.exports = self.instance.exports(self.store)
        if self.abi["init"]:
            self.exports[self.abi["init"]](self.store)

    def define(self, linker, entry, f):
        kinds = {"i32": wasmtime.ValType.i32(), "i64": wasmtime.ValType.i64()}
        ty = wasmtime.FuncType([kinds[p] for p in entry["params"]], [kinds[r] for r in entry["results"]])
        linker.define_func(entry["module"], entry["name"], ty, f)

    def table(self, instance):
        return self.tables.setdefault(instance, Table())

    def intrinsic(self, entry, impl):
        name = entry["intrinsic"]

        def call(*args):
            if impl is None:
                raise AsyncTrap(f"this host does not implement `{name}`")
            return impl(entry, self.table(entry["instance"]), *args)

        return call

    def async_import(self, entry, turns, f):
        """`canon lower async` of a host function that takes `turns` turns of the event loop:
        STARTED with a subtask in the instance's table (RETURNED at once if 0 turns)."""

        def lower(*args):
            f(*args)
            if turns == 0:
                return RETURNED
            sub = Subtask()
            i = self.table(entry["instance"]).add(sub)
            self.timers.append([turns, sub])
            return STARTED | (i << 4)

        return lower

    def tick(self):
        """One turn of the host's event loop: host calls finish when their time is up."""
        self.turns += 1
        for t in self.timers:
            t[0] -= 1
            if t[0] == 0:
                t[1].state = RETURNED
                t[1].event = (EVENT_SUBTASK, RETURNED)
        self.timers = [t for t in self.timers if t[0] > 0]

    def run(self, function, *args):
        """Calls an async export and runs its task to the end (the callback loop of
        `canon lift` with a callback); returns what it gave `task.return`."""
        e = next(x for x in self.abi["exports"] if x["function"] == function)
        assert e["async"] and e["callback"], f"{function} is not a callback-ABI export"
        table = self.table(e["instance"])
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
                wset = table.get(payload, WaitableSet, "waitable set")
                while (w := wset.pending(table)) is None:
                    if not self.timers:
                        raise AsyncTrap("deadlock: the task waits on a set no event can reach")
                    self.tick()
                code_, p = w.event
                w.event = None
                event = (code_, w.index, p)
            else:
                raise AsyncTrap(f"unsupported callback code {code}")
            packed = self.exports[e["callback"]](self.store, *event)

    # --- the built-ins (definitions.py's canon_* of the same name) ---------------------
    def waitable_set_new(self, entry, table):
        return table.add(WaitableSet())

    def waitable_join(self, entry, table, wi, si):
        w = table.get(wi, Waitable, "waitable")
        w.wset = None if si == 0 else table.get(si, WaitableSet, "waitable set")

    def waitable_set_poll(self, entry, table, si, ptr):
        wset = table.get(si, WaitableSet, "waitable set")
        w = wset.pending(table)
        if w is None:
            code, index, payload = EVENT_NONE, 0, 0
        else:
            (code, payload), index = w.event, w.index
            w.event = None
        self.exports[entry["memory"]].write(self.store, struct.pack("<II", index, payload), ptr)
        return code

    def subtask_drop(self, entry, table, i):
        sub = table.get(i, Subtask, "subtask")
        if sub.state != RETURNED or sub.event is not None:
            raise AsyncTrap("cannot drop a subtask that has not resolved")
        table.remove(i, Subtask, "subtask")

    def waitable_set_drop(self, entry, table, si):
        wset = table.get(si, WaitableSet, "waitable set")
        if any(isinstance(w, Waitable) and w.wset is wset for w in table.array):
            raise AsyncTrap("cannot drop a waitable set that still contains waitables")
        table.remove(si, WaitableSet, "waitable set")

    def task_return(self, entry, table, *flat):
        if self.task.returned:
            raise AsyncTrap("task.return called twice")
        assert entry["result"] == "u32" and not entry["params-through-pointer"]
        self.task.returned = True
        self.task.result = flat[0] & 0xFFFFFFFF
