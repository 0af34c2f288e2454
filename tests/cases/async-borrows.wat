;; A borrow passed from one async component to another: A defines `thing`; B makes one
;; with A's sync `make` (an owned handle moved into B's table), then lends it to A's
;; async `peek` (callback ABI: it yields once, then returns the rep it was lent). The
;; handle stays lent until B has the subtask's result: `run(0)` drops it after the
;; event, `run(1)` before, which traps.
;;
;; Lowered, the lend is the call's borrow scope in the core tables: the parameters'
;; mover lends the handle in the scope it is given, `task.return` checks the callee's
;; borrows in it, and the delivery of the subtask's result ends it.
(component
  (component $A
    (type $thing (resource (rep i32)))
    (core func $new (canon resource.new $thing))
    (core func $ret (canon task.return (result u32)))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "ret" (func $ret (param i32)))
      (global $rep (mut i32) (i32.const 0))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      ;; A borrow of A's own resource arrives as its rep.
      (func (export "peek") (param $rep i32) (result i32)
        (global.set $rep (local.get $rep))
        (i32.const 1))
      (func (export "cb") (param i32 i32 i32) (result i32)
        (call $ret (global.get $rep))
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "" (instance (export "new" (func $new)) (export "ret" (func $ret))))))
    (export $t "thing" (type $thing))
    (func (export "make") (param "n" u32) (result (own $t))
      (canon lift (core func $i "make")))
    (func (export "peek") async (param "t" (borrow $t)) (result u32)
      (canon lift (core func $i "peek") async (callback (core func $i "cb")))))

  (component $B
    (import "thing" (type $thing (sub resource)))
    (import "make" (func $make (param "n" u32) (result (own $thing))))
    (import "peek" (func $peek async (param "t" (borrow $thing)) (result u32)))
    (core module $libc (memory (export "mem") 1))
    (core instance $libc (instantiate $libc))
    (core func $make (canon lower (func $make)))
    (core func $peek (canon lower (func $peek) async (memory (core memory $libc "mem"))))
    (core func $drop (canon resource.drop $thing))
    (core func $set-new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $drop-sub (canon subtask.drop))
    (core func $drop-set (canon waitable-set.drop))
    (core func $ret (canon task.return (result u32)))
    (core module $m
      (import "libc" "mem" (memory 1))
      (import "" "make" (func $make (param i32) (result i32)))
      (import "" "peek" (func $peek (param i32 i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (import "" "set-new" (func $set-new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "drop-sub" (func $drop-sub (param i32)))
      (import "" "drop-set" (func $drop-set (param i32)))
      (import "" "ret" (func $ret (param i32)))
      (global $h (mut i32) (i32.const 0))
      (global $sub (mut i32) (i32.const 0))
      (global $set (mut i32) (i32.const 0))
      (func (export "run") (param $early i32) (result i32)
        (local $st i32)
        (global.set $h (call $make (i32.const 7)))
        (local.set $st (call $peek (global.get $h) (i32.const 0x100)))
        (if (i32.ne (i32.and (local.get $st) (i32.const 0xf)) (i32.const 1))
          (then unreachable))
        (global.set $sub (i32.shr_u (local.get $st) (i32.const 4)))
        ;; Still lent to the call: dropping it traps.
        (if (local.get $early) (then (call $drop (global.get $h))))
        (global.set $set (call $set-new))
        (call $join (global.get $sub) (global.get $set))
        (i32.or (i32.const 2) (i32.shl (global.get $set) (i32.const 4))))
      (func (export "cb") (param $code i32) (param $i i32) (param $state i32) (result i32)
        (if (i32.or (i32.ne (local.get $code) (i32.const 1)) (i32.ne (local.get $state) (i32.const 2)))
          (then unreachable))
        (call $join (global.get $sub) (i32.const 0))
        (call $drop-sub (global.get $sub))
        (call $drop-set (global.get $set))
        ;; The result delivered, the lend is over.
        (call $drop (global.get $h))
        (call $ret (i32.load (i32.const 0x100)))
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "libc" (instance $libc))
      (with "" (instance
        (export "make" (func $make)) (export "peek" (func $peek)) (export "drop" (func $drop))
        (export "set-new" (func $set-new)) (export "join" (func $join))
        (export "drop-sub" (func $drop-sub)) (export "drop-set" (func $drop-set))
        (export "ret" (func $ret))))))
    (func (export "run") async (param "early" u32) (result u32)
      (canon lift (core func $i "run") async (callback (core func $i "cb")))))

  (instance $a (instantiate $A))
  (instance $b (instantiate $B
    (with "thing" (type $a "thing"))
    (with "make" (func $a "make"))
    (with "peek" (func $a "peek"))))
  (export "run" (func $b "run"))
)
