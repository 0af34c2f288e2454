;; The record-and-replay example (docs/record-replay.md): a component with a bug.
;;
;;   shout(text: string) -> string      the text in capitals (ASCII letters)
;;
;; It logs the text through its host first (`log`, an import), then copies it into a
;; buffer of 16 bytes: longer text traps. A page records the trap with
;; `weft transpile --record`; `weft replay` reproduces it in node without the page, and
;; shows what the fixed build (this file without the line marked BUG) does instead.
(component
  (import "log" (func $log (param "msg" string)))
  (core module $libc
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    ;; realloc(old_ptr, old_size, align, new_size): a bump allocator (one page is enough
    ;; for the example).
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "memory" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $log' (canon lower (func $log) (memory $mem)))
  (core module $m
    (import "libc" "memory" (memory 1))
    (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
    (import "host" "log" (func $log (param i32 i32)))
    (func (export "shout") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32) (local $i i32) (local $c i32) (local $ret i32)
      (call $log (local.get $ptr) (local.get $len))
      (if (i32.gt_u (local.get $len) (i32.const 16)) (then unreachable)) ;; BUG: a 16-byte buffer
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $len)))
      (block $done
        (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
          (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
          (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
            (then (local.set $c (i32.sub (local.get $c) (i32.const 32)))))
          (i32.store8 (i32.add (local.get $out) (local.get $i)) (local.get $c))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
      (i32.store (local.get $ret) (local.get $out))
      (i32.store offset=4 (local.get $ret) (local.get $len))
      (local.get $ret)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "host" (instance (export "log" (func $log'))))))
  (func (export "shout") (param "text" string) (result string)
    (canon lift (core func $i "shout") (memory $mem) (realloc $realloc))))
