;; A core exception must not leave a component: one thrown by a core function that is
;; lifted (sync, or async with a callback) reaches JS as a trap, a
;; `WebAssembly.RuntimeError` named `Trap` whose `cause` is the exception, and poisons
;; the instance, as a trap does.
(component
  (core module $m
    (tag $t (param i32))
    (func (export "sync") (result i32) (throw $t (i32.const 7)))
    (func (export "async") (result i32) (throw $t (i32.const 7)))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable)
    (func (export "fine") (result i32) (i32.const 5)))
  (core instance $i (instantiate $m))
  (func (export "sync") (result u32) (canon lift (core func $i "sync")))
  (func (export "async") async (result u32)
    (canon lift (core func $i "async") async (callback (core func $i "cb"))))
  (func (export "fine") (result u32) (canon lift (core func $i "fine")))
)
