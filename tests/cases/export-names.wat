;; Export names: two interfaces whose short names collide (`local:local/run` and
;; `wasi:cli/run@0.3.0` are both `run`) are exported under their full names only; a
;; unique short name (`tools` of `local:local/tools`) is an alias; a world function keeps
;; its own name.
(component
  (core module $m
    (func (export "one") (result i32) (i32.const 1))
    (func (export "two") (result i32) (i32.const 2))
    (func (export "three") (result i32) (i32.const 3))
    (func (export "four") (result i32) (i32.const 4)))
  (core instance $i (instantiate $m))
  (func $one (result u32) (canon lift (core func $i "one")))
  (func $two (result u32) (canon lift (core func $i "two")))
  (func $three (result u32) (canon lift (core func $i "three")))
  (func $four (result u32) (canon lift (core func $i "four")))
  (instance $local (export "run" (func $one)))
  (instance $wasi (export "run" (func $two)))
  (instance $tools (export "version" (func $three)))
  (export "local:local/run" (instance $local))
  (export "wasi:cli/run@0.3.0" (instance $wasi))
  (export "local:local/tools" (instance $tools))
  (export "answer" (func $four))
)
