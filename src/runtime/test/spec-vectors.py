#!/usr/bin/env python3
"""Expected values for the runtime's string code, computed by the spec itself.

Runs the Component Model's executable reference (canonical-abi/definitions.py) and
prints (to stdout) the vectors that spec-vectors.test.js replays against the JS
runtime:

  lower      store_string_into_range of a host string ('utf16' source, as a JS string
             is) into each encoding: result, realloc calls, heap bytes, or a trap
  lift       load_string_from_range of memory images, valid and corrupted: string or trap
  transcode  load_string_from_range in one encoding, then store_string_into_range in
             another, for all 9 encoding pairs: result, realloc calls, heap bytes, or trap

Some cases make realloc misbehave at its k-th call (misaligned or out-of-bounds
return) to reach every trap_if after a realloc.

  python3 spec-vectors.py [DEFINITIONS_PY]

Without an argument, definitions.py is looked up in the cargo registry
(wasm-tools-1.263.0). Python < 3.14 needs `from __future__ import annotations`
prepended, so the file is loaded from a temporary copy.
"""
import glob
import importlib.util
import json
import os
import random
import sys
import tempfile

sys.stdout.reconfigure(encoding='utf-8')

PAGES = 2
HEAP_BASE = 16
IMAGE_AT = 1024
ENCODINGS = ['utf8', 'utf16', 'latin1+utf16']


def load_definitions(path):
    src = open(path, encoding='utf-8').read()
    tmp = tempfile.NamedTemporaryFile('w', suffix='.py', delete=False, encoding='utf-8')
    tmp.write('from __future__ import annotations\n' + src)
    tmp.close()
    spec = importlib.util.spec_from_file_location('definitions', tmp.name)
    mod = importlib.util.module_from_spec(spec)
    sys.modules['definitions'] = mod
    spec.loader.exec_module(mod)
    os.unlink(tmp.name)
    return mod


def find_definitions():
    pattern = os.path.expanduser('~/.cargo/registry/src/*/wasm-tools-1.263.0/tests/component-model/'
                                 'design/mvp/canonical-abi/definitions.py')
    found = sorted(glob.glob(pattern))
    if not found:
        sys.exit('definitions.py not found; pass its path')
    return found[0]


d = load_definitions(sys.argv[1] if len(sys.argv) > 1 else find_definitions())


class Heap:
    """run_tests.py's Heap.realloc (shrink in place, else bump and copy old_size bytes),
    recording [old, old_size, align, new_size, ret], optionally misbehaving at one call."""

    def __init__(self, bad=None):
        self.memory = bytearray(PAGES * 65536)
        self.last_alloc = HEAP_BASE
        self.calls = []
        self.bad = bad

    def realloc(self, args):
        o, os_, al, ns = args
        if self.bad is not None and len(self.calls) == self.bad['call']:
            if self.bad['kind'] == 'misalign':
                ret = d.align_to(self.last_alloc, al) + 1
            else:
                ret = d.align_to(len(self.memory) - ns + 1, al)
        elif o != 0 and ns < os_:
            ret = d.align_to(o, al)
        else:
            ret = d.align_to(self.last_alloc, al)
            self.last_alloc = ret + ns
            assert self.last_alloc <= len(self.memory)
            self.memory[ret:ret + os_] = self.memory[o:o + os_]
        self.calls.append([o, os_, al, ns, ret])
        return [ret]

    def cx(self, encoding):
        opts = d.CanonicalOptions()
        opts.memory = d.MemInst(self.memory, 'i32')
        opts.string_encoding = encoding
        opts.realloc = self.realloc
        opts.post_return = None
        opts.async_ = False
        opts.callback = None
        return d.LiftLowerContext(opts, d.ComponentInstance(d.Store()))

    def used(self):
        return digest(self.memory[HEAP_BASE:self.last_alloc])


def digest(b):
    """Bytes as hex, or for long runs `fnv:<length>:<FNV-1a 32 hash>` (keeps the file small)."""
    if len(b) <= 256:
        return bytes(b).hex()
    h = 0x811c9dc5
    for x in b:
        h = ((h ^ x) * 0x01000193) & 0xffffffff
    return f'fnv:{len(b)}:{h:08x}'


def utf16_units(s):
    return len(s.encode('utf-16-le')) // 2


rng = random.Random(20261124)
RANGES = [(0x00, 0x7f), (0x80, 0xff), (0x100, 0x7ff), (0x800, 0xd7ff), (0xe000, 0xffff),
          (0x10000, 0x10ffff)]


def random_string(max_len=12, ranges=RANGES):
    out = []
    for _ in range(rng.randrange(max_len + 1)):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return ''.join(out)


