;; The component bench/imports.mjs measures (hand-written; converted with `wasm-tools parse`):
;; a guest that calls host (JS) imports of `bench:imports/host` in core-wasm loops.
;;
;; Imports (the host returns its argument, or wraps it):
;;   add(a: u32, b: u32) -> u32
;;   echo-string(s: string) -> string         lowered twice: utf8 and utf16
;;   echo-bytes(b: list<u8>) -> list<u8>
;;   echo-u32s(l: list<u32>) -> list<u32>
;;   echo-mixed(m: mixed) -> mixed             record of 8 mixed scalar fields
;;   echo-points(l: list<point>) -> list<point>
;;   get-option(x: u32) -> option<u32>        some(x)
;;   get-result(x: u32) -> result<u32, string> ok(x)
;;   get-variant(x: u32) -> v                  num(x)
;;   resource counter { constructor(start: u32); get: func() -> u32 }
;;
;; Exports: one driver per import, `run-*(n, ..., check) -> u32`, that calls the import n
;; times and returns how many calls came back right. The cheap checks (lengths, scalars,
;; every record field) run on every call; `check != 0` also compares every returned byte
;; or list element with the input. Inputs sit in memory, filled once by the start function.
;;
;; Two core modules: $libc (memory, bump allocator) and $main (drivers), so that the
;; lowered imports can use $libc's memory and realloc. The guest owns its heap: every
;; driver resets the bump pointer after each call, so memory stops growing.
;;
;; Memory layout (bench/imports.mjs hard-codes none of it):
;;   RET    = 64        return area of the lowered imports (40 bytes, 8-aligned)
;;   SRC8   = 0x10000   1 MiB of ASCII (32 + i % 95): utf8 strings and list<u8>
;;   SRC16  = 0x110000  the same 1 Mi characters as utf16 code units (2 MiB)
;;   SRC32  = 0x310000  256 Ki u32s (i * 2654435761)
;;   SRCPT  = 0x410000  10,000 points { x: i, y: i / 2, z: i & 0xffff }, 24 bytes each
;;   HEAP   = 0x450000  start of the bump heap (realloc), reset after every call
(component
  (import "bench:imports/host" (instance $host
    (type $mixed (record (field "a" u8) (field "b" s16) (field "c" u32) (field "d" s64)
                         (field "e" f32) (field "f" f64) (field "g" bool) (field "h" char)))
    (export "mixed" (type $mixed-t (eq $mixed)))
    (type $point (record (field "x" u32) (field "y" f64) (field "z" u16)))
    (export "point" (type $point-t (eq $point)))
    (type $v (variant (case "none") (case "num" u32) (case "text" string)))
    (export "v" (type $v-t (eq $v)))
    (export "counter" (type $counter (sub resource)))
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "echo-string" (func (param "s" string) (result string)))
    (export "echo-bytes" (func (param "b" (list u8)) (result (list u8))))
    (export "echo-u32s" (func (param "l" (list u32)) (result (list u32))))
    (export "echo-mixed" (func (param "m" $mixed-t) (result $mixed-t)))
    (export "echo-points" (func (param "l" (list $point-t)) (result (list $point-t))))
    (export "get-option" (func (param "x" u32) (result (option u32))))
    (export "get-result" (func (param "x" u32) (result (result u32 (error string)))))
    (export "get-variant" (func (param "x" u32) (result $v-t)))
    (export "[constructor]counter" (func (param "start" u32) (result (own $counter))))
    (export "[method]counter.get" (func (param "self" (borrow $counter)) (result u32)))
  ))

  ;; Memory and a bump allocator (the same as bench/calls.wat, with the bump pointer
  ;; exported so that $main can reset it).
  (core module $libc
    (memory (export "memory") 70)
    (global $bump (export "bump") (mut i32) (i32.const 0x450000))

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
  )

  ;; The drivers.
  (core module $main
    (import "libc" "memory" (memory 0))
    (import "libc" "bump" (global $bump (mut i32)))
    (import "host" "add" (func $add (param i32 i32) (result i32)))
    (import "host" "echo-string" (func $echo-string (param i32 i32 i32)))
    (import "host" "echo-string16" (func $echo-string16 (param i32 i32 i32)))
    (import "host" "echo-bytes" (func $echo-bytes (param i32 i32 i32)))
    (import "host" "echo-u32s" (func $echo-u32s (param i32 i32 i32)))
    (import "host" "echo-mixed" (func $echo-mixed (param i32 i32 i32 i64 f32 f64 i32 i32 i32)))
    (import "host" "echo-points" (func $echo-points (param i32 i32 i32)))
    (import "host" "get-option" (func $get-option (param i32 i32)))
    (import "host" "get-result" (func $get-result (param i32 i32)))
    (import "host" "get-variant" (func $get-variant (param i32 i32)))
    (import "host" "counter-new" (func $counter-new (param i32) (result i32)))
    (import "host" "counter-get" (func $counter-get (param i32) (result i32)))
    (import "host" "counter-drop" (func $counter-drop (param i32)))

    ;; Fills the inputs (SRC8, SRC16, SRC32, SRCPT).
    (func $fill
      (local $i i32)
      (loop $next
        (i32.store8 offset=0x10000 (local.get $i)
          (i32.add (i32.const 32) (i32.rem_u (local.get $i) (i32.const 95))))
        (i32.store16 offset=0x110000 (i32.shl (local.get $i) (i32.const 1))
          (i32.add (i32.const 32) (i32.rem_u (local.get $i) (i32.const 95))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 0x100000))))
      (local.set $i (i32.const 0))
      (loop $next
        (i32.store offset=0x310000 (i32.shl (local.get $i) (i32.const 2))
          (i32.mul (local.get $i) (i32.const 2654435761)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 0x40000))))
      (local.set $i (i32.const 0))
      (loop $next
        (call $store-point (i32.add (i32.const 0x410000) (i32.mul (local.get $i) (i32.const 24))) (local.get $i))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 10000)))))
    (start $fill)

    (func $store-point (param $p i32) (param $i i32)
      (i32.store (local.get $p) (local.get $i))
      (f64.store offset=8 (local.get $p) (f64.mul (f64.convert_i32_u (local.get $i)) (f64.const 0.5)))
      (i32.store16 offset=16 (local.get $p) (local.get $i)))

    ;; 1 if the n bytes at a and b are equal.
    (func $memeq (param $a i32) (param $b i32) (param $n i32) (result i32)
      (block $differ
        (loop $next
          (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
          (br_if $differ (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))))
          (local.set $a (i32.add (local.get $a) (i32.const 1)))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (i32.const 0))

    ;; 1 if the n points at a and b have equal fields (padding bytes are not compared).
    (func $points-eq (param $a i32) (param $b i32) (param $n i32) (result i32)
      (block $differ
        (loop $next
          (if (i32.eqz (local.get $n)) (then (return (i32.const 1))))
          (br_if $differ (i32.ne (i32.load (local.get $a)) (i32.load (local.get $b))))
          (br_if $differ (i64.ne (i64.load offset=8 (local.get $a)) (i64.load offset=8 (local.get $b))))
          (br_if $differ (i32.ne (i32.load16_u offset=16 (local.get $a)) (i32.load16_u offset=16 (local.get $b))))
          (local.set $a (i32.add (local.get $a) (i32.const 24)))
          (local.set $b (i32.add (local.get $b) (i32.const 24)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (i32.const 0))

    ;; After an echo of `len` elements (`bytes` bytes) from `src`: 1 if the (ptr, len) at RET
    ;; has length `len` and, if `check`, the bytes of src (points: their fields). Frees the heap.
    (func $echoed (param $src i32) (param $len i32) (param $bytes i32) (param $check i32) (param $points i32)
                  (result i32)
      (local $ok i32)
      (local.set $ok (i32.eq (i32.load offset=68 (i32.const 0)) (local.get $len)))
      (if (i32.and (local.get $ok) (i32.ne (local.get $check) (i32.const 0)))
        (then (local.set $ok
          (if (result i32) (local.get $points)
            (then (call $points-eq (i32.load offset=64 (i32.const 0)) (local.get $src) (local.get $len)))
            (else (call $memeq (i32.load offset=64 (i32.const 0)) (local.get $src) (local.get $bytes)))))))
      (global.set $bump (i32.const 0x450000))
      (local.get $ok))

    (func (export "run-add") (param $n i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $ok (i32.add (local.get $ok)
          (i32.eq (call $add (local.get $i) (i32.const 7)) (i32.add (local.get $i) (i32.const 7)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-echo-string(n, len, check): utf8, the first len bytes of SRC8.
    (func (export "run-echo-string") (param $n i32) (param $len i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $echo-string (i32.const 0x10000) (local.get $len) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok)
          (call $echoed (i32.const 0x10000) (local.get $len) (local.get $len) (local.get $check) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-echo-string16(n, len, check): utf16, the first len code units of SRC16.
    (func (export "run-echo-string16") (param $n i32) (param $len i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $echo-string16 (i32.const 0x110000) (local.get $len) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok)
          (call $echoed (i32.const 0x110000) (local.get $len) (i32.shl (local.get $len) (i32.const 1))
            (local.get $check) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-echo-bytes(n, len, check): the first len bytes of SRC8.
    (func (export "run-echo-bytes") (param $n i32) (param $len i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $echo-bytes (i32.const 0x10000) (local.get $len) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok)
          (call $echoed (i32.const 0x10000) (local.get $len) (local.get $len) (local.get $check) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-echo-u32s(n, len, check): the first len u32s of SRC32.
    (func (export "run-echo-u32s") (param $n i32) (param $len i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $echo-u32s (i32.const 0x310000) (local.get $len) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok)
          (call $echoed (i32.const 0x310000) (local.get $len) (i32.shl (local.get $len) (i32.const 2))
            (local.get $check) (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-echo-points(n, len, check): the first len points of SRCPT.
    (func (export "run-echo-points") (param $n i32) (param $len i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $echo-points (i32.const 0x410000) (local.get $len) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok)
          (call $echoed (i32.const 0x410000) (local.get $len) (i32.const 0) (local.get $check) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-echo-mixed(n, check): call i sends { a: i & 0xff, b: -(i & 0x3fff), c: 3i,
    ;; d: i * -1000000007, e: i, f: i / 4, g: i & 1, h: U+1F600 + (i & 0xff) } and
    ;; compares every field of the record returned at RET (layout: a@0 b@2 c@4 d@8 e@16
    ;; f@24 g@32 h@36).
    (func (export "run-echo-mixed") (param $n i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $echo-mixed
          (i32.and (local.get $i) (i32.const 0xff))
          (i32.sub (i32.const 0) (i32.and (local.get $i) (i32.const 0x3fff)))
          (i32.mul (local.get $i) (i32.const 3))
          (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const -1000000007))
          (f32.convert_i32_u (local.get $i))
          (f64.mul (f64.convert_i32_u (local.get $i)) (f64.const 0.25))
          (i32.and (local.get $i) (i32.const 1))
          (i32.add (i32.const 0x1f600) (i32.and (local.get $i) (i32.const 0xff)))
          (i32.const 64))
        (local.set $ok (i32.add (local.get $ok)
          (i32.and
            (i32.and
              (i32.and
                (i32.eq (i32.load8_u offset=64 (i32.const 0)) (i32.and (local.get $i) (i32.const 0xff)))
                (i32.eq (i32.load16_s offset=66 (i32.const 0))
                        (i32.sub (i32.const 0) (i32.and (local.get $i) (i32.const 0x3fff)))))
              (i32.and
                (i32.eq (i32.load offset=68 (i32.const 0)) (i32.mul (local.get $i) (i32.const 3)))
                (i64.eq (i64.load offset=72 (i32.const 0))
                        (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const -1000000007)))))
            (i32.and
              (i32.and
                (f32.eq (f32.load offset=80 (i32.const 0)) (f32.convert_i32_u (local.get $i)))
                (f64.eq (f64.load offset=88 (i32.const 0))
                        (f64.mul (f64.convert_i32_u (local.get $i)) (f64.const 0.25))))
              (i32.and
                (i32.eq (i32.load8_u offset=96 (i32.const 0)) (i32.and (local.get $i) (i32.const 1)))
                (i32.eq (i32.load offset=100 (i32.const 0))
                        (i32.add (i32.const 0x1f600) (i32.and (local.get $i) (i32.const 0xff)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-get-option(n, check): get-option(i) must be some(i) (discriminant 1 at RET, i at RET+4).
    (func (export "run-get-option") (param $n i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $get-option (local.get $i) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok) (call $tagged (i32.const 1) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-get-result(n, check): get-result(i) must be ok(i) (discriminant 0).
    (func (export "run-get-result") (param $n i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $get-result (local.get $i) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok) (call $tagged (i32.const 0) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; run-get-variant(n, check): get-variant(i) must be num(i) (discriminant 1).
    (func (export "run-get-variant") (param $n i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (call $get-variant (local.get $i) (i32.const 64))
        (local.set $ok (i32.add (local.get $ok) (call $tagged (i32.const 1) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))

    ;; 1 if RET holds discriminant `case` and the u32 payload `x`. Frees the heap.
    (func $tagged (param $case i32) (param $x i32) (result i32)
      (global.set $bump (i32.const 0x450000))
      (i32.and
        (i32.eq (i32.load8_u offset=64 (i32.const 0)) (local.get $case))
        (i32.eq (i32.load offset=68 (i32.const 0)) (local.get $x))))

    ;; run-counter(n, check): per call, `new counter(i)`, `get()` (must be i), drop.
    (func (export "run-counter") (param $n i32) (param $check i32) (result i32)
      (local $i i32) (local $ok i32) (local $h i32)
      (block $done (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h (call $counter-new (local.get $i)))
        (local.set $ok (i32.add (local.get $ok)
          (i32.eq (call $counter-get (local.get $h)) (local.get $i))))
        (call $counter-drop (local.get $h))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
      (local.get $ok))
  )

  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "cabi_realloc" (core func $realloc))
  (alias export $host "counter" (type $counter))

  (core func $add (canon lower (func $host "add")))
  (core func $echo-string (canon lower (func $host "echo-string")
    (memory $mem) (realloc $realloc) string-encoding=utf8))
  (core func $echo-string16 (canon lower (func $host "echo-string")
    (memory $mem) (realloc $realloc) string-encoding=utf16))
  (core func $echo-bytes (canon lower (func $host "echo-bytes") (memory $mem) (realloc $realloc)))
  (core func $echo-u32s (canon lower (func $host "echo-u32s") (memory $mem) (realloc $realloc)))
  (core func $echo-mixed (canon lower (func $host "echo-mixed") (memory $mem)))
  (core func $echo-points (canon lower (func $host "echo-points") (memory $mem) (realloc $realloc)))
  (core func $get-option (canon lower (func $host "get-option") (memory $mem)))
  (core func $get-result (canon lower (func $host "get-result") (memory $mem) (realloc $realloc)))
  (core func $get-variant (canon lower (func $host "get-variant") (memory $mem) (realloc $realloc)))
  (core func $counter-new (canon lower (func $host "[constructor]counter")))
  (core func $counter-get (canon lower (func $host "[method]counter.get")))
  (core func $counter-drop (canon resource.drop $counter))

  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "add" (func $add))
      (export "echo-string" (func $echo-string))
      (export "echo-string16" (func $echo-string16))
      (export "echo-bytes" (func $echo-bytes))
      (export "echo-u32s" (func $echo-u32s))
      (export "echo-mixed" (func $echo-mixed))
      (export "echo-points" (func $echo-points))
      (export "get-option" (func $get-option))
      (export "get-result" (func $get-result))
      (export "get-variant" (func $get-variant))
      (export "counter-new" (func $counter-new))
      (export "counter-get" (func $counter-get))
      (export "counter-drop" (func $counter-drop))))))

  (func (export "run-add") (param "n" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-add")))
  (func (export "run-echo-string") (param "n" u32) (param "len" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-echo-string")))
  (func (export "run-echo-string16") (param "n" u32) (param "len" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-echo-string16")))
  (func (export "run-echo-bytes") (param "n" u32) (param "len" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-echo-bytes")))
  (func (export "run-echo-u32s") (param "n" u32) (param "len" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-echo-u32s")))
  (func (export "run-echo-points") (param "n" u32) (param "len" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-echo-points")))
  (func (export "run-echo-mixed") (param "n" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-echo-mixed")))
  (func (export "run-get-option") (param "n" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-get-option")))
  (func (export "run-get-result") (param "n" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-get-result")))
  (func (export "run-get-variant") (param "n" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-get-variant")))
  (func (export "run-counter") (param "n" u32) (param "check" u32) (result u32)
    (canon lift (core func $main "run-counter")))
)
