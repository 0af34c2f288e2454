;; The component bench/async.mjs measures (hand-written; converted with `wasm-tools parse`).
;; Three async exports lifted with the callback ABI, each returning x + 1:
;;
;;   now: async func(x: u32) -> u32     calls task.return at once and returns EXIT
;;   yield: async func(x: u32) -> u32   saves x (context.set), returns YIELD; the callback
;;                                      (event NONE) calls task.return and returns EXIT
;;   wait: async func(x: u32) -> u32    saves x, starts a read of a fresh future<> (BLOCKED),
;;                                      joins it to a waitable set, writes the future
;;                                      (COMPLETED), returns WAIT on the set; the callback
;;                                      (event FUTURE_READ) drops the reader, calls
;;                                      task.return and returns EXIT
;;
;; Callback codes: EXIT 0, YIELD 1, WAIT 2 | set << 4. Events: NONE 0, FUTURE_READ 4.
;; The waitable set is made once, at start. `future<>` carries no value, so the read and
;; write buffers are never touched and the module needs no memory.
(component
  (core module $m
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "context.get" (func $context.get (result i32)))
    (import "" "context.set" (func $context.set (param i32)))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (import "" "waitable.join" (func $waitable.join (param i32 i32)))
    (import "" "future.new" (func $future.new (result i64)))
    (import "" "future.read" (func $future.read (param i32 i32) (result i32)))
    (import "" "future.write" (func $future.write (param i32 i32) (result i32)))
    (import "" "future.drop-readable" (func $future.drop-readable (param i32)))
    (import "" "future.drop-writable" (func $future.drop-writable (param i32)))

    (global $ws (mut i32) (i32.const 0))
    (global $reader (mut i32) (i32.const 0)) ;; the future `wait` is waiting on
    (func $start (global.set $ws (call $waitable-set.new)))
    (start $start)

    (func (export "now") (param $x i32) (result i32)
      (call $task.return (i32.add (local.get $x) (i32.const 1)))
      (i32.const 0 (; EXIT ;)))
    (func (export "now-cb") (param i32 i32 i32) (result i32)
      unreachable)

    (func (export "yield") (param $x i32) (result i32)
      (call $context.set (local.get $x))
      (i32.const 1 (; YIELD ;)))
    (func (export "yield-cb") (param $event i32) (param i32 i32) (result i32)
      (if (local.get $event) (then unreachable)) ;; NONE
      (call $task.return (i32.add (call $context.get) (i32.const 1)))
      (i32.const 0 (; EXIT ;)))

    (func (export "wait") (param $x i32) (result i32)
      (local $ends i64) (local $writer i32)
      (call $context.set (local.get $x))
      (local.set $ends (call $future.new))
      (global.set $reader (i32.wrap_i64 (local.get $ends)))
      (local.set $writer (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (if (i32.ne (call $future.read (global.get $reader) (i32.const 0)) (i32.const -1 (; BLOCKED ;)))
        (then unreachable))
      (call $waitable.join (global.get $reader) (global.get $ws))
      (if (i32.ne (call $future.write (local.get $writer) (i32.const 0)) (i32.const 0 (; COMPLETED ;)))
        (then unreachable))
      (call $future.drop-writable (local.get $writer))
      (i32.or (i32.const 2 (; WAIT ;)) (i32.shl (global.get $ws) (i32.const 4))))
    (func (export "wait-cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (if (i32.ne (local.get $event) (i32.const 4 (; FUTURE_READ ;))) (then unreachable))
      (if (i32.ne (local.get $index) (global.get $reader)) (then unreachable))
      (if (local.get $payload) (then unreachable)) ;; COMPLETED
      (call $future.drop-readable (local.get $index))
      (call $task.return (i32.add (call $context.get) (i32.const 1)))
      (i32.const 0 (; EXIT ;)))
  )

  (type $FT (future))
  (canon task.return (result u32) (core func $task.return))
  (canon context.get i32 0 (core func $context.get))
  (canon context.set i32 0 (core func $context.set))
  (canon waitable-set.new (core func $waitable-set.new))
  (canon waitable.join (core func $waitable.join))
  (canon future.new $FT (core func $future.new))
  (canon future.read $FT async (core func $future.read))
  (canon future.write $FT async (core func $future.write))
  (canon future.drop-readable $FT (core func $future.drop-readable))
  (canon future.drop-writable $FT (core func $future.drop-writable))
  (core instance $i (instantiate $m (with "" (instance
    (export "task.return" (func $task.return))
    (export "context.get" (func $context.get))
    (export "context.set" (func $context.set))
    (export "waitable-set.new" (func $waitable-set.new))
    (export "waitable.join" (func $waitable.join))
    (export "future.new" (func $future.new))
    (export "future.read" (func $future.read))
    (export "future.write" (func $future.write))
    (export "future.drop-readable" (func $future.drop-readable))
    (export "future.drop-writable" (func $future.drop-writable))))))

  (func (export "now") async (param "x" u32) (result u32)
    (canon lift (core func $i "now") async (callback (core func $i "now-cb"))))
  (func (export "yield") async (param "x" u32) (result u32)
    (canon lift (core func $i "yield") async (callback (core func $i "yield-cb"))))
  (func (export "wait") async (param "x" u32) (result u32)
    (canon lift (core func $i "wait") async (callback (core func $i "wait-cb"))))
)
