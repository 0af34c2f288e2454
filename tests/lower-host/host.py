#!/usr/bin/env python3
"""A host that is not JS: wasmtime (its Python package, over wasmtime's C API) running
the output of `weft lower` through the host ABI its JSON describes (docs/lower.md).

    python3 tests/lower-host/host.py <dir>

<dir> holds the output of `weft lower` (<name>.wasm, .json, .h) for each of
tests/cases/adapter-moves, adapter-transcode, resource-privacy, handle-moves,
lifted-builtins, yield-loop, waitable-sets, deadlock, async-calls, async-borrows,
export-modules
and target/wasi-programs/hello, and <dir>/p3 that of target/wasi-p3-programs/hello. The
host reads nothing but the JSON: which export is which function, its memory, realloc
and post-return, its component instance, the resource types, the handle tables'
functions, the hooks, the intrinsics. It checks what the JS tests check of the JS
output:

- adapter-moves: strings across the adapter (UTF-8 validated both ways), scalars
  normalised, char checked, lists walked, options and results, 17 parameters, traps
  through the `trap` hook, and a component poisoned by a trap staying so;
- adapter-transcode: strings between every pair of string encodings (UTF-8, UTF-16,
  latin1+utf16) through the core adapters, read back decoded; invalid sources trap;
- resource-privacy and handle-moves: resources through the handle tables in core wasm
  the way docs/lower.md tells a host to: its own resources lent and given (a borrow
  scope around the call; the `resource-drop` hook when the guest drops one), the
  guest's lifted out of and lowered into the tables, and the tables' traps; with
  lifted-builtins, `resource.new/rep/drop` lifted as exports of their own;
- hello (a Rust `fn main` for wasm32-wasip2): run through a WASI 0.2 host written here
  against the JSON (stdout and stderr as output streams, their handles in the guest's
  table), printing what it should;
- yield-loop (component-model async): a callback-ABI task run by async_host.py, which
  implements the built-ins the JSON lists as intrinsics (subtasks of an async host import,
  the callback loop) over the module's tables and waitable sets;
- waitable-sets: the module's waitable sets, joined, polled and dropped by the guest, the
  events of stream ends the host says are pending, the module's traps;
- deadlock: an instance's backpressure counter in the module, raised and lowered by the
  guest's backpressure.inc/.dec, read by the host before a task enters; its traps;
- async-calls and async-borrows: calls between two async components through the
  `adapter` intrinsic (the host runs the subtask and the callee's task, the module's
  movers move the values: a string both ways, a stream end through the `move-end` hook,
  an owned handle, a borrow lent in the call's scope until the result is delivered);
  the movers' traps;
- export-modules: the core modules the component exports, in files beside the module,
  instantiated by the host on their own;
- p3/hello (a Rust `run` for WASI 0.3, wasip3's async runtime): its stdout and stderr
  streams read by the host, the futures `write-via-stream` returns written by it, through
  the same intrinsics.

One line per check, then `lower-host: N passed, M failed`.
"""
import json
import random
import struct
import sys
from pathlib import Path

import wasmtime

from async_host import Async, AsyncComponent, AsyncTrap


class HostTrap(Exception):
    """The `trap` hook: a fused adapter's check failed."""


MESSAGES = {
    0: "cannot enter component instance: it trapped earlier",
    5: "invalid UTF-8 string",
    8: "invalid char code point",
    9: "invalid variant discriminant",
    11: "invalid UTF-16 string",
    16: "cannot move a handle that is lent out",
    17: "expected an owned handle, got a borrowed one",
    19: "borrow handles still remain at the end of the call",
}


