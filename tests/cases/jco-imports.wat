;; `--compat jco`'s import surface (docs/js-api.md, "How imports are found"): an
;; unmapped import is found under its name without version; `--map` matches across
;; semver-compatible versions and names a module member (`#Other`); a root-level
;; resource's functions are its class (`new Counter(n)`, `Counter.zero()`); and a host
;; function returning a `result` that throws a value that is not an `Error` returns it
;; as `err` (jco's rule), where weft's own mode traps. A function named with a reserved
;; word is found under that name (`throw`), where weft's own mode adds `_`.
;; weft: --map ex:pkg/other@0.1.0=./other.js#Other
(component
  (import "ex:pkg/api@0.1.2" (instance $api
    (export "twice" (func (param "x" u32) (result u32)))
    (export "throw" (func (param "x" u32) (result u32)))))
  (import "ex:pkg/other@0.1.5" (instance $other (export "seven" (func (result u32)))))
  (import "counter" (type $counter (sub resource)))
  (import "[constructor]counter" (func $ctor (param "start" u32) (result (own $counter))))
  (import "[method]counter.bump" (func $bump (param "self" (borrow $counter)) (result u32)))
  (import "[static]counter.zero" (func $zero (result (own $counter))))
  (import "check" (func $check (param "x" u32) (result (result u32 (error u32)))))
  (import "check-str" (func $check-str (param "x" u32) (result (result u32 (error string)))))

  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))

  (alias export $api "twice" (func $twice))
  (alias export $api "throw" (func $throw))
  (alias export $other "seven" (func $seven))
  (core func $twice' (canon lower (func $twice)))
  (core func $throw' (canon lower (func $throw)))
  (core func $seven' (canon lower (func $seven)))
  (core func $ctor' (canon lower (func $ctor)))
  (core func $bump' (canon lower (func $bump)))
  (core func $zero' (canon lower (func $zero)))
  (core func $drop' (canon resource.drop $counter))
  (core func $check' (canon lower (func $check) (memory $mem)))
  (core func $check-str' (canon lower (func $check-str) (memory $mem) (realloc $realloc) string-encoding=utf8))

  (core module $m
    (import "" "mem" (memory 1))
    (import "" "twice" (func $twice (param i32) (result i32)))
    (import "" "throw" (func $throw (param i32) (result i32)))
    (import "" "seven" (func $seven (result i32)))
    (import "" "ctor" (func $ctor (param i32) (result i32)))
    (import "" "bump" (func $bump (param i32) (result i32)))
    (import "" "zero" (func $zero (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (import "" "check" (func $check (param i32 i32)))
    (import "" "check-str" (func $check-str (param i32 i32)))
    (func (export "use-api") (param i32) (result i32) (call $twice (local.get 0)))
    (func (export "use-throw") (param i32) (result i32) (call $throw (local.get 0)))
    (func (export "use-other") (result i32) (call $seven))
    ;; bump a new counter twice and a zero one once: a + 1000 b + 1000000 c
    (func (export "use-counter") (param i32) (result i32)
      (local $h i32) (local $z i32) (local $a i32) (local $b i32) (local $c i32)
      (local.set $h (call $ctor (local.get 0)))
      (local.set $a (call $bump (local.get $h)))
      (local.set $b (call $bump (local.get $h)))
      (local.set $z (call $zero))
      (local.set $c (call $bump (local.get $z)))
      (call $drop (local.get $h))
      (call $drop (local.get $z))
      (i32.add (i32.add (local.get $a) (i32.mul (local.get $b) (i32.const 1000)))
        (i32.mul (local.get $c) (i32.const 1000000))))
    ;; ok(v) -> v, err(e) -> 1000 + e
    (func (export "check") (param i32) (result i32)
      (call $check (local.get 0) (i32.const 16))
      (if (result i32) (i32.load8_u (i32.const 16))
        (then (i32.add (i32.const 1000) (i32.load (i32.const 20))))
        (else (i32.load (i32.const 20)))))
    ;; ok(v) -> v, err(s) -> 100000 + 1000 len(s) + s[0]
    (func (export "check-str") (param i32) (result i32)
      (call $check-str (local.get 0) (i32.const 32))
      (if (result i32) (i32.load8_u (i32.const 32))
        (then (i32.add
          (i32.add (i32.const 100000) (i32.mul (i32.load (i32.const 40)) (i32.const 1000)))
          (i32.load8_u (i32.load (i32.const 36)))))
        (else (i32.load (i32.const 36))))))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $mem))
      (export "twice" (func $twice'))
      (export "throw" (func $throw'))
      (export "seven" (func $seven'))
      (export "ctor" (func $ctor'))
      (export "bump" (func $bump'))
      (export "zero" (func $zero'))
      (export "drop" (func $drop'))
      (export "check" (func $check'))
      (export "check-str" (func $check-str'))))))
  (func (export "use-api") (param "x" u32) (result u32) (canon lift (core func $i "use-api")))
  (func (export "use-throw") (param "x" u32) (result u32) (canon lift (core func $i "use-throw")))
  (func (export "use-other") (result u32) (canon lift (core func $i "use-other")))
  (func (export "use-counter") (param "start" u32) (result u32) (canon lift (core func $i "use-counter")))
  (func (export "check") (param "x" u32) (result u32) (canon lift (core func $i "check")))
  (func (export "check-str") (param "x" u32) (result u32) (canon lift (core func $i "check-str"))))
