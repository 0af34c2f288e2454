;; A guest destructor JS runs through `[Symbol.dispose]` (no export wrapper around it):
;; a trap in it poisons the component, and a core exception thrown by it reaches JS as
;; a trap (`Trap` with the exception as `cause`), not as a raw `WebAssembly.Exception`.
(component
  (core module $d
    (tag $t (param i32))
    ;; rep 1 traps, rep 2 throws a core exception, others are fine
    (func (export "dtor") (param i32)
      (if (i32.eq (local.get 0) (i32.const 1)) (then unreachable))
      (if (i32.eq (local.get 0) (i32.const 2)) (then (throw $t (i32.const 7))))))
  (core instance $d (instantiate $d))
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
