;; A guest may catch what the host throws into it (to core wasm a JS exception is a core
;; exception, and `catch_all` catches it) and carry on: from a host import, or from a
;; host resource's `[Symbol.dispose]` that the guest's `resource.drop` ran. Both poison
;; the instance before the throw reaches the guest, so the instance is not entered again
;; as if that call had returned. (Uses `try_table`: the test skips on engines without
;; it, node 20.)
(component
  (import "h" (type $h (sub resource)))
  (import "fail" (func $fail))
  (import "make-h" (func $make-h (result (own $h))))
  (core func $fail' (canon lower (func $fail)))
  (core func $make-h' (canon lower (func $make-h)))
  (core func $drop-h (canon resource.drop $h))
  (core module $m
    (import "" "fail" (func $fail))
    (import "" "make-h" (func $make-h (result i32)))
    (import "" "drop-h" (func $drop-h (param i32)))
    ;; 1 when it caught what `fail` threw
    (func (export "catch-fail") (result i32)
      (block $caught
        (try_table (catch_all $caught) (call $fail))
        (return (i32.const 0)))
      (i32.const 1))
    ;; 1 when it caught what dropping a new `h` threw
    (func (export "catch-drop") (result i32)
      (local $h i32)
      (local.set $h (call $make-h))
      (block $caught
        (try_table (catch_all $caught) (call $drop-h (local.get $h)))
        (return (i32.const 0)))
      (i32.const 1))
    (func (export "fine") (result i32) (i32.const 5)))
  (core instance $i (instantiate $m (with "" (instance
    (export "fail" (func $fail')) (export "make-h" (func $make-h')) (export "drop-h" (func $drop-h))))))
  (func (export "catch-fail") (result u32) (canon lift (core func $i "catch-fail")))
  (func (export "catch-drop") (result u32) (canon lift (core func $i "catch-drop")))
  (func (export "fine") (result u32) (canon lift (core func $i "fine"))))
