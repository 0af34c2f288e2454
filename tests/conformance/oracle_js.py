"""JS values for the Canonical ABI oracle (oracle.py), as docs/js-api.md ("Values")
defines them. definitions.py says what a value of a type lowers to; this module says
which JS values stand for it and which JS values must be refused:

  plain(t, v)    the JS form of v (what lifting v must give back),
  coerced(t, v)  another JS value that must lower exactly as v': out-of-range and
                 fractional numbers (wrapped as ToUint8 … ToInt32 do), bigints wrapped
                 to 64 bits, an Array for a typed array, a Buffer, lone surrogates
                 (U+FFFD), undefined for none, omitted false flags and none fields,
                 extra properties, inherited fields, a plain object for a map;
                 v' is v except for a map given as an object (its keys in JS order),
  wrong(t, v)    a value refused before anything of the guest runs, with what must
                 be thrown: a TypeError or RangeError whose message starts with the
                 path of the bad part (`arg 0 .items[3].name: `), or the value's own
                 exception (`sentinel`: a getter or Proxy trap that throws),
  flip(t, v)     a value whose getters answer right on the first read and anything
                 on the next (wrong kinds, other values, a lying `length`, a throw):
                 whatever happens, the guest's memory outside the blocks it allocated
                 must stay unchanged.

Values are JSON with tags that tests/conformance/oracle-values.mjs revives:
{"$big": "1"} bigint, {"$f64": hex} number by its bits, {"$ta": class, "v": [..]} typed
array (or Buffer; with "n" instead of "v", n zeros), {"$map": [[k, v]..]}, {"$obj":
[[k, v]..], "proto": ..} an object built from entries (proto "null", "inherit": the
entries on its prototype, "other": a prototype that is not Object.prototype, none: a
plain object), {"$arr": [..], "hole"|"throw"|"flip": ..} an
Array with a hole, a throwing getter or a flipping getter at an index, {"$len": [arr,
L]} a Proxy of an Array whose `length` is L, {"$proxy": "array"|"object"} a Proxy whose
every trap throws the sentinel, {"$raise": 1} (as a flip's second value) a throw of the
sentinel, and {"$undef"}, {"$sym"}, {"$fn"}, {"$set"}, {"$ab"}, {"$dv"}, {"$date"},
{"$strobj": s}, {"$numobj": n}, {"$valueOf": 1} (an object whose valueOf throws),
{"$long": 1} (a string of 2^27 code units). A plain object's "$throw": key and "$flip":
[key, second] make that property a getter.
"""

import re
import struct

TYPED = {"U8Type": "Uint8Array", "S8Type": "Int8Array", "U16Type": "Uint16Array",
         "S16Type": "Int16Array", "U32Type": "Uint32Array", "S32Type": "Int32Array",
         "U64Type": "BigUint64Array", "S64Type": "BigInt64Array", "F32Type": "Float32Array",
         "F64Type": "Float64Array"}
INT_BITS = {"S8Type": 8, "U8Type": 8, "S16Type": 16, "U16Type": 16, "S32Type": 32, "U32Type": 32}
# weft's bound on a list's bytes (weft_core::abi::MAX_BYTE_LENGTH, definitions.py's
# MAX_LIST_BYTE_LENGTH).
MAX_BYTE_LENGTH = (1 << 28) - 1

UNDEF = {"$undef": 1}
SENTINEL = "sentinel"


def camel(label):
    parts = label.split("-")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def f64(x):
    return {"$f64": struct.pack("<d", x).hex()}


def is_array_index(k):
    return re.fullmatch(r"0|[1-9][0-9]*", k) is not None and int(k) < 2**32 - 1


class Site:
    """A place in a JS value: its type, definitions.py value and path (segments after
    `arg 0`), the container holding it (`holder`: (container, key)) and the site of
    that container (`parent`, None at the root or in a Map entry)."""

    def __init__(self, t, v, segs, parent):
        self.t, self.v, self.segs, self.parent = t, v, segs, parent
        self.holder = None
        self.accepts = []  # JS values that are right here whatever t is (none, a false flag)
        self.kind = None  # 'obj', 'arr', 'ta', 'map' when this site is a container


def path(segs, root="arg 0"):
    return root + (" " + "".join(segs) if segs else "")


