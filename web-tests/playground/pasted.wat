;; The component web-tests/playground/drive.mjs pastes into the playground's WAT editor:
;; a tuple parameter, 64-bit integers, and a function that never returns (for Stop).
(component
  (core module $m
    (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "neg") (param i64) (result i64) i64.const 0 local.get 0 i64.sub)
    (func (export "spin") (loop $forever br $forever)))
  (core instance $i (instantiate $m))
  (type $pair (tuple u32 u32))
  (func (export "sum-pair") (param "p" $pair) (result u32) (canon lift (core func $i "sum")))
  (func (export "negate") (param "x" s64) (result s64) (canon lift (core func $i "neg")))
  (func (export "spin") (canon lift (core func $i "spin"))))