class Component:
    """One instance of the lowered module, driven through its JSON description."""

    def __init__(self, out: Path, name: str, host_funcs=None):
        self.abi = json.loads((out / f"{name}.json").read_text())
        config = wasmtime.Config()
        config.wasm_multi_memory = True
        self.engine = wasmtime.Engine(config)
        self.store = wasmtime.Store(self.engine)
        module = wasmtime.Module(self.engine, (out / f"{name}.wasm").read_bytes())
        linker = wasmtime.Linker(self.engine)
        hooks = self.abi["hooks"]
        i32 = wasmtime.ValType.i32()

        def trap(code, a, b):
            if code == 14:
                raise HostTrap(f"unknown handle index {a & 0xFFFFFFFF}")
            raise HostTrap(MESSAGES.get(code, f"adapter trap {code} ({a}, {b})"))

        linker.define_func(hooks["trap"]["module"], "trap", wasmtime.FuncType([i32, i32, i32], []), trap)
        self.poisoned = wasmtime.Global(self.store, wasmtime.GlobalType(i32, True), wasmtime.Val.i32(0))
        linker.define(self.store, hooks["poisoned"]["module"], "poisoned", self.poisoned)
        self.dropped = []
        if hooks.get("resource-drop"):
            drop = hooks["resource-drop"]
            linker.define_func(drop["module"], drop["name"], wasmtime.FuncType([i32, i32], []),
                               lambda ty, rep: self.dropped.append((ty, rep)))
        host_funcs = host_funcs or {}
        for imp in self.abi.get("imports", []):
            # adapter-moves imports `host-cb: func()`; others give their functions.
            f = host_funcs.get(imp["function"], lambda *a: None)
            ty = wasmtime.FuncType([wasmtime.ValType.i32() for _ in imp["params"]],
                                   [wasmtime.ValType.i32() for _ in imp["results"]])
            linker.define_func(imp["module"], imp["name"], ty, f)
        self.instance = linker.instantiate(self.store, module)
        self.exports = self.instance.exports(self.store)
        if self.abi["init"]:
            self.exports[self.abi["init"]](self.store)
        self.fns = {e["function"]: e for e in self.abi["exports"]}

    def call(self, function, *args):
        """Calls an export with flat arguments; a trap poisons the instance."""
        e = self.fns[function]
        try:
            return self.exports[e["export"]](self.store, *args)
        except Exception:
            self.poisoned.set_value(self.store, wasmtime.Val.i32(1))
            raise

    def table(self, what, function, *args):
        """A handle table function (`lift-own`, …) of the instance an export or an
        import (`function`) names."""
        entries = self.abi["exports"] + self.abi.get("imports", [])
        instance = str(next(e["instance"] for e in entries if e["function"] == function))
        return self.exports[self.abi["handles"]["tables"][instance][what]](self.store, *args)

    def begin_call(self):
        """`begin-call`: a new borrow scope's number."""
        return self.exports[self.abi["handles"]["begin-call"]](self.store)

    def end_call(self, scope):
        """`end-call`: the scope closed (traps if borrow handles of it remain)."""
        self.exports[self.abi["handles"]["end-call"]](self.store, scope)

    def resource(self, name):
        """A resource type's number, by its name."""
        return next(r["type"] for r in self.abi["resources"] if r["name"] == name)

    def memory(self, function):
        return self.exports[self.fns[function]["memory"]]

    def alloc(self, function, data: bytes, align=1):
        """A block of the function's memory from its realloc, holding `data`."""
        e = self.fns[function]
        p = self.exports[e["realloc"]](self.store, 0, 0, align, len(data)) & 0xFFFFFFFF
        self.memory(function).write(self.store, data, p)
        return p

    def read(self, function, p, n):
        return bytes(self.memory(function).read(self.store, p, p + n))

    def bytes_result(self, function, r):
        """A (ptr, len) list<u8> or string at the returned pointer."""
        ptr, n = struct.unpack("<II", self.read(function, r & 0xFFFFFFFF, 8))
        return self.read(function, ptr, n)

    def bytes_call(self, function, data: bytes):
        p = self.alloc(function, data)
        return self.bytes_result(function, self.call(function, p, len(data)))


def is_utf8(b: bytes):
    try:
        b.decode("utf-8", errors="strict")
        return True
    except UnicodeDecodeError:
        return False


