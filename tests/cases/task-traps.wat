;; Traps the runtime raises for what a callback-lifted task did (no `task.return` before
;; exiting, an unknown callback code) poison the instance like a trap in its code: the
;; next call fails to enter instead of deadlocking on the exclusive lock the task held.
;; A trap after `task.return` in the same run rejects the call instead of being lost.
(component
  (core func $ret (canon task.return (result u32)))
  (core func $yield (canon thread.yield))
  (core module $m
    (import "" "ret" (func $ret (param i32)))
    (func (export "return-then-trap") (result i32)
      (call $ret (i32.const 7))
      unreachable)
    (func (export "no-return") (result i32)
      (i32.const 0))
    (func (export "yield-then-no-return") (result i32)
      (i32.const 1))
    (func (export "bad-code") (result i32)
      (i32.const 1))
    (func (export "cb-bad") (param i32 i32 i32) (result i32) (i32.const 5))
    (func (export "cb-exit") (param i32 i32 i32) (result i32) (i32.const 0))
    (func (export "ok") (result i32) (call $ret (i32.const 1)) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance (export "ret" (func $ret))))))
  (func (export "return-then-trap") async (result u32) (canon lift (core func $i "return-then-trap") async (callback (core func $i "cb"))))
  (func (export "no-return") async (result u32) (canon lift (core func $i "no-return") async (callback (core func $i "cb"))))
  (func (export "yield-then-no-return") async (result u32) (canon lift (core func $i "yield-then-no-return") async (callback (core func $i "cb-exit"))))
  (func (export "bad-code") async (result u32) (canon lift (core func $i "bad-code") async (callback (core func $i "cb-bad"))))
  (func (export "ok") async (result u32) (canon lift (core func $i "ok") async (callback (core func $i "cb"))))
)
