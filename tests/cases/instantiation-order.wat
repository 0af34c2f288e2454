;; What instantiating core instances in order means, which `--lowered` (one module, its
;; segments and start functions run by a start sequence) must keep: each instance's
;; active segments are written, then its start function runs, before the next instance
;; exists. $A's start sees its own data; $B (sharing $A's memory and table) overwrites
;; it and its start sees that and $A's start's effect; a second instance of $A has a
;; memory, a global and a table of its own. Also a passive segment `memory.init`ed and
;; `data.drop`ped by code, and `call_indirect` through a table another instance filled.
(component
  (import "log" (func $log (param "n" u32)))
  (core module $A
    (import "host" "log" (func $log (param i32)))
    (memory (export "mem") 1)
    (table (export "table") 4 funcref)
    (global $g (export "g") (mut i32) (i32.const 0))
    (data (i32.const 16) "\01\00\00\00")
    (func $seven (result i32) (i32.const 7))
    (elem (i32.const 1) $seven)
    (func $start
      (call $log (i32.load (i32.const 16)))
      (global.set $g (i32.add (global.get $g) (i32.const 7))))
    (start $start)
    (func (export "get") (result i32) (global.get $g)))
  (core module $B
    (import "host" "log" (func $log (param i32)))
    (import "a" "mem" (memory 1))
    (import "a" "table" (table 4 funcref))
    (import "a" "get" (func $get (result i32)))
    (type $r (func (result i32)))
    (data (i32.const 16) "\02\00\00\00")
    (data $later "\2a\00\00\00")
    (func $nine (result i32) (i32.const 9))
    (elem (i32.const 2) $nine)
    (func $start
      ;; 2 (its own data) + 10 * 7 ($A's start) + 100 * 7 (the table $A filled)
      (call $log
        (i32.add (i32.load (i32.const 16))
          (i32.add (i32.mul (call $get) (i32.const 10))
                   (i32.mul (call_indirect (type $r) (i32.const 1)) (i32.const 100))))))
    (start $start)
    (func (export "read") (result i32) (i32.load (i32.const 16)))
    (func (export "slot") (param i32) (result i32) (call_indirect (type $r) (local.get 0)))
    ;; Copies the passive segment to 32 once; later calls trap (dropped).
    (func (export "init-later") (result i32)
      (memory.init $later (i32.const 32) (i32.const 0) (i32.const 4))
      (data.drop $later)
      (i32.load (i32.const 32))))
  (core func $log (canon lower (func $log)))
  (core instance $host (export "log" (func $log)))
  (core instance $a (instantiate $A (with "host" (instance $host))))
  (core instance $b (instantiate $B (with "host" (instance $host)) (with "a" (instance $a))))
  (core instance $a2 (instantiate $A (with "host" (instance $host))))
  (func (export "read") (result u32) (canon lift (core func $b "read")))
  (func (export "slot") (param "i" u32) (result u32) (canon lift (core func $b "slot")))
  (func (export "init-later") (result u32) (canon lift (core func $b "init-later")))
  (func (export "get") (result u32) (canon lift (core func $a "get")))
  (func (export "get2") (result u32) (canon lift (core func $a2 "get")))
)
