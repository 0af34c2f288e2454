;; weft: --async-imports wait --async-exports run
;; A synchronous component whose host import may return a promise (`--async-imports
;; wait`): `run` (`--async-exports run`) calls `wait` twice and adds the results, so
;; the guest suspends with JSPI while the host's promises settle. `add` stays
;; synchronous and never waits.
(component
  (import "wait" (func $wait (param "ms" u32) (result u32)))
  (core func $wait' (canon lower (func $wait)))
  (core module $M
    (import "" "wait" (func $wait (param i32) (result i32)))
    (func (export "run") (result i32)
      (i32.add (call $wait (i32.const 1)) (call $wait (i32.const 2))))
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1))))
  (core instance $m (instantiate $M (with "" (instance (export "wait" (func $wait'))))))
  (func (export "run") (result u32) (canon lift (core func $m "run")))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add"))))