FUN = ['', 'a', 'hi', '\0', '\x7f', '\x80', '\xff', '\u0100', '\u01ff', '\u07ff', '\u0800',
       '\ud7ff', '\ue000', '\uf123', '\ufeff', '\ufeffa', '\ufffd', '\uffff', '\U00010000',
       '\U0001f600', '\U0010ffff', 'abc\xe9\xff', 'x\u0100y', '\xe9\u0100', 'a\U0001f600b',
       'mixed ascii, \xe9, \u03a9 and \U0001f600', 'caf\xe9' * 3, '\0\0\0',
       'long ' * 700 + '\U0010ffff', 'long ' * 700 + '\xe9', 'long ' * 700,
       '\xe9' * 2000, '\u03a9' * 1500, '\U0001f600' * 800]
STRINGS = FUN + [random_string() for _ in range(60)] + \
    [random_string(12, [(0, 0x7f), (0x80, 0xff)]) for _ in range(20)] + \
    [random_string(300) for _ in range(5)]
# Strings that take every realloc of every path, for the misbehaving-realloc cases.
BAD_STRINGS = ['', 'ab', 'a\xe9', 'a\u03a9', '\U0001f600', 'ab\xe9\u03a9']


def host(s):
    return (s, 'utf16', utf16_units(s))


def run_store(enc, v, bad=None):
    heap = Heap(bad)
    try:
        ptr, n = d.store_string_into_range(heap.cx(enc), v)
        return {'result': [ptr, n], 'calls': heap.calls, 'heap': heap.used()}
    except d.Trap:
        return {'result': None, 'calls': heap.calls}


def bad_variants(enc, v):
    good = run_store(enc, v)
    out = []
    for k, (_o, _os, al, _ns, _ret) in enumerate(good['calls']):
        for kind in (['misalign'] if al > 1 else []) + ['oob']:
            bad = {'call': k, 'kind': kind}
            r = run_store(enc, v, bad)
            assert r['result'] is None, (enc, v, bad)
            out.append((bad, r))
    return out


strings = []


def sid(s):
    """Strings are stored once, in `strings`; cases refer to them by index."""
    if s not in strings:
        strings.append(s)
    return strings.index(s)


lower = []
for enc in ENCODINGS:
    for s in STRINGS:
        lower.append({'enc': enc, 's': sid(s), 'bad': None, **run_store(enc, host(s))})
    for s in BAD_STRINGS:
        for bad, r in bad_variants(enc, host(s)):
            lower.append({'enc': enc, 's': sid(s), 'bad': bad, **r})


def image_case(enc, data, ptr, tagged):
    heap = Heap()
    heap.memory[IMAGE_AT:IMAGE_AT + len(data)] = data
    try:
        s, _, _ = d.load_string_from_range(heap.cx(enc), ptr, tagged)
        return s
    except d.Trap:
        return None


def stored_image(enc, s):
    """The bytes, pointer and length the spec stores for `s` in `enc`, at IMAGE_AT."""
    heap = Heap()
    heap.last_alloc = IMAGE_AT
    ptr, n = d.store_string_into_range(heap.cx(enc), host(s))
    return bytes(heap.memory[IMAGE_AT:heap.last_alloc]), ptr, n


TAG = 1 << 31
MEM = PAGES * 65536
BAD_UTF8 = [[0x80], [0xbf], [0xc0, 0x80], [0xc1, 0xbf], [0xc2], [0xc2, 0x41], [0xdf, 0xc0],
            [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xe0, 0xa0, 0x80], [0xe0, 0xa0],
            [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xee, 0x80, 0x80],
            [0xef, 0xbb, 0xbf], [0xef, 0xbf, 0xbe], [0xef, 0xbf, 0xbf], [0xf0, 0x8f, 0xbf, 0xbf],
            [0xf0, 0x90, 0x80, 0x80], [0xf0, 0x90, 0x80], [0xf4, 0x8f, 0xbf, 0xbf],
            [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80],
            [0xfe], [0xff], [0x41, 0xc3], [0x41, 0xc3, 0xa9, 0x42]]
BAD_UTF16 = [[0xd800], [0xdc00], [0xdbff, 0xdfff], [0xd800, 0x41], [0x41, 0xd800],
             [0xdc00, 0xd800], [0xd800, 0xd800, 0xdc00], [0xfeff, 0x41], [0xfffe], [0xffff]]


def u16le(units):
    return b''.join(u.to_bytes(2, 'little') for u in units)


