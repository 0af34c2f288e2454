;; Core modules exported to JS: `WebAssembly.Module`s, one the component also
;; instantiates and one it only exports (at the root and in an instance).
(component
  (core module $m (func (export "answer") (result i32) i32.const 42))
  (core module $n (memory (export "mem") 1) (func (export "seven") (result i32) i32.const 7))
  (core instance $i (instantiate $n))
  (func (export "seven") (result u32) (canon lift (core func $i "seven")))
  (export "m" (core module $m))
  (export "n" (core module $n))
  (instance $bag (export "m2" (core module $m)))
  (export "bag" (instance $bag))
)
