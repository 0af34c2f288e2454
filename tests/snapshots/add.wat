;; The smallest useful component: `add(u32, u32) -> u32`. Its JS must stay tiny: no
;; string, resource or async runtime.
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
)
