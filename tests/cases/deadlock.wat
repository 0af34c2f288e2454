;; Deadlocks the scheduler must detect once nothing else can run: a callback-lifted task
;; waiting on a set nothing will ever make ready (a stream end that nobody else holds;
;; an empty set), and calls held back by backpressure that can never lift (`hold` raised
;; it and returned). In `lowering`, a synchronous export can lower the backpressure, so
;; a held-back call is no deadlock: it waits until the host calls `release`.
(component
  (component $held
    (core func $new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $bp-inc (canon backpressure.inc))
    (core func $ret (canon task.return))
    (type $s (stream u8))
    (core func $snew (canon stream.new $s))
    (core module $m
      (import "" "new" (func $new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "snew" (func $snew (result i64)))
      (import "" "bp-inc" (func $bp-inc))
      (import "" "ret" (func $ret))
      (func (export "wait-on-own-stream") (result i32)
        (local $set i32) (local $ends i64)
        (local.set $set (call $new))
        (local.set $ends (call $snew))
        ;; the readable end joins the set; the writable end stays with this task
        (call $join (i32.wrap_i64 (local.get $ends)) (local.get $set))
        (i32.or (i32.const 2) (i32.shl (local.get $set) (i32.const 4))))
      (func (export "wait-on-empty-set") (result i32)
        (i32.or (i32.const 2) (i32.shl (call $new) (i32.const 4))))
      (func (export "hold") (result i32)
        (call $bp-inc)
        (call $ret)
        (i32.const 0))
      (func (export "noop") (result i32)
        (call $ret)
        (i32.const 0))
      (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
    (core instance $i (instantiate $m
      (with "" (instance
        (export "new" (func $new)) (export "join" (func $join)) (export "snew" (func $snew))
        (export "bp-inc" (func $bp-inc)) (export "ret" (func $ret))))))
    (func (export "wait-on-own-stream") async
      (canon lift (core func $i "wait-on-own-stream") async (callback (core func $i "cb"))))
    (func (export "wait-on-empty-set") async
      (canon lift (core func $i "wait-on-empty-set") async (callback (core func $i "cb"))))
    (func (export "hold") async (canon lift (core func $i "hold") async (callback (core func $i "cb"))))
    (func (export "noop") async (canon lift (core func $i "noop") async (callback (core func $i "cb")))))
  (component $lowering
    (core func $bp-inc (canon backpressure.inc))
    (core func $bp-dec (canon backpressure.dec))
    (core func $ret (canon task.return))
    (core module $m
      (import "" "bp-inc" (func $bp-inc))
      (import "" "bp-dec" (func $bp-dec))
      (import "" "ret" (func $ret))
      (func (export "hold") (result i32)
        (call $bp-inc)
        (call $ret)
        (i32.const 0))
      (func (export "noop") (result i32)
        (call $ret)
        (i32.const 0))
      (func (export "release") (call $bp-dec))
      ;; backpressure.inc n times.
      (func (export "raise") (param $n i32)
        (block $done (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (call $bp-inc)
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l))))
      (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
    (core instance $i (instantiate $m
      (with "" (instance
        (export "bp-inc" (func $bp-inc)) (export "bp-dec" (func $bp-dec)) (export "ret" (func $ret))))))
    (func (export "hold") async (canon lift (core func $i "hold") async (callback (core func $i "cb"))))
    (func (export "noop") async (canon lift (core func $i "noop") async (callback (core func $i "cb"))))
    (func (export "release") (canon lift (core func $i "release")))
    (func (export "raise") (param "n" u32) (canon lift (core func $i "raise"))))
  (instance $held (instantiate $held))
  (instance $lowering (instantiate $lowering))
  (export "held" (instance $held))
  (export "lowering" (instance $lowering)))