def strings(rng):
    edges = [0x00, 0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90]
    out = [b"", b"a", "é€😀".encode(), b"\xc0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82"]
    for n in (7, 8, 9, 16, 17):
        out += [b"a" * n, b"a" * n + b"\xc3", b"a" * n + b"\x80" + b"a" * n]
    for _ in range(200):
        points = [rng.choice([rng.randrange(0x80), rng.randrange(0x800), rng.randrange(0xD800), rng.randrange(0xE000, 0x110000)]) for _ in range(rng.randrange(10))]
        b = bytearray("".join(map(chr, points)).encode())
        if b and rng.random() < 0.5:
            b[rng.randrange(len(b))] = rng.choice(edges)
        out.append(bytes(b))
    return out


TAG = 1 << 31


def encode(s: str, encoding: str):
    """A string as a function of `encoding` takes it: its bytes and its (tagged) length."""
    if encoding == "utf8":
        b = s.encode("utf-8")
        return b, len(b)
    units = len(s.encode("utf-16-le")) // 2
    if encoding == "utf16" or any(ord(c) > 0xFF for c in s):
        return s.encode("utf-16-le"), units + (0 if encoding == "utf16" else TAG)
    return s.encode("latin-1"), len(s)


def decode(b: bytes, encoding: str, tagged: int):
    if encoding == "utf8":
        return b.decode("utf-8")
    if encoding == "utf16" or tagged & TAG:
        return b.decode("utf-16-le")
    return b.decode("latin-1")


def byte_length(encoding: str, tagged: int):
    if encoding == "utf8":
        return tagged
    if encoding == "utf16" or tagged & TAG:
        return 2 * (tagged & ~TAG)
    return tagged


def transcode_checks(out: Path, name: str, check, traps):
    """Strings through the core adapters of adapter-transcode: `go-<caller>-<callee>`
    passes (ptr, len) of the caller's memory on; the callee keeps what it got."""
    c = Component(out, name)
    short = {"utf8": "utf8", "utf16": "utf16", "latin1+utf16": "latin1"}
    pairs = [(a, b) for a in short for b in short]
    texts = ["", "a", "hello", "café", "\u00ff\u0100", "€100", "😀", "a😀b", "Grüße, 世界! 🍰 " * 20]

    def got():
        r = c.call("got") & 0xFFFFFFFF
        return struct.unpack("<II", c.read("got", r, 8))

    def every_pair():
        nonlocal c
        for src, dst in pairs:
            go = f"go-{short[src]}-{short[dst]}"
            for text in texts:
                data, length = encode(text, src)
                p = c.alloc("put", data, 8)
                c.call("put", p, len(data), 0x1000)
                c.call("reset", 0x1000, 0)
                c.call(go, 0x1000, length)
                ptr, tagged = got()
                b = c.bytes_result("bytes", c.call("bytes", ptr, byte_length(dst, tagged)))
                assert decode(b, dst, tagged) == text, (go, text, b)

    def bad_sources():
        nonlocal c
        for src, data, length in [("utf8", b"\xc0\x80", 2), ("utf16", b"\x00\xd8", 1), ("latin1+utf16", b"\x00\xd8", 1 | TAG)]:
            c = Component(out, name)
            p = c.alloc("put", data, 8)
            c.call("put", p, len(data), 0x1000)
            words = "invalid UTF-8" if src == "utf8" else "invalid UTF-16"
            traps(lambda: c.call(f"go-{short[src]}-utf8", 0x1000, length), words)

    check("strings between every pair of encodings (UTF-8, UTF-16, latin1+utf16)", every_pair)
    check("invalid UTF-8 and UTF-16 sources trap", bad_sources)


