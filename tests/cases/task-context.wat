;; `realloc` runs in the callee's task: `context.get` inside the realloc of a parameter
;; works (it trapped "no task is running") and sees the fresh task's slot 0, never a
;; value an earlier call left behind.
(component
  (core func $get (canon context.get i32 0))
  (core func $set (canon context.set i32 0))
  (core module $libc
    (import "" "get" (func $get (result i32)))
    (import "" "set" (func $set (param i32)))
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (global $seen (mut i32) (i32.const -1))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      ;; What the task's slot held, then leave something behind.
      (global.set $seen (call $get))
      (call $set (i32.const 99))
      (local.set $p (global.get $next))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    (func (export "seen") (result i32) (global.get $seen))
    (func (export "take") (param i32 i32) (result i32) (local.get 1)))
  (core instance $libc (instantiate $libc
    (with "" (instance (export "get" (func $get)) (export "set" (func $set))))))
  (func (export "take") (param "s" string) (result u32)
    (canon lift (core func $libc "take") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (func (export "seen") (result s32) (canon lift (core func $libc "seen")))
)
