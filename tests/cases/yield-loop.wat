;; A stackless (callback) task that yields in a loop, polling its waitable set, until a
;; host call finishes: the host's timer must get its turn of the event loop, so the
;; loop ends (it spun in microtasks forever). `run` returns how many times it yielded.
(component
  (import "sleep" (func $sleep async (param "ms" u32)))
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (core func $sleep (canon lower (func $sleep) async))
  (core func $new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $poll (canon waitable-set.poll (memory (core memory $libc "mem"))))
  (core func $drop-sub (canon subtask.drop))
  (core func $drop-set (canon waitable-set.drop))
  (core func $ret (canon task.return (result u32)))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "" "sleep" (func $sleep (param i32) (result i32)))
    (import "" "new" (func $new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "poll" (func $poll (param i32 i32) (result i32)))
    (import "" "drop-sub" (func $drop-sub (param i32)))
    (import "" "drop-set" (func $drop-set (param i32)))
    (import "" "ret" (func $ret (param i32)))
    (global $set (mut i32) (i32.const 0))
    (global $sub (mut i32) (i32.const 0))
    (global $yields (mut i32) (i32.const 0))
    (func (export "run") (result i32)
      ;; The host call starts and waits for its timer: STARTED, with a subtask handle.
      (global.set $sub (i32.shr_u (call $sleep (i32.const 20)) (i32.const 4)))
      (global.set $set (call $new))
      (call $join (global.get $sub) (global.get $set))
      (i32.const 1))
    (func (export "cb") (param i32 i32 i32) (result i32)
      ;; EVENT_SUBTASK: the host call returned.
      (if (i32.eq (call $poll (global.get $set) (i32.const 0)) (i32.const 1))
        (then
          (call $join (global.get $sub) (i32.const 0))
          (call $drop-sub (global.get $sub))
          (call $drop-set (global.get $set))
          (call $ret (global.get $yields))
          (return (i32.const 0))))
      (global.set $yields (i32.add (global.get $yields) (i32.const 1)))
      (i32.const 1)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "" (instance
      (export "sleep" (func $sleep)) (export "new" (func $new)) (export "join" (func $join))
      (export "poll" (func $poll)) (export "drop-sub" (func $drop-sub))
      (export "drop-set" (func $drop-set)) (export "ret" (func $ret))))))
  (func (export "run") async (result u32)
    (canon lift (core func $i "run") async (callback (core func $i "cb"))))
)