def resource_checks(privacy: tuple, moves: tuple, lifted: tuple, check, traps):
    """Resources through the host ABI: the host's own (`ext`: reps it chooses) and the
    guest's (`counter`, `r`: reps the guest chose), as docs/lower.md, "Resources", says."""

    def host_resources():
        values = {42: 4200, 7: 700}
        c = None

        def ext_get(h):
            # The import gets a borrow handle of the caller's table: lent for the call.
            scope = c.begin_call()
            rep = c.table("lift-borrow", "ext-get", h, c.resource("ext"), scope)
            c.end_call(scope)
            return values[rep]

        c = Component(*privacy, {"ext-get": ext_get})
        ext = c.resource("ext")
        # A borrow into an instance that does not define `ext`: a borrow handle, in a scope.
        scope = c.begin_call()
        h = c.table("lower-borrow", "use-ext", 42, ext, scope)
        assert c.call("use-ext", h) == 4200
        c.end_call(scope)
        # Two scopes open at once (calls that interleave), the first closed last: each
        # counts its own borrows.
        first, second = c.begin_call(), c.begin_call()
        h1 = c.table("lower-borrow", "use-ext", 42, ext, first)
        h2 = c.table("lower-borrow", "use-ext", 7, ext, second)
        assert c.call("use-ext", h2) == 700
        traps(lambda: c.end_call(first), "borrow handles still remain")
        c.end_call(second)
        assert c.call("use-ext", h1) == 4200
        c.end_call(first)
        # An owned one moved in; the guest drops it: the hook runs.
        h = c.table("lower-own", "keep-ext", 7, ext)
        c.call("keep-ext", h)
        assert c.dropped == [(ext, 7)], c.dropped

    def guest_resources():
        c = Component(*privacy)
        counter = c.resource("counter")
        # An owned counter out of the table: its rep; a borrow of the instance's own
        # resource is the rep itself; back in as an owned handle, consumed.
        rep = c.table("lift-own", "make", c.call("make", 5), counter)
        assert rep == 5 and c.call("get", rep) == 5
        h = c.table("lower-own", "consume", rep, counter)
        assert c.call("consume", h) == 5 and c.call("dtors") == 1
        traps(lambda: c.call("consume", 99), "unknown handle index 99")

    def between_components():
        c = Component(*moves)
        r = c.resource("r")
        assert [c.call("make-r", v) for v in (10, 20)] == [1, 2]
        assert c.call("relay", 1) == 1010
        rep = c.table("lift-own", "give", c.call("give", 1), r)
        assert rep == 10
        # The freed slot is the first reused.
        assert c.call("hold", c.table("lower-own", "hold", rep, r)) == 1
        assert c.call("take", 1) == 10 and c.call("dtors") == 1
        for f, args, words in [
            ("keep", (2,), "borrow handles still remain"),
            ("steal", (2,), "expected an owned handle"),
            ("lend-take", (2, 2), "cannot move a handle that is lent out"),
        ]:
            d = Component(*moves)
            d.call("make-r", 1)
            d.call("make-r", 2)
            traps(lambda: d.call(f, *args), words)

    def lifted_builtins():
        # `resource.new`, `.rep` and `.drop` lifted as exports of their own: functions of
        # the module, at the tables the host moves handles through.
        c = Component(*lifted)
        r = c.resource("r")
        rep = c.table("lift-own", "make", c.call("make", 5), r)
        assert rep == 5
        assert c.call("rep-of", c.table("lower-own", "rep-of", rep, r)) == 5
        c.call("drop", c.table("lower-own", "drop", 6, r))
        assert c.call("dropped") == 6
        # `rep-of` read handle 1 and left it in the table.
        c.call("drop", 1)
        assert c.call("dropped") == 5
        traps(lambda: c.call("drop", 2), "unknown handle index 2")

    check("host resources: lent for a call, moved in, dropped through the hook", host_resources)
    check("guest resources: lifted out of the table and lowered back", guest_resources)
    check("handles between components, to the host and back; the tables' traps", between_components)
    check("resource built-ins lifted as exports of their own", lifted_builtins)


