#!/usr/bin/env python3
"""A host that is not JS: wasmtime (its Python package, over wasmtime's C API) running
the output of `weft lower` through the host ABI its JSON describes (docs/lower.md).

    python3 tests/lower-host/host.py <dir> <name> [<dir2> <name2>]

<dir>/<name>.wasm, .json, .h come from `weft lower tests/cases/adapter-moves.wat`: two
components composed, whose fused adapters are core wasm in the one module. The host
reads nothing but the JSON: which export is which function, its memory, realloc and
post-return, the hooks. It checks what tests/cases/adapter-moves.test.mjs checks of the
JS output: strings across the adapter (UTF-8 validated both ways), scalars normalised,
char checked, lists walked, options and results, 17 parameters, traps through the
`trap` hook, and a component poisoned by a trap staying so. With <dir2>/<name2> from
`weft lower tests/cases/adapter-transcode.wat`, it also moves strings between every pair
of string encodings (UTF-8, UTF-16, latin1+utf16) through the core adapters, the strings
read back decoded, and traps on invalid sources. One line per check, then
`lower-host: N passed, M failed`.
"""
import json
import random
import struct
import sys
from pathlib import Path

import wasmtime


class HostTrap(Exception):
    """The `trap` hook: a fused adapter's check failed."""


MESSAGES = {
    0: "cannot enter component instance: it trapped earlier",
    5: "invalid UTF-8 string",
    8: "invalid char code point",
    9: "invalid variant discriminant",
    11: "invalid UTF-16 string",
}


class Component:
    """One instance of the lowered module, driven through its JSON description."""

    def __init__(self, out: Path, name: str):
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
            raise HostTrap(MESSAGES.get(code, f"adapter trap {code} ({a}, {b})"))

        linker.define_func(hooks["trap"]["module"], "trap", wasmtime.FuncType([i32, i32, i32], []), trap)
        self.poisoned = wasmtime.Global(self.store, wasmtime.GlobalType(i32, True), wasmtime.Val.i32(0))
        linker.define(self.store, hooks["poisoned"]["module"], "poisoned", self.poisoned)
        for imp in self.abi.get("imports", []):
            # The one import of adapter-moves: `host-cb: func()`.
            assert imp["type"] == "func()", imp
            linker.define_func(imp["module"], imp["name"], wasmtime.FuncType([], []), lambda: None)
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


def main():
    out, name = Path(sys.argv[1]), sys.argv[2]
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
    if len(sys.argv) > 4:
        transcode_checks(Path(sys.argv[3]), sys.argv[4], check, traps)
    failed = 0
    for label, err in results:
        print(f"{'ok' if err is None else 'FAILED'}: {label}{'' if err is None else f' ({err})'}")
        failed += err is not None
    print(f"lower-host: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
