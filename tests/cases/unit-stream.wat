;; A `stream<_>` carries counts, not values: a copy of 2^28 - 1 unit values (the most
;; one buffer may hold) completes without making a value per element (it exhausted the
;; JS heap), and one more is the spec's trap.
(component
  (type $s (stream))
  (core func $new (canon stream.new $s))
  (core func $read (canon stream.read $s async))
  (core func $write (canon stream.write $s async))
  (core module $m
    (import "" "new" (func $new (result i64)))
    (import "" "read" (func $read (param i32 i32 i32) (result i32)))
    (import "" "write" (func $write (param i32 i32 i32) (result i32)))
    ;; Writes `n` units into a new stream, then reads up to `n`: returns the packed
    ;; result of the read (count << 4 | COMPLETED).
    (func (export "copy") (param $n i32) (result i32)
      (local $ends i64)
      (local.set $ends (call $new))
      (drop (call $write (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))) (i32.const 0) (local.get $n)))
      (call $read (i32.wrap_i64 (local.get $ends)) (i32.const 0) (local.get $n))))
  (core instance $i (instantiate $m
    (with "" (instance (export "new" (func $new)) (export "read" (func $read)) (export "write" (func $write))))))
  (func (export "copy") (param "n" u32) (result u32) (canon lift (core func $i "copy")))
)