def wasi_checks(hello: tuple, check):
    """A Rust `fn main` (tests/wasi-programs/hello) through a minimal WASI 0.2 host: the
    imports it uses, served from their JSON entries (flat values, the caller's memory,
    handles of the caller's table), and its `wasi:cli/run` export."""
    import re

    out = {1: bytearray(), 2: bytearray()}
    c = None

    def number(text, kind):
        m = re.search(kind + r"<#(\d+)>", text)
        return int(m.group(1)) if m else None

    def borrowed(imp, h):
        # A borrow handle of the caller's table: lent for the call.
        scope = c.begin_call()
        rep = c.table("lift-borrow", imp["function"], h, number(imp["type"], "borrow"), scope)
        c.end_call(scope)
        return rep

    def write_ok(imp, retptr, value=None):
        # `result<…>`: discriminant 0, the payload (a u64 for check-write) at 8.
        mem = c.exports[imp["memory"]]
        mem.write(c.store, b"\0" * 16, retptr)
        if value is not None:
            mem.write(c.store, struct.pack("<Q", value), retptr + 8)

    def serve(imp):
        name = imp["name"]
        own = number(imp["type"].split("->")[-1], "own")
        if name in ("get-stdout", "get-stderr", "get-stdin"):
            rep = {"get-stdout": 1, "get-stderr": 2, "get-stdin": 3}[name]
            return lambda: c.table("lower-own", imp["function"], rep, own)
        if name == "[method]output-stream.check-write":
            return lambda h, retptr: (borrowed(imp, h), write_ok(imp, retptr, 4096))[-1]
        if name == "[method]output-stream.write":
            def write(h, ptr, n, retptr):
                rep = borrowed(imp, h)
                out[rep] += bytes(c.exports[imp["memory"]].read(c.store, ptr, ptr + n))
                write_ok(imp, retptr)
            return write
        if name == "[method]output-stream.blocking-flush":
            return lambda h, retptr: (borrowed(imp, h), write_ok(imp, retptr))[-1]
        if name == "[method]output-stream.subscribe":
            return lambda h: (borrowed(imp, h), c.table("lower-own", imp["function"], 9, own))[-1]
        if name == "[method]pollable.block":
            return lambda h: borrowed(imp, h) and None
        if name in ("get-environment",) or name.startswith("get-terminal-"):
            # An empty list (pointer, length), or `none`.
            return lambda retptr: c.exports[imp["memory"]].write(c.store, b"\0" * 8, retptr)
        if name == "exit":
            def exit_(status):
                raise HostTrap(f"exit {status}")
            return exit_
        raise AssertionError(f"hello imports {imp['module']} {name}, which this host does not serve")

    def hello_runs():
        nonlocal c
        abi = json.loads((hello[0] / f"{hello[1]}.json").read_text())
        funcs = {imp["function"]: serve(imp) for imp in abi["imports"]}
        c = Component(*hello, funcs)
        assert c.call("wasi:cli/run@0.2.0#run") == 0
        assert out[1] == b"hello from wasi\n", out
        assert out[2] == b"", out

    check("WASI 0.2: hello from a Rust program, its streams' handles in core tables", hello_runs)


