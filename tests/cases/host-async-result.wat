;; An async host import whose promise settles with a value of the wrong type: lowering
;; it into the guest (a `TypeError`) fails the waiting call and poisons the calling
;; instance, whose task stopped mid-call (before, it stayed usable).
(component
  (import "get" (func $get async (result string)))
  (core module $libc
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $bump))
      (global.set $bump (i32.add (global.get $bump) (i32.and (i32.add (local.get 3) (i32.const 7)) (i32.const -8))))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $get (canon lower (func $get) async
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core func $new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $drop-sub (canon subtask.drop))
  (core func $ret (canon task.return (result u32)))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "" "get" (func $get (param i32) (result i32)))
    (import "" "new" (func $new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "drop-sub" (func $drop-sub (param i32)))
    (import "" "ret" (func $ret (param i32)))
    (global $sub (mut i32) (i32.const 0))
    ;; the length of the string `get` resolves to
    (func (export "run") (result i32)
      (local $set i32)
      ;; STARTED, with a subtask handle: the host's promise is pending
      (global.set $sub (i32.shr_u (call $get (i32.const 8)) (i32.const 4)))
      (local.set $set (call $new))
      (call $join (global.get $sub) (local.get $set))
      ;; WAIT on the set
      (i32.or (i32.const 2) (i32.shl (local.get $set) (i32.const 4))))
    (func (export "cb") (param i32 i32 i32) (result i32)
      ;; EVENT_SUBTASK, RETURNED
      (if (i32.ne (local.get 0) (i32.const 1)) (then unreachable))
      (if (i32.ne (local.get 2) (i32.const 2)) (then unreachable))
      (call $drop-sub (global.get $sub))
      (call $ret (i32.load (i32.const 12)))
      (i32.const 0))
    (func (export "fine") (result i32) (i32.const 5)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "" (instance
      (export "get" (func $get)) (export "new" (func $new)) (export "join" (func $join))
      (export "drop-sub" (func $drop-sub)) (export "ret" (func $ret))))))
  (func (export "run") async (result u32)
    (canon lift (core func $i "run") async (callback (core func $i "cb"))))
  (func (export "fine") (result u32) (canon lift (core func $i "fine"))))
