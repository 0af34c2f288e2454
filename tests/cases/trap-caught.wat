;; A trap a canonical built-in raises is a JS exception thrown into core wasm, which
;; `catch_all` catches: the guest could carry on after it as if nothing happened. The
;; built-in poisons the instance before it throws, so it is not entered again. `drop`
;; drops an unknown handle (`resource.drop` traps), `sub-drop` an unknown subtask
;; (`subtask.drop` traps); each returns 1 when it caught the trap. `a` is an async
;; export, so the component uses async. (Uses `try_table`: the test skips on engines
;; without it, node 20.)
(component
  (type $r (resource (rep i32)))
  (core func $drop (canon resource.drop $r))
  (core func $sub-drop (canon subtask.drop))
  (core func $ret (canon task.return))
  (core module $m
    (import "" "drop" (func $drop (param i32)))
    (import "" "sub-drop" (func $sub-drop (param i32)))
    (import "" "ret" (func $ret))
    (func (export "drop") (result i32)
      (block $caught
        (try_table (catch_all $caught) (call $drop (i32.const 99)))
        (return (i32.const 0)))
      (i32.const 1))
    (func (export "sub-drop") (result i32)
      (block $caught
        (try_table (catch_all $caught) (call $sub-drop (i32.const 99)))
        (return (i32.const 0)))
      (i32.const 1))
    (func (export "fine") (result i32) (i32.const 5))
    (func (export "a") (result i32) (call $ret) (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance
    (export "drop" (func $drop)) (export "sub-drop" (func $sub-drop)) (export "ret" (func $ret))))))
  (func (export "drop") (result u32) (canon lift (core func $i "drop")))
  (func (export "sub-drop") (result u32) (canon lift (core func $i "sub-drop")))
  (func (export "fine") (result u32) (canon lift (core func $i "fine")))
  (func (export "a") async (canon lift (core func $i "a") async (callback (core func $i "cb")))))