def async_checks(yield_loop: tuple, hello_p3: tuple, check, traps):
    """Component-model async through async_host.py's intrinsics and event loop:
    tests/cases/yield-loop (a callback-ABI task polling its waitable set while an async
    host import runs) and the WASI 0.3 program tests/wasi-p3-programs/hello (wasip3's
    async runtime: streams and futures the host reads and writes, task context)."""
    out, name = yield_loop

    def yields_until_the_host_call_returns():
        for turns in (4, 1, 9):
            calls = []
            c = AsyncComponent(out, name, {"sleep": Async(turns, calls.append)})
            # The task yields once per turn until the subtask's event arrives, then
            # drops the subtask and its set and returns how often it yielded.
            assert c.run("run") == turns - 1, turns
            assert calls == [20] and c.turns == turns
            assert c.table(0).empty(), "the task left handles behind"

    def intrinsics_check_their_arguments():
        # A host call done at once: RETURNED, no subtask; the guest joins index 0 anyway.
        c = AsyncComponent(out, name, {"sleep": Async(0, lambda ms: None)})
        traps(lambda: c.run("run"), "unknown handle index 0")

    def wasi_p3_hello():
        written = {"stdout": bytearray(), "stderr": bytearray()}
        abi = json.loads((hello_p3[0] / f"{hello_p3[1]}.json").read_text())

        def write_via_stream(which):
            def f(c, imp, i):
                # `func(data: stream<u8>) -> future<result<_, error-code>>`: the host reads
                # the stream; the future says ok once the guest drops its writable end.
                params, result = imp["type"].split(" -> ")
                done = c.new_host_future(imp["instance"], result)

                def closed(reader):
                    written[which] += reader.data
                    c.resolve_future(done, b"\0\0")  # ok: discriminant 0 (a byte), no payload

                c.take_readable_stream(imp["instance"], i, params[len("func(data: "):-1], closed)
                return done.index
            return f

        def unused(c, imp, *args):
            raise AsyncTrap(f"hello called {imp['function']}, which it does not use")

        funcs = {imp["function"]: unused for imp in abi["imports"]}
        funcs["wasi:cli/stdout@0.3.2#write-via-stream"] = write_via_stream("stdout")
        funcs["wasi:cli/stderr@0.3.2#write-via-stream"] = write_via_stream("stderr")
        c = AsyncComponent(*hello_p3, funcs)
        # `run: async func() -> result`: 0 is ok.
        assert c.run("wasi:cli/run@0.3.2#run") == 0
        assert written == {"stdout": b"hello from wasi p3\n", "stderr": b"to stderr\n"}, written
        assert c.table(0).empty(), "the program left handles behind"

    check("async: a callback-ABI task yields while a host call runs (host intrinsics)", yields_until_the_host_call_returns)
    check("async: the host's built-ins trap on bad handles", intrinsics_check_their_arguments)
    check("WASI 0.3: hello from a Rust program (wasip3), streams and futures through the host's intrinsics", wasi_p3_hello)


def waitable_set_checks(out: Path, check, traps):
    """tests/cases/waitable-sets through the module's waitable state: the guest's
    `waitable-set.*` and `waitable.join` are functions of the module; the host makes the
    stream ends (`stream.new`), says when one has an event pending (its writer dropped),
    and gives the event when the module's `waitable-set.poll` asks (the `event` hook)."""
    name = "waitable-sets"

    def order(c, rejoin):
        e = next(x for x in c.abi["exports"] if x["function"] == "order")
        r = c.exports[e["export"]](c.store, rejoin) & 0xFFFFFFFF
        return struct.unpack("<5I", c.exports[e["memory"]].read(c.store, r, r + 20))

    def delivery_order():
        c = AsyncComponent(out, name, {})
        dropped = lambda i: 2000 + i * 10 + 1  # EVENT_STREAM_READ, the index, DROPPED
        first, second, none, a, b = order(c, 0)
        assert (first, second, none) == (dropped(a), dropped(b), 0), (first, second, none, a, b)
        first, second, none, a, b = order(c, 1)
        assert (first, second, none) == (dropped(b), dropped(a), 0), (first, second, none, a, b)
        assert c.table(0).empty(), "the guest left stream ends behind"

    def module_traps():
        for export, words in [
            ("drop-nonempty", "set-not-empty"),
            ("join-a-set", "not-kind (1, 65534)"),
            ("join-into-an-end", "not-kind (1, 65533)"),
            ("join-unknown", "unknown handle index 99"),
            ("poll-out-of-bounds", "event-out-of-bounds"),
        ]:
            c = AsyncComponent(out, name, {})
            e = next(x for x in c.abi["exports"] if x["function"] == export)
            traps(lambda: c.exports[e["export"]](c.store), words)

    check("waitable sets in the module: the longest-joined delivered first, events made by the host", delivery_order)
    check("waitable sets in the module: its traps", module_traps)