def images(enc):
    """(data, ptr, tagged length, stored string or None) for `enc`: valid (stored by the
    spec from a host string), corrupted, out of range."""
    out = []
    for s in FUN[:28] + [random_string() for _ in range(20)]:
        data, ptr, n = stored_image(enc, s)
        out.append((data, ptr, n, s))
    if enc == 'utf8':
        for b in BAD_UTF8:
            out.append((bytes(b), IMAGE_AT, len(b)))
        for _ in range(60):
            b = bytes(rng.choice([rng.randrange(0x80), rng.randrange(0x80, 0x100), 0xed, 0xf4,
                                  0xe0, 0xf0, 0xc2]) for _ in range(rng.randrange(1, 7)))
            out.append((b, IMAGE_AT, len(b)))
        out += [(b'abc', IMAGE_AT + 1, 2), (b'', MEM, 0), (b'', MEM, 1), (b'', MEM - 1, 1),
                (b'', MEM + 1, 0), (b'', 0, (1 << 28) - 1), (b'', 0, 1 << 28),
                (b'', 0, 0xffffffff), (b'', 0xffffffff, 1)]
    else:
        for u in BAD_UTF16:
            data = u16le(u)
            if enc == 'utf16':
                out.append((data, IMAGE_AT, len(u)))
            else:
                out.append((data, IMAGE_AT, len(u) | TAG))
        for _ in range(60):
            u = [rng.choice([rng.randrange(0x100), rng.randrange(0xd800, 0xdc00),
                             rng.randrange(0xdc00, 0xe000), rng.randrange(0x10000)])
                 for _ in range(rng.randrange(1, 6))]
            out.append((u16le(u), IMAGE_AT, len(u) | (TAG if enc != 'utf16' else 0)))
        if enc == 'utf16':
            out += [(b'ab', IMAGE_AT + 1, 1), (b'', MEM, 0), (b'', MEM, 1), (b'', MEM - 2, 1),
                    (b'', MEM - 1, 0), (b'', 0, (1 << 27) - 1), (b'', 0, 1 << 27),
                    (b'', 0, TAG), (b'', 0, 0xffffffff)]
        else:
            out += [(bytes([0x41, 0x80, 0x9f, 0xff]), IMAGE_AT, 4),
                    (bytes(range(256)), IMAGE_AT, 256), (b'ab', IMAGE_AT + 1, 1),
                    (b'ab', IMAGE_AT + 1, 1 | TAG), (b'', MEM, 0), (b'', MEM, 1),
                    (b'', MEM, TAG), (b'', MEM, 1 | TAG), (b'', MEM - 2, 2),
                    (b'', MEM - 2, 2 | TAG), (b'', MEM - 1, 0), (b'', 0, (1 << 28) - 1),
                    (b'', 0, 1 << 28), (b'', 0, (1 << 27) | TAG), (b'', 0, TAG - 1),
                    (b'', 0, 0xffffffff)]
    return [x if len(x) == 4 else (*x, None) for x in out]


def image_fields(data, ptr, n, s):
    """A source image: the host string the spec stored at IMAGE_AT (the test stores it
    again with the runtime's own lowering, checked by the `lower` cases), or raw bytes."""
    if s is not None:
        return {'stored': sid(s), 'ptr': ptr, 'len': n}
    return {'image': data.hex(), 'ptr': ptr, 'len': n}


lift = []
sources = {}
for enc in ENCODINGS:
    sources[enc] = images(enc)
    for data, ptr, n, s in sources[enc]:
        lift.append({'enc': enc, **image_fields(data, ptr, n, s),
                     'result': image_case(enc, data, ptr, n)})


def run_transcode(src, dst, data, ptr, n, bad=None):
    sheap = Heap()
    sheap.memory[IMAGE_AT:IMAGE_AT + len(data)] = data
    try:
        v = d.load_string_from_range(sheap.cx(src), ptr, n)
    except d.Trap:
        return {'result': None, 'calls': []}
    return run_store(dst, v, bad)


transcode = []
for src in ENCODINGS:
    for dst in ENCODINGS:
        cases = list(sources[src])
        for s in STRINGS[28:34] + STRINGS[-5:]:
            cases.append((*stored_image(src, s), s))
        for data, ptr, n, s in cases:
            transcode.append({'src': src, 'dst': dst, **image_fields(data, ptr, n, s),
                              'bad': None, **run_transcode(src, dst, data, ptr, n)})
        for s in BAD_STRINGS:
            data, ptr, n = stored_image(src, s)
            good = run_transcode(src, dst, data, ptr, n)
            for k, call in enumerate(good['calls']):
                for kind in (['misalign'] if call[2] > 1 else []) + ['oob']:
                    bad = {'call': k, 'kind': kind}
                    r = run_transcode(src, dst, data, ptr, n, bad)
                    assert r['result'] is None
                    transcode.append({'src': src, 'dst': dst, **image_fields(data, ptr, n, s),
                                      'bad': bad, **r})

def dumps(x):
    return json.dumps(x, separators=(',', ':'), ensure_ascii=False)


# One case per line, for readable diffs.
out = sys.stdout
out.write(f'{{"pages":{PAGES},"heapBase":{HEAP_BASE},"imageAt":{IMAGE_AT},\n"strings":[\n')
out.write(',\n'.join(dumps(x) for x in strings))
for name, cases in [('lower', lower), ('lift', lift), ('transcode', transcode)]:
    out.write(f'],\n"{name}":[\n')
    out.write(',\n'.join(dumps(c) for c in cases))
out.write(']}\n')
