;; `--record` (docs/record-replay.md): every call across the boundary, export calls and
;; the host calls inside them, with their values in WAVE, results (`ok`/`err` however JS
;; saw them), traps, and host resources as trace ids (their drops too). The jco variants are transpiled
;; without it (`--record` writes native shapes only).
;; weft: --record
(component
  (import "log" (func $log (param "msg" string)))
  (import "h" (type $h (sub resource)))
  (import "make-h" (func $make-h (result (own $h))))
  (import "use-h" (func $use-h (param "h" (borrow $h)) (result u32)))
  (core module $mem (memory (export "memory") 1) (data (i32.const 16) "hi"))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "memory" (core memory $memory))
  (core func $log' (canon lower (func $log) (memory $memory)))
  (core func $make-h' (canon lower (func $make-h)))
  (core func $use-h' (canon lower (func $use-h)))
  (core func $drop-h (canon resource.drop $h))
  (core module $m
    (import "" "memory" (memory 1))
    (import "" "log" (func $log (param i32 i32)))
    (import "" "make-h" (func $make-h (result i32)))
    (import "" "use-h" (func $use-h (param i32) (result i32)))
    (import "" "drop-h" (func $drop-h (param i32)))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    ;; log("hi"), log("h")
    (func (export "greet")
      (call $log (i32.const 16) (i32.const 2))
      (call $log (i32.const 16) (i32.const 1)))
    ;; ok(n) below 10, else err(n)
    (func (export "check") (param $n i32) (result i32)
      (i32.store (i32.const 64) (i32.ge_u (local.get $n) (i32.const 10)))
      (i32.store (i32.const 68) (local.get $n))
      (i32.const 64))
    (func (export "boom") unreachable)
    ;; a host handle used twice, then dropped: the sum of what use-h said
    (func (export "hold") (result i32) (local $h i32)
      (local.set $h (call $make-h))
      (i32.add (call $use-h (local.get $h)) (call $use-h (local.get $h)))
      (call $drop-h (local.get $h))))
  (core instance $i (instantiate $m (with "" (instance
    (export "memory" (memory $memory)) (export "log" (func $log'))
    (export "make-h" (func $make-h')) (export "use-h" (func $use-h')) (export "drop-h" (func $drop-h))))))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "greet") (canon lift (core func $i "greet")))
  (func (export "check") (param "n" u32) (result (result u32 (error u32)))
    (canon lift (core func $i "check") (memory $memory)))
  (func (export "boom") (canon lift (core func $i "boom")))
  (func (export "hold") (result u32) (canon lift (core func $i "hold"))))