class Js:
    def __init__(self, d, gen, addr="i32"):
        self.d = d
        self.addr = addr  # the memory's address type: element sizes depend on it
        self.gen = gen  # oracle.Gen: random values of a type
        self.rng = gen.rng

    # ------------------------------------------------------------------ plain

    def plain(self, t, v):
        return self.render(t, v, [], [], None)

    def render(self, t, v, segs, sites, parent):
        """The plain JS form of v; appends a Site per value to `sites` (the caller sets
        `holder` once it placed the node)."""
        d = self.d
        s = Site(t, v, segs, parent)
        sites.append(s)

        def child(ct, cv, csegs, container, key, kind):
            s.kind = kind
            node, cs = self.render_site(ct, cv, csegs, sites, s if kind != "map" else None)
            container[key] = node
            cs.holder = (container, key)
            return cs

        if isinstance(t, (d.S64Type, d.U64Type)):
            return {"$big": str(v)}
        if isinstance(t, (d.F32Type, d.F64Type)):
            return f64(v)
        if isinstance(t, d.StringType):
            return v[0]
        if isinstance(t, d.ListType):
            ta = TYPED.get(type(t.t).__name__)
            elems = [None] * len(v)
            for i, x in enumerate(v):
                child(t.t, x, segs + [f"[{i}]"], elems, i, "ta" if ta else "arr")
            return {"$ta": ta, "v": elems} if ta else elems
        if isinstance(t, d.RecordType):
            out = {}
            for f in t.fields:
                child(f.t, v[f.label], segs + [f".{camel(f.label)}"], out, camel(f.label), "obj")
            return out
        if isinstance(t, d.TupleType):
            out = [None] * len(t.ts)
            for i, x in enumerate(t.ts):
                child(x, v[str(i)], segs + [f"[{i}]"], out, i, "arr")
            return out
        if isinstance(t, d.VariantType):
            [(label, payload)] = v.items()
            c = next(c for c in t.cases if c.label == label)
            out = {"tag": label}
            if c.t is not None:
                child(c.t, payload, segs + [".value"], out, "value", "obj")
            return out
        if isinstance(t, d.EnumType):
            [(label, _)] = v.items()
            return label
        if isinstance(t, d.OptionType):
            [(label, payload)] = v.items()
            if not isinstance(t.t, d.OptionType):
                s.accepts = [None, UNDEF]
                if label == "none":
                    return None
                # The payload is this very node: one site, of the payload's type.
                sites.pop()
                node, payload_site = self.render_site(t.t, payload, segs, sites, parent)
                payload_site.accepts = [None, UNDEF]
                return node
            out = {"tag": label}
            if label == "some":
                child(t.t, payload, segs + [".value"], out, "value", "obj")
            return out
        if isinstance(t, d.ResultType):
            [(label, payload)] = v.items()
            tag, pt = ("ok", t.ok) if label == "ok" else ("err", t.error)
            out = {"tag": tag}
            if pt is not None:
                child(pt, payload, segs + [".value"], out, "value", "obj")
            return out
        if isinstance(t, d.FlagsType):
            out = {}
            for lab in t.labels:
                child(d.BoolType(), v[lab], segs + [f".{camel(lab)}"], out, camel(lab), "obj").accepts = [UNDEF]
            return out
        if isinstance(t, d.MapType):
            entries = []
            for i, e in enumerate(v):
                pair = [None, None]
                child(t.k, e["0"], segs + [f"[{i}][0]"], pair, 0, "map")
                child(t.v, e["1"], segs + [f"[{i}][1]"], pair, 1, "map")
                entries.append(pair)
            return {"$map": entries}
        return v  # bool, 8- to 32-bit integers, char

    def render_site(self, t, v, segs, sites, parent):
        n = len(sites)
        node = self.render(t, v, segs, sites, parent)
        return node, sites[n]

    def with_sites(self, t, v):
        """The plain form in a box ([node]) and its sites, the root's holder the box."""
        sites = []
        node, root = self.render_site(t, v, [], sites, None)
        box = [node]
        root.holder = (box, 0)
        return box, sites

    # ------------------------------------------------------------------ helpers

    def accepts_undefined(self, t):
        d = self.d
        return isinstance(t, d.OptionType) and not isinstance(t.t, d.OptionType)

    def unwrap(self, t):
        """The type a value of `t` is checked as (an option's payload when it is
        nullable: `null` and `undefined` are none)."""
        return t.t if self.accepts_undefined(t) else t

    def is_variant_like(self, t):
        d = self.d
        return isinstance(t, (d.VariantType, d.ResultType)) or (
            isinstance(t, d.OptionType) and isinstance(t.t, d.OptionType))

    def tags(self, t):
        d = self.d
        if isinstance(t, d.VariantType):
            return [c.label for c in t.cases]
        if isinstance(t, d.ResultType):
            return ["ok", "err"]
        return ["none", "some"]

    def case_type(self, t, tag):
        d = self.d
        if isinstance(t, d.VariantType):
            return next(c.t for c in t.cases if c.label == tag)
        if isinstance(t, d.ResultType):
            return t.ok if tag == "ok" else t.error
        return t.t if tag == "some" else None

    def set_node(self, site, node):
        c, k = site.holder
        c[k] = node

    def as_array(self, site):
        """Makes the container of `site` a plain Array if it is a typed array (its
        elements list, already holding JS numbers or bigints)."""
        p = site.parent
        if p is not None and p.kind == "ta":
            c, k = p.holder
            c[k] = c[k]["v"]
            p.kind = "arr"

    def meta(self, site, key, value):
        """Puts a getter (`throw`, `flip`) or a hole at `site` in its container."""
        self.as_array(site)
        p = site.parent
        c, k = site.holder
        if p.kind == "obj":
            c["$" + key] = k if value is None else [k, value]
        else:
            pc, pk = p.holder
            pc[pk] = {"$arr": pc[pk], key: k if value is None else [k, value]}

    # ------------------------------------------------------------------ refusals

    def refused(self, t):
        """JS values a value of `t` (not a nullable option) is refused as, each with a
        TypeError at its own path."""
        d, r = self.d, self.rng
        objs = [{"$sym": 1}, {"$fn": 1}]
        if isinstance(t, d.BoolType):
            return [0, 1, "true", None, UNDEF, {}, [], {"$big": "1"}] + objs
        if type(t).__name__ in INT_BITS or isinstance(t, (d.F32Type, d.F64Type)):
            return [None, UNDEF, "1", True, {"$big": "1"}, {}, [], {"$numobj": 1}, {"$valueOf": 1},
                    {"$date": 1}] + objs
        if isinstance(t, (d.S64Type, d.U64Type)):
            return [1, f64(1.5), "1", None, UNDEF, True, {}, {"$valueOf": 1}] + objs
        if isinstance(t, d.CharType):
            return ["", "ab", "\ud800", "\udc00", "\ude00\ud83d", "a\u0301", "\U0001F600a", 65, None,
                    UNDEF, {"$strobj": "a"}, ["a"]] + objs
        if isinstance(t, d.StringType):
            return [None, UNDEF, 1, True, {"$strobj": "x"}, ["a"], {}, {"$big": "1"}] + objs
        if isinstance(t, d.EnumType):
            out = ["not-a-case", "", 0, None, UNDEF, {"$strobj": t.labels[0]}, t.labels[0].upper()]
            out += [camel(l) for l in t.labels if camel(l) != l]
            return [x for x in out if x not in t.labels] + objs
        if isinstance(t, d.ListType):
            out = [None, UNDEF, "abc", 0, {}, {"$obj": [["length", 0]]}, {"$set": 1},
                   {"$map": []}, {"$ab": 1}, {"$dv": 1}] + objs
            own = TYPED.get(type(t.t).__name__)
            others = [c for c in list(TYPED.values()) + ["Uint8ClampedArray", "Buffer"]
                      if c != own and not (own == "Uint8Array" and c == "Buffer")]
            n = t.l if t.l is not None else r.randrange(3)
            out.append({"$ta": r.choice(others), "n": n})
            return out
        if isinstance(t, d.TupleType):
            return [None, UNDEF, 0, "ab", {}, {"$obj": [[str(i), 0] for i in range(len(t.ts))]
                                             + [["length", len(t.ts)]]}] + objs
        if isinstance(t, (d.RecordType, d.FlagsType)) or self.is_variant_like(t):
            return [None, UNDEF, 0, "x", True, {"$big": "1"}] + objs
        if isinstance(t, d.MapType):
            return [None, UNDEF, 0, "x", [], {"$set": 1}, {"$date": 1},
                    {"$obj": [], "proto": "other"}] + objs
        raise ValueError(t)

    def throws_sentinel_as_proxy(self, t):
        """Whether the checks of `t` read something of a Proxy (then its trap's throw
        propagates) rather than refusing it by `typeof` alone."""
        d = self.d
        return isinstance(t, (d.ListType, d.TupleType, d.RecordType, d.FlagsType, d.MapType)) \
            or self.is_variant_like(t)

    # ------------------------------------------------------------------ wrong

    def wrong(self, t, v, root="arg 0"):
        """(JS value, expected) or None: one part of the plain form made wrong; `root`
        begins the paths (`arg 0`, `result of f`)."""
        self.root = root
        for _ in range(20):
            box, sites = self.with_sites(t, v)
            site = self.rng.choice(sites)
            expected = self.wrong_at(site)
            if expected is not None:
                return box[0], expected
        return None

    def expect(self, cls, segs):
        return {"error": cls, "path": path(segs, self.root)}

    def wrong_at(self, s):
        d, r = self.d, self.rng
        t = self.unwrap(s.t)
        none = self.accepts_undefined(s.t) and s.v == {"none": None}
        kinds = ["refused", "refused", "proxy"]
        if s.parent is not None and s.parent.kind in ("obj", "arr", "ta"):
            kinds.append("getter")
        if not none:
            if isinstance(t, d.ListType):
                kinds += ["length", "length"]
                if len(s.v) and not self.accepts_undefined(t.t):
                    kinds.append("hole")
            if isinstance(t, d.TupleType):
                kinds.append("length")
            if isinstance(t, d.RecordType) and any(not self.accepts_undefined(f.t) for f in t.fields):
                kinds.append("missing")
            if isinstance(t, d.FlagsType):
                kinds.append("flag")
            if self.is_variant_like(t):
                kinds += ["tag", "tag", "val"]
            if isinstance(t, d.MapType):
                kinds += ["pairs", "object"]
            if isinstance(t, d.StringType) and r.random() < 0.05:
                kinds.append("long")
        kind = r.choice(kinds)
        node = s.holder[0][s.holder[1]]
        if kind == "refused":
            self.as_array(s)
            self.set_node(s, r.choice([x for x in self.refused(t) if x not in s.accepts]))
            return self.expect("TypeError", s.segs)
        if kind == "proxy":
            self.as_array(s)
            arrayish = isinstance(t, (d.ListType, d.TupleType))
            self.set_node(s, {"$proxy": "array" if arrayish else "object"})
            if self.throws_sentinel_as_proxy(t):
                return {"error": SENTINEL}
            return self.expect("TypeError", s.segs)
        if kind == "getter":
            self.meta(s, "throw", None)
            return {"error": SENTINEL}
        if kind == "long":
            self.set_node(s, {"$long": 1})
            return self.expect("RangeError", s.segs)
        if kind == "hole":
            i = r.randrange(len(s.v))
            self.as_array_node(s)
            c, k = s.holder
            c[k] = {"$arr": c[k], "hole": i}
            return self.expect("TypeError", s.segs + [f"[{i}]"])
        if kind == "length":
            if isinstance(t, d.TupleType) or t.l is not None:
                n = len(t.ts) if isinstance(t, d.TupleType) else t.l
                self.as_array_node(s)
                c, k = s.holder
                c[k] = {"$len": [c[k], r.choice([n - 1, n + 1, 0, f64(n + 0.5), "2"])]}
                return self.expect("TypeError", s.segs)
            size = self.d.elem_size(t.t, self.addr)
            most = MAX_BYTE_LENGTH // size
            lie = r.choice([f64(1.5), -1, f64(float("nan")), f64(float("inf")), 2**32, 2**53,
                            "1", {"$big": "1"}, {"$sym": 1}, {"$valueOf": 1}, None, most + 1,
                            r.randint(most + 1, 2**32 - 1)])
            self.as_array_node(s)
            c, k = s.holder
            c[k] = {"$len": [c[k], lie]}
            return self.expect("RangeError", s.segs)
        if kind == "missing":
            f = r.choice([f for f in t.fields if not self.accepts_undefined(f.t)])
            del node[camel(f.label)]
            return self.expect("TypeError", s.segs + [f".{camel(f.label)}"])
        if kind == "flag":
            lab = camel(r.choice(t.labels))
            node[lab] = r.choice([1, 0, "true", None, {}, {"$big": "0"}])
            return self.expect("TypeError", s.segs + [f".{lab}"])
        if kind == "tag":
            tags = self.tags(t)
            bad = ["not-a-case", UNDEF, None, 0, {"$strobj": tags[0]}, tags[0].upper(), "error", "Some"]
            bad += [camel(x) for x in tags if camel(x) != x]
            bad = [x for x in bad if x not in tags]
            tag = r.choice(bad)
            if tag == UNDEF:
                del node["tag"]
            else:
                node["tag"] = tag
            return self.expect("TypeError", s.segs + [".tag"])
        if kind == "val":
            # jco's shape ({ tag, val }) where weft's is { tag, value }.
            pt = self.case_type(t, node["tag"])
            if pt is None or self.accepts_undefined(pt):
                return None
            node["val"] = node.pop("value")
            return self.expect("TypeError", s.segs + [".value"])
        if kind == "pairs":
            self.set_node(s, node["$map"])  # an Array of [key, value] pairs
            return self.expect("TypeError", s.segs)
        if kind == "object":
            if not isinstance(t.k, d.U32Type) or not s.v:
                return None
            # A u32-keyed map given as an object: its keys are strings.
            keys = sorted(e["0"] for e in s.v)
            self.set_node(s, {"$obj": [[str(k), 0] for k in keys]})
            return self.expect("TypeError", s.segs + ["[0][0]"])
        raise ValueError(kind)

    def as_array_node(self, s):
        """Makes the node at `s` (a list) a plain Array."""
        c, k = s.holder
        if isinstance(c[k], dict) and "$ta" in c[k]:
            c[k] = c[k]["v"]
            s.kind = "arr"

    # ------------------------------------------------------------------ flip

    def flip(self, t, v):
        """A JS value with one getter that answers the plain value on its first read
        and something else on the next; None when the value has no such place."""
        box, sites = self.with_sites(t, v)
        sites = [s for s in sites if s.parent is not None and s.parent.kind in ("obj", "arr", "ta")]
        if not sites:
            return None
        s = self.rng.choice(sites)
        t2 = self.unwrap(s.t)
        r = self.rng
        k = r.randrange(5)
        if k == 0:
            second = {"$raise": 1}
        elif k == 1:
            second = r.choice(self.refused(t2))
        elif k == 2 and isinstance(t2, self.d.ListType):
            first = self.plain(t2, s.v) if not (self.accepts_undefined(s.t) and s.v == {"none": None}) else []
            if isinstance(first, dict):
                first = first["v"]
            second = {"$len": [first, r.choice([0, len(first) + 1, len(first) + 100, 2**31, f64(1.5), -1])]}
        else:
            second = self.plain(s.t, self.gen.value(s.t))
        self.meta(s, "flip", second)
        return box[0]

    # ------------------------------------------------------------------ coerced

    def coerced(self, t, v):
        """(JS value, v'): a JS value that is not the plain form and lowers as v'."""
        d, r = self.d, self.rng
        name = type(t).__name__
        if name in INT_BITS:
            bits = INT_BITS[name]
            k = r.randrange(4)
            if k == 0:
                big = v + r.choice([-3, -2, -1, 1, 2, 3]) * 2**bits
                if abs(big) < 2**53:
                    return big, v
            if k == 1 and v != 0:
                return f64(v + (0.5 if v > 0 else -0.5) * r.random()), v
            if k == 2 and v == 0:
                return f64(r.choice([float("nan"), float("inf"), float("-inf"), -0.0, 0.25, -0.75])), v
            return v, v
        if isinstance(t, (d.S64Type, d.U64Type)):
            return {"$big": str(v + r.choice([-2, -1, 1, 2]) * 2**64)}, v
        if isinstance(t, d.F32Type) and v != 0 and v == v and abs(v) != float("inf"):
            bits = struct.unpack("<I", struct.pack("<f", v))[0]
            # A double strictly between v's neighbours rounds to v (when v is not the
            # largest finite f32, whose upper neighbour is infinity).
            if (bits & 0x7fffffff) < 0x7f7fffff:
                nxt = struct.unpack("<f", struct.pack("<I", bits + 1))[0]
                x = v + (nxt - v) * r.uniform(-0.4, 0.4)
                if struct.unpack("<f", struct.pack("<f", x))[0] == v:
                    return f64(x), v
            return f64(v), v
        if isinstance(t, d.StringType):
            s = v[0]
            i = r.randrange(len(s) + 1)
            lone = r.choice(["\ud800", "\udbff", "\udc00", "\udfff"])
            fixed = s[:i] + "\ufffd" + s[i:]
            return s[:i] + lone + s[i:], (fixed, "utf16", len(fixed.encode("utf-16-le")) // 2)
        if isinstance(t, d.ListType):
            ta = TYPED.get(type(t.t).__name__)
            pairs = [self.coerced(t.t, x) for x in v]
            elems = [p[0] for p in pairs]
            v2 = [p[1] for p in pairs]
            if ta and r.random() < 0.3:
                if ta == "Uint8Array":
                    return {"$ta": "Buffer", "v": [self.plain(t.t, x) for x in v2]}, v2
                return {"$ta": ta, "v": [self.plain(t.t, x) for x in v2]}, v2
            return elems, v2  # an Array, also for a typed array's type
        if isinstance(t, d.RecordType):
            out, v2 = [], {}
            for f in t.fields:
                x, v2[f.label] = self.coerced(f.t, v[f.label])
                if self.accepts_undefined(f.t) and v[f.label] == {"none": None} and r.random() < 0.5:
                    continue  # a missing field is none
                out.append([camel(f.label), x])
            if r.random() < 0.3:
                out.append(["zzExtra", "ignored"])
            proto = r.choice([None, None, "null", "inherit"])
            return ({"$obj": out, "proto": proto} if proto else dict(out)), v2
        if isinstance(t, d.TupleType):
            pairs = [self.coerced(x, v[str(i)]) for i, x in enumerate(t.ts)]
            return [p[0] for p in pairs], {str(i): p[1] for i, p in enumerate(pairs)}
        if isinstance(t, d.FlagsType):
            out = {}
            for lab in t.labels:
                if v[lab] or r.random() < 0.3:
                    out[camel(lab)] = v[lab]
                elif r.random() < 0.5:
                    out[camel(lab)] = UNDEF
            if r.random() < 0.3:
                out["zzExtra"] = 1
            return out, v
        if isinstance(t, d.OptionType) and not isinstance(t.t, d.OptionType):
            [(label, payload)] = v.items()
            if label == "none":
                return r.choice([None, UNDEF]), v
            x, p2 = self.coerced(t.t, payload)
            return x, {"some": p2}
        if self.is_variant_like(t):
            [(label, payload)] = v.items()
            tag = {"error": "err"}.get(label, label)
            pt = self.case_type(t, tag)
            out = {"tag": tag}
            v2 = v
            if pt is not None:
                out["value"], p2 = self.coerced(pt, payload)
                v2 = {label: p2}
            elif r.random() < 0.5:
                out["value"] = "ignored"
            if r.random() < 0.3:
                out["zzExtra"] = 1
            return out, v2
        if isinstance(t, d.MapType):
            pairs = [(self.coerced(t.k, e["0"]), self.coerced(t.v, e["1"])) for e in v]
            if isinstance(t.k, d.StringType) and r.random() < 0.6:
                # A plain object: its entries in JS's order of own keys (array indices
                # ascending, then the other keys in insertion order), lone surrogates
                # in keys left out (they would be fixed up as keys too).
                plain = [(self.plain(t.k, e["0"]), self.coerced(t.v, e["1"])) for e in v]
                idx = sorted((p for p in plain if is_array_index(p[0])), key=lambda p: int(p[0]))
                rest = [p for p in plain if not is_array_index(p[0])]
                order = idx + rest
                entries = [[k, x] for k, (x, _) in order]
                v2 = [{"0": (k, "utf16", len(k.encode("utf-16-le", "surrogatepass")) // 2), "1": x2}
                      for k, (_, x2) in order]
                return ({"$obj": entries, "proto": "null"} if r.random() < 0.5 else {"$obj": entries}), v2
            entries = [[k[0], x[0]] for k, x in pairs]
            return {"$map": entries}, [{"0": k[1], "1": x[1]} for k, x in pairs]
        return self.plain(t, v), v
