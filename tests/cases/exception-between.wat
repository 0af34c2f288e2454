;; A core exception thrown by one component's function, called by another through their
;; fused adapter, must not reach the caller as a core exception: it becomes a trap at
;; the boundary (a JS exception the caller's core code may still `catch_all`), which
;; poisons the component; uncaught, it leaves the component as that trap. `--lowered`
;; compiles the adapter into the module, which catches the exception there
;; (crates/lower/src/catch.rs).
(component
  (component $a
    (core module $m
      (tag $t (param i32))
      (func (export "f") (result i32) (throw $t (i32.const 7))))
    (core instance $i (instantiate $m))
    (func (export "f") (result u32) (canon lift (core func $i "f"))))
  (component $b
    (import "f" (func $f (result u32)))
    (core func $f (canon lower (func $f)))
    (core module $m
      (import "a" "f" (func $f (result i32)))
      ;; 1 when the call threw something it caught, else what it returned.
      (func (export "g") (result i32)
        (block $caught
          (try_table (catch_all $caught)
            (return (call $f))))
        (i32.const 1))
      ;; The call alone: what it throws leaves the component.
      (func (export "h") (result i32) (call $f)))
    (core instance $i (instantiate $m (with "a" (instance (export "f" (func $f))))))
    (func (export "g") (result u32) (canon lift (core func $i "g")))
    (func (export "h") (result u32) (canon lift (core func $i "h"))))
  (instance $a (instantiate $a))
  (instance $b (instantiate $b (with "f" (func $a "f"))))
  (export "g" (func $b "g"))
  (export "h" (func $b "h")))
