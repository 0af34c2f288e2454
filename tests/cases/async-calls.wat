;; A call from one component to another when both use component-model async: B's `run`
;; (callback ABI) calls A's `echo` with `canon lower async`, passing a string and the
;; readable end of a stream; A's task takes the string into its memory, drops the end,
;; yields once, then returns "echo:" and the string through `task.return`. B waits for
;; the subtask on a waitable set, drops it, and returns what it got.
;;
;; The values cross in the adapter: lowered (`weft lower`, `--lowered`), its movers are
;; core functions (the string copied memory to memory with the callee's and the caller's
;; `realloc`; the end moved between the instances' tables by the `move-end` hook), and
;; the call itself — the subtask, the callee's task and its callback loop — is the
;; host's. `fail` selects a bad call: 1 a string past the end of B's memory (the
;; parameters' mover traps), 2 an end index B does not have (`move-end` traps), 3 a
;; result A returns past the end of its memory (the result's mover traps).
(component
  (component $A
    (core module $libc
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      ;; A bump allocator that starts over past 0xf000 (nothing it gave is kept).
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (if (i32.gt_u (i32.add (global.get $next) (local.get 3)) (i32.const 0xf000))
          (then (global.set $next (i32.const 0x1000))))
        (local.set $p (global.get $next))
        (global.set $next (i32.add (local.get $p) (local.get 3)))
        (local.get $p)))
    (core instance $libc (instantiate $libc))
    (type $s (stream u8))
    (core func $drop-r (canon stream.drop-readable $s))
    (core func $ret (canon task.return (result string) (memory (core memory $libc "mem"))))
    (core module $m
      (import "libc" "mem" (memory 1))
      (import "" "drop-r" (func $drop-r (param i32)))
      (import "" "ret" (func $ret (param i32 i32)))
      (data (i32.const 0x100) "echo:")
      (global $len (mut i32) (i32.const 0))
      (global $fail (mut i32) (i32.const 0))
      ;; `echo(s, r)`: the string at ($p, $n) in this memory, put after "echo:".
      (func (export "echo") (param $p i32) (param $n i32) (param $r i32) (result i32)
        (memory.copy (i32.const 0x105) (local.get $p) (local.get $n))
        (global.set $len (i32.add (local.get $n) (i32.const 5)))
        (global.set $fail (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x21)))
        (call $drop-r (local.get $r))
        (i32.const 1))
      (func (export "cb") (param i32 i32 i32) (result i32)
        ;; A string starting with "!" asks for a result past the end of memory.
        (if (global.get $fail)
          (then (call $ret (i32.const 0xfffe) (i32.const 16)) (return (i32.const 0))))
        (call $ret (i32.const 0x100) (global.get $len))
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "libc" (instance $libc))
      (with "" (instance (export "drop-r" (func $drop-r)) (export "ret" (func $ret))))))
    (func (export "echo") async (param "s" string) (param "r" (stream u8)) (result string)
      (canon lift (core func $i "echo") async (callback (core func $i "cb"))
        (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")))))

  (component $B
    (import "echo" (func $echo async (param "s" string) (param "r" (stream u8)) (result string)))
    (core module $libc
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      ;; A bump allocator that starts over past 0xf000 (nothing it gave is kept).
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (if (i32.gt_u (i32.add (global.get $next) (local.get 3)) (i32.const 0xf000))
          (then (global.set $next (i32.const 0x1000))))
        (local.set $p (global.get $next))
        (global.set $next (i32.add (local.get $p) (local.get 3)))
        (local.get $p)))
    (core instance $libc (instantiate $libc))
    (type $s (stream u8))
    (core func $echo (canon lower (func $echo) async
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core func $new (canon stream.new $s))
    (core func $drop-w (canon stream.drop-writable $s))
    (core func $set-new (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $drop-sub (canon subtask.drop))
    (core func $drop-set (canon waitable-set.drop))
    (core func $ret (canon task.return (result string) (memory (core memory $libc "mem"))))
    (core module $m
      (import "libc" "mem" (memory 1))
      (import "" "echo" (func $echo (param i32 i32 i32 i32) (result i32)))
      (import "" "new" (func $new (result i64)))
      (import "" "drop-w" (func $drop-w (param i32)))
      (import "" "set-new" (func $set-new (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "drop-sub" (func $drop-sub (param i32)))
      (import "" "drop-set" (func $drop-set (param i32)))
      (import "" "ret" (func $ret (param i32 i32)))
      (data (i32.const 0x100) "hello")
      (data (i32.const 0x110) "!oops")
      (global $sub (mut i32) (i32.const 0))
      (global $set (mut i32) (i32.const 0))
      (global $w (mut i32) (i32.const 0))
      (func $finish
        (call $drop-w (global.get $w))
        (call $ret (i32.load (i32.const 0x200)) (i32.load (i32.const 0x204))))
      (func (export "run") (param $fail i32) (result i32)
        (local $ends i64) (local $r i32) (local $st i32)
        (local.set $ends (call $new))
        (local.set $r (i32.wrap_i64 (local.get $ends)))
        (global.set $w (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
        (local.set $st
          (if (result i32) (i32.eq (local.get $fail) (i32.const 1))
            (then (call $echo (i32.const 0xfffe) (i32.const 5) (local.get $r) (i32.const 0x200)))
            (else (if (result i32) (i32.eq (local.get $fail) (i32.const 2))
              (then (call $echo (i32.const 0x100) (i32.const 5) (i32.const 99) (i32.const 0x200)))
              (else (if (result i32) (i32.eq (local.get $fail) (i32.const 3))
                (then (call $echo (i32.const 0x110) (i32.const 5) (local.get $r) (i32.const 0x200)))
                (else (call $echo (i32.const 0x100) (i32.const 5) (local.get $r) (i32.const 0x200)))))))))
        ;; RETURNED at once: no subtask.
        (if (i32.eq (local.get $st) (i32.const 2))
          (then (call $finish) (return (i32.const 0))))
        (global.set $sub (i32.shr_u (local.get $st) (i32.const 4)))
        (global.set $set (call $set-new))
        (call $join (global.get $sub) (global.get $set))
        (i32.or (i32.const 2) (i32.shl (global.get $set) (i32.const 4))))
      (func (export "cb") (param $code i32) (param $i i32) (param $state i32) (result i32)
        ;; The subtask's event: RETURNED (2).
        (if (i32.or (i32.ne (local.get $code) (i32.const 1)) (i32.ne (local.get $state) (i32.const 2)))
          (then unreachable))
        (call $join (global.get $sub) (i32.const 0))
        (call $drop-sub (global.get $sub))
        (call $drop-set (global.get $set))
        (call $finish)
        (i32.const 0)))
    (core instance $i (instantiate $m
      (with "libc" (instance $libc))
      (with "" (instance
        (export "echo" (func $echo)) (export "new" (func $new)) (export "drop-w" (func $drop-w))
        (export "set-new" (func $set-new)) (export "join" (func $join))
        (export "drop-sub" (func $drop-sub)) (export "drop-set" (func $drop-set))
        (export "ret" (func $ret))))))
    (func (export "run") async (param "fail" u32) (result string)
      (canon lift (core func $i "run") async (callback (core func $i "cb"))
        (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")))))

  (instance $a (instantiate $A))
  (instance $b (instantiate $B (with "echo" (func $a "echo"))))
  (export "run" (func $b "run"))
)
