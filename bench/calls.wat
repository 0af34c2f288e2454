;; The component bench/calls.mjs measures (hand-written; converted with `wasm-tools parse`).
;;
;;   add(a: u32, b: u32) -> u32
;;   echo-string(s: string) -> string            a copy of s, in a fresh buffer (utf8)
;;   echo-string16(s: string) -> string          the same through string-encoding=utf16
;;   echo-list(b: list<u8>) -> list<u8>          a copy of b, in a fresh buffer
;;   echo-list32(l: list<u32>) -> list<u32>      a copy of l, in a fresh buffer
;;   echo-record(r: r8) -> r8                    r, written back to memory
;;   echo-points(l: list<point>) -> list<point>  a copy of l, in a fresh buffer
;;   some(n: u32) -> option<u32>                 some(n)
;;   checked(n: u32) -> result<u32, string>      ok(n) below 2^31, else err("value too large")
;;   num(n: u32) -> v                            v.num(n)
;;
;; with
;;   record r8 { a: u8, b: s16, c: u32, d: s64, e: f32, f: f64, g: bool, h: char }
;;     (canonical layout: a@0 b@2 c@4 d@8 e@16 f@24 g@32 h@36; 40 bytes, align 8)
;;   record point { x: u32, y: f64, z: u16 }   (x@0 y@8 z@16; 24 bytes, align 8)
;;   variant v { none, num(u32), text(string) } (tag u8 @0, payload @4; 12 bytes)
;;
;; Memory: bytes 0..1024 are static (the error string at 16, results returned by pointer
;; at 64); cabi_realloc is a bump allocator from 1024, and every export that allocates
;; (the echoes of strings and lists) has a post-return that resets it, so memory stops
;; growing after the first call of each size. The fixed-size results (r8, option, result,
;; variant) are written to the static area and need no post-return.
(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (data (i32.const 16) "value too large")

    (func $realloc (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32) (local $need i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.set $need (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536))))
      (if (i32.gt_s (local.get $need) (i32.const 0))
        (then (if (i32.lt_s
                    (memory.grow (i32.add (i32.const 1) (i32.div_u (local.get $need) (i32.const 65536))))
                    (i32.const 0))
          (then unreachable))))
      (if (local.get 1)
        (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
      (local.get $p))

    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))

    ;; copy: copies $bytes bytes at $ptr into a realloc'd buffer aligned to $align;
    ;; returns a pointer to (that buffer, $len).
    (func $copy (param $ptr i32) (param $bytes i32) (param $align i32) (param $len i32) (result i32)
      (local $out i32) (local $ret i32)
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (local.get $align) (local.get $bytes)))
      (memory.copy (local.get $out) (local.get $ptr) (local.get $bytes))
      (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
      (i32.store (local.get $ret) (local.get $out))
      (i32.store offset=4 (local.get $ret) (local.get $len))
      (local.get $ret))

    ;; The echoes of (ptr, len): len elements of 1 (utf8, u8), 2 (utf16 code units),
    ;; 4 (u32) and 24 (point) bytes.
    (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
      (call $copy (local.get $ptr) (local.get $len) (i32.const 1) (local.get $len)))
    (func (export "echo16") (param $ptr i32) (param $len i32) (result i32)
      (call $copy (local.get $ptr) (i32.shl (local.get $len) (i32.const 1)) (i32.const 2) (local.get $len)))
    (func (export "echo32") (param $ptr i32) (param $len i32) (result i32)
      (call $copy (local.get $ptr) (i32.shl (local.get $len) (i32.const 2)) (i32.const 4) (local.get $len)))
    (func (export "echo-points") (param $ptr i32) (param $len i32) (result i32)
      (call $copy (local.get $ptr) (i32.mul (local.get $len) (i32.const 24)) (i32.const 8) (local.get $len)))

    ;; post-return of the echoes: frees everything (resets the bump pointer).
    (func (export "echo-post") (param i32)
      (global.set $bump (i32.const 1024)))

    ;; echo-record: the 8 flat fields of r8, stored at 64 in r8's layout.
    (func (export "echo-record")
      (param $a i32) (param $b i32) (param $c i32) (param $d i64)
      (param $e f32) (param $f f64) (param $g i32) (param $h i32) (result i32)
      (i32.store8 offset=64 (i32.const 0) (local.get $a))
      (i32.store16 offset=66 (i32.const 0) (local.get $b))
      (i32.store offset=68 (i32.const 0) (local.get $c))
      (i64.store offset=72 (i32.const 0) (local.get $d))
      (f32.store offset=80 (i32.const 0) (local.get $e))
      (f64.store offset=88 (i32.const 0) (local.get $f))
      (i32.store8 offset=96 (i32.const 0) (local.get $g))
      (i32.store offset=100 (i32.const 0) (local.get $h))
      (i32.const 64))

    ;; tag1: (tag 1, n) at 64: option<u32>'s some(n) and v's num(n) alike.
    (func (export "tag1") (param $n i32) (result i32)
      (i32.store8 offset=64 (i32.const 0) (i32.const 1))
      (i32.store offset=68 (i32.const 0) (local.get $n))
      (i32.const 64))

    ;; checked: ok(n) = (0, n) below 2^31, else err = (1, ptr 16, len 15) at 64.
    (func (export "checked") (param $n i32) (result i32)
      (if (i32.ge_s (local.get $n) (i32.const 0))
        (then
          (i32.store8 offset=64 (i32.const 0) (i32.const 0))
          (i32.store offset=68 (i32.const 0) (local.get $n)))
        (else
          (i32.store8 offset=64 (i32.const 0) (i32.const 1))
          (i32.store offset=68 (i32.const 0) (i32.const 16))
          (i32.store offset=72 (i32.const 0) (i32.const 15))))
      (i32.const 64))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "cabi_realloc" (core func $realloc))
  (alias core export $i "echo-post" (core func $post))

  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "echo-string") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) string-encoding=utf8
      (post-return $post)))
  (func (export "echo-string16") (param "s" string) (result string)
    (canon lift (core func $i "echo16") (memory $mem) (realloc $realloc) string-encoding=utf16
      (post-return $post)))
  (func (export "echo-list") (param "b" (list u8)) (result (list u8))
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) (post-return $post)))
  (func (export "echo-list32") (param "l" (list u32)) (result (list u32))
    (canon lift (core func $i "echo32") (memory $mem) (realloc $realloc) (post-return $post)))
  (func (export "some") (param "n" u32) (result (option u32))
    (canon lift (core func $i "tag1") (memory $mem)))
  (func (export "checked") (param "n" u32) (result (result u32 (error string)))
    (canon lift (core func $i "checked") (memory $mem)))

  ;; The functions on named types (records, variants) are in an exported instance
  ;; `shapes` (a WIT interface): a world cannot export a type, and an exported function
  ;; may only name exported types.
  (type $r8 (record (field "a" u8) (field "b" s16) (field "c" u32) (field "d" s64)
                    (field "e" f32) (field "f" f64) (field "g" bool) (field "h" char)))
  (type $point (record (field "x" u32) (field "y" f64) (field "z" u16)))
  (type $v (variant (case "none") (case "num" u32) (case "text" string)))
  (func $echo-record (param "r" $r8) (result $r8)
    (canon lift (core func $i "echo-record") (memory $mem)))
  (func $echo-points (param "l" (list $point)) (result (list $point))
    (canon lift (core func $i "echo-points") (memory $mem) (realloc $realloc) (post-return $post)))
  (func $num (param "n" u32) (result $v)
    (canon lift (core func $i "tag1") (memory $mem)))
  (instance $shapes
    (export "r8" (type $r8)) (export "point" (type $point)) (export "v" (type $v))
    (export "echo-record" (func $echo-record))
    (export "echo-points" (func $echo-points))
    (export "num" (func $num)))
  (export "shapes" (instance $shapes))
)
