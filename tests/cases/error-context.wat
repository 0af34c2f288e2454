;; error-context.debug-message stores a string (pointer and length, 8 bytes) at a guest
;; pointer: one out of bounds of linear memory is a trap, not a JS RangeError.
(component
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 256))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $new (canon error-context.new (memory (core memory $libc "mem"))))
  (core func $msg (canon error-context.debug-message (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "" "new" (func $new (param i32 i32) (result i32)))
    (import "" "msg" (func $msg (param i32 i32)))
    (import "libc" "mem" (memory 1))
    (data (i32.const 0) "oops")
    ;; Makes an error context with the message "oops", stores its debug message at
    ;; `p` and returns the length stored there.
    (func (export "message-length") (param $p i32) (result i32)
      (call $msg (call $new (i32.const 0) (i32.const 4)) (local.get $p))
      (i32.load offset=4 (local.get $p))))
  (core instance $i (instantiate $m
    (with "" (instance (export "new" (func $new)) (export "msg" (func $msg))))
    (with "libc" (instance $libc))))
  (func (export "message-length") (param "p" u32) (result u32)
    (canon lift (core func $i "message-length")))
)
