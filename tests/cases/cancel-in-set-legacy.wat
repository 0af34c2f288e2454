;; A synchronous `stream.cancel-read` of an end that is in a waitable set: the spec
;; traps, except in a core module whose `producers` section names wit-bindgen-rust
;; older than 0.59 (the `wasip3` crate's runtime then cancelled before it took the
;; stream out of its task's set); the cancel then takes the end out of the set. This
;; module's toolchain: legacy.
(component
  (type $s (stream))
  (core func $new (canon stream.new $s))
  (core func $read (canon stream.read $s async))
  (core func $cancel (canon stream.cancel-read $s))
  (core func $set (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core module $m
    (@producers (processed-by "wit-bindgen-rust" "0.58.0"))
    (import "" "new" (func $new (result i64)))
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "cancel" (func $cancel (param i32) (result i32)))
    (import "" "set" (func $set (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    ;; Returns what the cancel returned: CANCELLED (2), nothing copied.
    (func (export "run") (result i32)
      (local $r i32)
      (local.set $r (i32.wrap_i64 (call $new)))
      (drop (call $read (local.get $r) (i32.const 0) (i32.const 1)))
      (call $join (local.get $r) (call $set))
      (call $cancel (local.get $r))))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "new" (func $new)) (export "read" (func $read)) (export "cancel" (func $cancel))
      (export "set" (func $set)) (export "join" (func $join))))))
  (func (export "run") (result u32) (canon lift (core func $i "run")))
)
