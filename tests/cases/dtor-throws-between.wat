;; A destructor that throws a core exception, run by another component's
;; `resource.drop`: the exception must not reach the dropping component's core code. It
;; becomes the trap "a core wasm exception was not caught inside the component" (weft's
;; JS: the built-in's guard; `--lowered`: the module's `resource.drop` catches it,
;; crates/lower/src/catch.rs), which poisons the component.
(component
  (component $a
    (core module $d
      (tag $t (param i32))
      (func (export "dtor") (param i32) (throw $t (local.get 0))))
    (core instance $d (instantiate $d))
    (type $r (resource (rep i32) (dtor (core func $d "dtor"))))
    (core func $new (canon resource.new $r))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (func (export "make") (result i32) (call $new (i32.const 9))))
    (core instance $i (instantiate $m (with "" (instance (export "new" (func $new))))))
    (export $r' "r" (type $r))
    (func (export "make") (result (own $r')) (canon lift (core func $i "make"))))
  (component $b
    (import "r" (type $r (sub resource)))
    (import "make" (func $make (result (own $r))))
    (core func $make (canon lower (func $make)))
    (core func $drop (canon resource.drop $r))
    (core module $m
      (import "" "make" (func $make (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "run") (call $drop (call $make)))
      (func (export "fine") (result i32) (i32.const 5)))
    (core instance $i (instantiate $m
      (with "" (instance (export "make" (func $make)) (export "drop" (func $drop))))))
    (func (export "run") (canon lift (core func $i "run")))
    (func (export "fine") (result u32) (canon lift (core func $i "fine"))))
  (instance $a (instantiate $a))
  (instance $b (instantiate $b (with "r" (type $a "r")) (with "make" (func $a "make"))))
  (export "run" (func $b "run"))
  (export "fine" (func $b "fine")))
