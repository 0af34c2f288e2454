"""Differential oracle for string transcoding between two components.

For random strings and every (source, destination) encoding pair, definitions.py
stores the string in the source memory, loads it back (`load_string`, traps
included, sometimes after corrupting a byte), and stores it into the destination
(`store_string_into_range`), logging realloc calls. Writes transcode.json for
oracle-transcode.mjs, which checks src/runtime/transcode.js (the function fused
adapters call) against it.

  python3 oracle_transcode.py DEFINITIONS_PY OUT_DIR --seed S --cases N
"""

import argparse
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(__file__))
from oracle import load_definitions  # noqa: E402

HEAP_BASE = 0x1000
MEMORY = 16 * 65536
ENCODINGS = ["utf8", "utf16", "latin1+utf16"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("definitions")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cases", type=int, default=300)
    args = ap.parse_args()
    d = load_definitions(args.definitions)
    rng = random.Random(args.seed)

    class Heap:
        def __init__(self):
            self.memory = bytearray(MEMORY)
            self.last_alloc = HEAP_BASE

    def cx_for(encoding, heap, calls):
        opts = d.CanonicalOptions()
        opts.memory = d.MemInst(heap.memory, "i32")
        opts.string_encoding = encoding

        def realloc(a):
            o, os_, al, ns = a
            if o != 0 and ns < os_:
                ret = d.align_to(o, al)
            else:
                ret = d.align_to(heap.last_alloc, al)
                heap.last_alloc = ret + ns
                heap.memory[ret:ret + os_] = heap.memory[o:o + os_]
            calls.append([o, os_, al, ns, ret])
            return [ret]

        opts.realloc = realloc
        opts.post_return = None
        opts.sync_task_return = False
        opts.async_ = False
        opts.callback = None
        return d.LiftLowerContext(opts, d.ComponentInstance(d.Store()))

    def scalar():
        k = rng.randrange(5)
        ranges = [(0x20, 0x7f), (0x80, 0x100), (0x100, 0xd800), (0xe000, 0x10000), (0x10000, 0x110000)]
        lo, hi = ranges[k]
        return rng.randrange(lo, hi)

    cases = []
    for _ in range(args.cases):
        src_enc = rng.choice(ENCODINGS)
        dst_enc = rng.choice(ENCODINGS)
        if rng.random() < 0.4:
            s = "".join(chr(rng.randrange(0x20, 0x100)) for _ in range(rng.randrange(20)))
        else:
            s = "".join(chr(scalar()) for _ in range(rng.randrange(20)))
        a = Heap()
        cx_a = cx_for(src_enc, a, [])
        ptr, tagged = d.store_string_into_range(cx_a, (s, "utf16", len(s.encode("utf-16-le")) // 2))
        if rng.random() < 0.15 and a.last_alloc > HEAP_BASE:
            k = rng.randrange(HEAP_BASE, a.last_alloc)
            a.memory[k] = rng.randrange(256)
        case = {"src": src_enc, "dst": dst_enc, "ptr": ptr, "len": tagged,
                "memory": a.memory[HEAP_BASE:a.last_alloc].hex()}
        try:
            v = d.load_string_from_range(cx_a, ptr, tagged)
        except d.Trap:
            case["trap"] = True
            cases.append(case)
            continue
        b = Heap()
        calls = []
        cx_b = cx_for(dst_enc, b, calls)
        dptr, dlen = d.store_string_into_range(cx_b, v)
        case.update({"dptr": dptr, "dlen": dlen, "realloc": calls,
                     "out": b.memory[HEAP_BASE:b.last_alloc].hex()})
        cases.append(case)
    os.makedirs(args.out, exist_ok=True)
    json.dump({"heapBase": HEAP_BASE, "memory": MEMORY, "cases": cases},
              open(os.path.join(args.out, "transcode.json"), "w"))


if __name__ == "__main__":
    main()
