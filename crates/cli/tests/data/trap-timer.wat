;; A WASI 0.3 command that starts a ten-minute host timer, then traps: `weft run`
;; must exit with 1 at once, not wait for the timer the dead program left behind.
(component
  (import "wasi:clocks/monotonic-clock@0.3.2" (instance $clock
    (export "wait-for" (func async (param "how-long" u64)))))
  (alias export $clock "wait-for" (func $wait-for))
  (core func $wait (canon lower (func $wait-for) async))
  (core module $m
    (import "" "wait" (func $wait (param i64) (result i32)))
    ;; starts a ten-minute host timer, then traps
    (func (export "run") (result i32)
      (drop (call $wait (i64.const 600000000000)))
      unreachable)
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m (with "" (instance (export "wait" (func $wait))))))
  (type $r (result))
  (func $run async (result $r) (canon lift (core func $i "run") async (callback (core func $i "cb"))))
  (instance $run (export "run" (func $run)))
  (export "wasi:cli/run@0.3.2" (instance $run)))