def backpressure_checks(out: Path, check, traps):
    """tests/cases/deadlock's `lowering` component: its backpressure.inc and .dec are
    functions of the module, which keeps the counter (`backpressure:<i>`); the host lets no
    task enter while it is above 0."""
    name = "deadlock"

    def sync(c, function, *args):
        e = next(x for x in c.abi["exports"] if x["function"] == function)
        return c.exports[e["export"]](c.store, *args)

    def held_back():
        c = AsyncComponent(out, name, {})
        c.run("lowering#noop")
        sync(c, "lowering#raise", 2)
        e = next(x for x in c.abi["exports"] if x["function"] == "lowering#noop")
        assert c.table(e["instance"]).call("backpressure") == 2
        traps(lambda: c.run("lowering#noop"), "backpressure is raised")
        sync(c, "lowering#release")
        sync(c, "lowering#release")
        c.run("lowering#noop")

    def counter_traps():
        c = AsyncComponent(out, name, {})
        traps(lambda: sync(c, "lowering#release"), "backpressure-underflow")
        c = AsyncComponent(out, name, {})
        sync(c, "lowering#raise", 0xFFFF)
        traps(lambda: sync(c, "lowering#raise", 1), "backpressure-overflow")

    check("backpressure in the module: a task held back while it is raised", held_back)
    check("backpressure in the module: the counter's traps", counter_traps)


def async_call_checks(out: Path, check, traps):
    """tests/cases/async-calls: a call from one component to another when both use
    component-model async, through the `adapter` intrinsic — the host runs the subtask,
    the callee's task and its callback loop; the module's movers move the string both
    ways and the stream end (the `move-end` hook) — and its traps."""
    name = "async-calls"

    def echo():
        c = AsyncComponent(out, name, {})
        # The callee yields once: the caller waits on its subtask for a turn of the loop.
        assert c.run("run", 0) == "echo:hello"
        assert c.turns >= 1 and not c.running
        assert c.run("run", 0) == "echo:hello"
        for t in c.tables.values():
            assert t.empty(), "the call left the host's objects behind"

    def movers_trap():
        for fail, words in [(1, "trap string-out-of-bounds"), (2, "unknown handle index 99"),
                            (3, "trap string-out-of-bounds")]:
            c = AsyncComponent(out, name, {})
            traps(lambda: c.run("run", fail), words)

    def lent():
        c = AsyncComponent(out, "async-borrows", {})
        # B makes a thing with A's sync `make`, lends it to A's async `peek` and drops it
        # once it has the result: the lend ended when the subtask's result was delivered.
        assert c.run("run", 0) == 7
        assert c.run("run", 0) == 7
        c = AsyncComponent(out, "async-borrows", {})
        traps(lambda: c.run("run", 1), "trap lent-drop")

    check("async calls between components: the host runs the subtask, the module moves the values", echo)
    check("async calls between components: the movers' traps", movers_trap)
    check("async calls between components: a borrow lent in the call's scope until the result is delivered", lent)


