;; A guest destructor run by the FinalizationRegistry (an owned object collected without
;; `[Symbol.dispose]`): a trap in it poisons the instance and is reported on stderr, not
;; thrown (a throw from a finalizer is an uncaught exception: node would exit). Once
;; the instance is poisoned, no destructor runs: not from the finalizer, not from
;; `[Symbol.dispose]` (which does nothing then).
;;
;; The destructor logs each rep to the host (`log`), then traps for rep 1 and throws a
;; core exception for rep 2.
(component
  (import "log" (func $log (param "rep" u32)))
  (core func $log' (canon lower (func $log)))
  (core module $d
    (import "" "log" (func $log (param i32)))
    (tag $t (param i32))
    (func (export "dtor") (param i32)
      (call $log (local.get 0))
      (if (i32.eq (local.get 0) (i32.const 1)) (then unreachable))
      (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $t (i32.const 7))))))
  (core instance $d (instantiate $d (with "" (instance (export "log" (func $log'))))))
  (type $r (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $new (canon resource.new $r))
  (core module $m
    (import "" "new" (func $new (param i32) (result i32)))
    (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "fine") (result i32) (i32.const 5)))
  (core instance $i (instantiate $m (with "" (instance (export "new" (func $new))))))
  (export $r' "r" (type $r))
  (func (export "make") (param "rep" u32) (result (own $r')) (canon lift (core func $i "make")))
  (func (export "fine") (result u32) (canon lift (core func $i "fine"))))
