;; `may_leave`: a component instance may not call out while its post-return function
;; runs (definitions.py: `canon_lift` clears `may_leave` around post-return, and
;; `canon_lower` traps when it is clear). In a component that uses async the runtime
;; keeps the flag (`AsyncInstance.mayLeave`); a sync host import's trampoline checks it.
;; `f`'s post-return calls the host's `log`, `g`'s calls nothing; `a` is an async export
;; that makes the component use async.
(component
  (import "log" (func $log (param "v" u32)))
  (core func $log' (canon lower (func $log)))
  (core func $ret (canon task.return))
  (core module $m
    (import "" "log" (func $log (param i32)))
    (import "" "ret" (func $ret))
    (func (export "f") (result i32) (i32.const 7))
    (func (export "post-log") (param i32) (call $log (local.get 0)))
    (func (export "g") (result i32) (call $log (i32.const 1)) (i32.const 8))
    (func (export "post-quiet") (param i32))
    (func (export "a") (result i32) (call $ret) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance (export "log" (func $log')) (export "ret" (func $ret))))))
  (func (export "f") (result u32) (canon lift (core func $i "f") (post-return (core func $i "post-log"))))
  (func (export "g") (result u32) (canon lift (core func $i "g") (post-return (core func $i "post-quiet"))))
  (func (export "a") async (canon lift (core func $i "a") async (callback (core func $i "cb")))))