def main():
    out = Path(sys.argv[1])
    name = "adapter-moves"
    results = []

    def check(label, f):
        try:
            f()
            results.append((label, None))
        except Exception as e:  # noqa: BLE001 - every failure is reported by name
            results.append((label, f"{type(e).__name__}: {e}"))

    def traps(f, words):
        try:
            f()
        except Exception as e:  # wasmtime wraps the hook's exception in its trap
            assert words in str(e), f"expected a trap with {words!r}, got {e}"
            return
        raise AssertionError(f"expected a trap with {words!r}, got none")

    def strings_check():
        c = Component(out, name)
        valid = invalid = 0
        for b in strings(random.Random(2026)):
            if is_utf8(b):
                assert c.bytes_call("probe", b) == b, b
                valid += 1
            else:
                traps(lambda: c.bytes_call("probe", b), "invalid UTF-8")
                invalid += 1
                c = Component(out, name)
        assert valid > 50 and invalid > 50, (valid, invalid)

    def scalars():
        c = Component(out, name)
        r = c.call("see-raw", 0x1FF, 0x180, 0x1FFFF, 0x18000, 2)
        assert struct.unpack("<5i", c.read("see-raw", r & 0xFFFFFFFF, 20)) == (255, -128, 65535, -32768, 1)

    def chars():
        c = Component(out, name)
        for ch in (0, 0x41, 0xD7FF, 0xE000, 0x10FFFF):
            assert c.call("char-raw", ch) & 0xFFFFFFFF == ch
        for ch in (0xD800, 0x110000):
            traps(lambda: Component(out, name).call("char-raw", ch), "invalid char")

    def lists():
        c = Component(out, name)
        pairs = struct.pack("<BxxxIBxxxI", 1, 2, 255, 3)
        p = c.alloc("sum-raw", pairs, 4)
        assert c.call("sum-raw", p, 2) == 1000 + 2 + 255000 + 3
        assert c.bytes_call("bools-raw", bytes([0, 1, 2, 255])) == bytes([0, 1, 1, 1])

    def variants():
        c = Component(out, name)
        word = "héllo".encode()
        assert c.bytes_call("probe", word) == word
        # The probe's block is the first of B's allocator: 4096.
        r = c.call("opt-raw", 1, 4096, len(word)) & 0xFFFFFFFF
        tag, ptr, n = struct.unpack("<BxxxII", c.read("opt-raw", r, 12))
        assert tag == 1 and c.read("opt-raw", ptr, n) == word
        r = c.call("res-raw", 0, 0x1FF, 0) & 0xFFFFFFFF
        assert c.read("res-raw", r, 1) == b"\x00" and c.read("res-raw", r + 4, 1) == b"\xff"
        traps(lambda: Component(out, name).call("opt-raw", 2, 0, 0), "invalid variant discriminant")

    def many():
        # More than 16 flat parameters: the JSON says they go through a pointer to the
        # tuple, which the host writes with the function's realloc.
        c = Component(out, name)
        assert c.fns["many"]["params-through-pointer"]
        p = c.alloc("many", struct.pack("<17I", *range(1, 18)), 4)
        assert c.call("many", p) == 153

    def poisoned():
        c = Component(out, name)
        traps(lambda: c.bytes_call("probe", b"\xff"), "invalid UTF-8")
        # The host poisons the instance on a trap; the adapter then refuses to run.
        p = 4096 + 64
        traps(lambda: c.call("after-host", p, 1), "trapped earlier")

    check("strings: UTF-8 validated both ways, the bytes kept", strings_check)
    check("scalars: normalised as lifting requires", scalars)
    check("char: checked", chars)
    check("lists: tuples walked, bools normalised", lists)
    check("options and results", variants)
    check("17 parameters through memory", many)
    check("a trap poisons the instance for the adapters", poisoned)
    transcode_checks(out, "adapter-transcode", check, traps)
    resource_checks(
        (out, "resource-privacy"), (out, "handle-moves"), (out, "lifted-builtins"), check, traps
    )
    wasi_checks((out, "hello"), check)
    async_checks((out, "yield-loop"), (out / "p3", "hello"), check, traps)
    waitable_set_checks(out, check, traps)
    backpressure_checks(out, check, traps)
    async_call_checks(out, check, traps)

    def exported_core_modules():
        abi = json.loads((out / "export-modules.json").read_text())
        engine = wasmtime.Engine()
        answers = {}
        for m in abi["core-modules"]:
            store = wasmtime.Store(engine)
            module = wasmtime.Module(engine, (out / m["file"]).read_bytes())
            exports = wasmtime.Instance(store, module, []).exports(store)
            answers[m["export"]] = exports["answer"](store) if "answer" in exports else exports["seven"](store)
        assert answers == {"m": 42, "n": 7, "bag#m2": 42}, answers

    check("exported core modules: beside the module, instantiated on their own", exported_core_modules)
    failed = 0
    for label, err in results:
        print(f"{'ok' if err is None else 'FAILED'}: {label}{'' if err is None else f' ({err})'}")
        failed += err is not None
    print(f"lower-host: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
