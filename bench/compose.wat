;; The composed component bench/compose.mjs measures (hand-written; converted with
;; `wasm-tools parse`). Two nested components, wired by the outer one:
;;
;;   $A exports  echo-string(s: string) -> string          a copy of s, in a fresh buffer
;;               echo-list(l: list<u32>) -> list<u32>      a copy of l, in a fresh buffer
;;   $B imports  A's two functions, and exports
;;               run-string(n: u32) -> u32   calls echo-string n times on a 1 KiB string
;;               run-list(n: u32) -> u32     calls echo-list n times on 10,000 u32s
;;
;; The outer component exports B's drivers and A's echoes. A call from B to A crosses two
;; component instances, so it goes through a fused adapter that moves the values from B's
;; memory to A's and the result back.
;;
;; The drivers trap (unreachable) on a result of the wrong length, compare every byte of
;; the first result of their instance's first call with the payload (once, so that the
;; timed calls do not include it), and return a checksum:
;;   sum over k < n of (result length + element k mod 1024 / 8192 of the k-th result).
;;
;; Both cabi_reallocs are bump allocators: A's is reset by post-return, B's by the driver
;; after each call, so memory stops growing after the first call.
(component
  ;; --- A: the callee --------------------------------------------------------------------
  (component $A
    (core module $m
      (memory (export "memory") 1)
      (global $bump (mut i32) (i32.const 1024))

      (func $realloc (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32) (local $need i32)
        (local.set $p
          (i32.and
            (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
            (i32.sub (i32.const 0) (local.get 2))))
        (global.set $bump (i32.add (local.get $p) (local.get 3)))
        (local.set $need (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.gt_s (local.get $need) (i32.const 0))
          (then (if (i32.lt_s
                      (memory.grow (i32.add (i32.const 1) (i32.div_u (local.get $need) (i32.const 65536))))
                      (i32.const 0))
            (then unreachable))))
        (if (local.get 1)
          (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p))

      ;; copies $bytes bytes at $ptr into a realloc'd buffer (alignment $align); returns
      ;; a pointer to (buffer, $len).
      (func $echo (param $ptr i32) (param $len i32) (param $bytes i32) (param $align i32) (result i32)
        (local $out i32) (local $ret i32)
        (local.set $out (call $realloc (i32.const 0) (i32.const 0) (local.get $align) (local.get $bytes)))
        (memory.copy (local.get $out) (local.get $ptr) (local.get $bytes))
        (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
        (i32.store (local.get $ret) (local.get $out))
        (i32.store offset=4 (local.get $ret) (local.get $len))
        (local.get $ret))

      (func (export "echo-string") (param $ptr i32) (param $len i32) (result i32)
        (call $echo (local.get $ptr) (local.get $len) (local.get $len) (i32.const 1)))
      (func (export "echo-list") (param $ptr i32) (param $len i32) (result i32)
        (call $echo (local.get $ptr) (local.get $len) (i32.shl (local.get $len) (i32.const 2)) (i32.const 4)))

      ;; post-return of both echoes: frees everything (resets the bump pointer).
      (func (export "echo-post") (param i32)
        (global.set $bump (i32.const 1024)))
    )
    (core instance $i (instantiate $m))
    (alias core export $i "memory" (core memory $mem))
    (alias core export $i "cabi_realloc" (core func $realloc))
    (alias core export $i "echo-post" (core func $post))

    (func (export "echo-string") (param "s" string) (result string)
      (canon lift (core func $i "echo-string") (memory $mem) (realloc $realloc) string-encoding=utf8
        (post-return $post)))
    (func (export "echo-list") (param "l" (list u32)) (result (list u32))
      (canon lift (core func $i "echo-list") (memory $mem) (realloc $realloc) (post-return $post)))
  )

  ;; --- B: the caller --------------------------------------------------------------------
  (component $B
    (import "echo-string" (func $echo-string (param "s" string) (result string)))
    (import "echo-list" (func $echo-list (param "l" (list u32)) (result (list u32))))

    ;; B's memory and realloc come first (the lowered imports need them); the payloads are
    ;; written by its start function: string byte i = 32 + i mod 95 at 1024 (1024 bytes),
    ;; list element i = i * 0x9e3779b9 at 4096 (10,000 u32s). The heap starts at 65536.
    (core module $lib
      (memory (export "memory") 2)
      (global $bump (mut i32) (i32.const 65536))

      (func $realloc (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32) (local $need i32)
        (local.set $p
          (i32.and
            (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
            (i32.sub (i32.const 0) (local.get 2))))
        (global.set $bump (i32.add (local.get $p) (local.get 3)))
        (local.set $need (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536))))
        (if (i32.gt_s (local.get $need) (i32.const 0))
          (then (if (i32.lt_s
                      (memory.grow (i32.add (i32.const 1) (i32.div_u (local.get $need) (i32.const 65536))))
                      (i32.const 0))
            (then unreachable))))
        (if (local.get 1)
          (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p))

      ;; frees everything realloc returned.
      (func (export "reset")
        (global.set $bump (i32.const 65536)))

      (func $init
        (local $i i32)
        (loop $s
          (i32.store8 (i32.add (i32.const 1024) (local.get $i))
            (i32.add (i32.const 32) (i32.rem_u (local.get $i) (i32.const 95))))
          (br_if $s (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1024))))
        (local.set $i (i32.const 0))
        (loop $l
          (i32.store (i32.add (i32.const 4096) (i32.shl (local.get $i) (i32.const 2)))
            (i32.mul (local.get $i) (i32.const 0x9e3779b9)))
          (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 10000)))))
      (start $init)
    )
    (core instance $l (instantiate $lib))
    (alias core export $l "memory" (core memory $mem))
    (alias core export $l "cabi_realloc" (core func $realloc))

    (core func $echo-string-low (canon lower (func $echo-string) (memory $mem) (realloc $realloc)
      string-encoding=utf8))
    (core func $echo-list-low (canon lower (func $echo-list) (memory $mem) (realloc $realloc)))

    (core module $main
      (import "lib" "memory" (memory 1))
      (import "lib" "reset" (func $reset))
      ;; lowered: (ptr, len, out-pointer to (ptr, len))
      (import "a" "echo-string" (func $echo-string (param i32 i32 i32)))
      (import "a" "echo-list" (func $echo-list (param i32 i32 i32)))

      ;; 1 once run-string / run-list has compared a result with its payload.
      (global $string-checked (mut i32) (i32.const 0))
      (global $list-checked (mut i32) (i32.const 0))

      ;; traps unless the $bytes bytes at $a and $b are equal.
      (func $same (param $a i32) (param $b i32) (param $bytes i32)
        (local $i i32)
        (loop $c
          (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                      (i32.load8_u (i32.add (local.get $b) (local.get $i))))
            (then unreachable))
          (br_if $c (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $bytes)))))

      ;; The result pair is written at 16 (out-pointer).
      (func (export "run-string") (param $n i32) (result i32)
        (local $k i32) (local $sum i32) (local $p i32)
        (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
        (loop $call
          (call $echo-string (i32.const 1024) (i32.const 1024) (i32.const 16))
          (local.set $p (i32.load (i32.const 16)))
          (if (i32.ne (i32.load (i32.const 20)) (i32.const 1024)) (then unreachable))
          (if (i32.eqz (global.get $string-checked))
            (then (call $same (local.get $p) (i32.const 1024) (i32.const 1024))
                  (global.set $string-checked (i32.const 1))))
          (local.set $sum (i32.add (local.get $sum)
            (i32.add (i32.const 1024)
              (i32.load8_u (i32.add (local.get $p) (i32.and (local.get $k) (i32.const 1023)))))))
          (call $reset)
          (br_if $call (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
        (local.get $sum))

      (func (export "run-list") (param $n i32) (result i32)
        (local $k i32) (local $sum i32) (local $p i32)
        (if (i32.eqz (local.get $n)) (then (return (i32.const 0))))
        (loop $call
          (call $echo-list (i32.const 4096) (i32.const 10000) (i32.const 16))
          (local.set $p (i32.load (i32.const 16)))
          (if (i32.ne (i32.load (i32.const 20)) (i32.const 10000)) (then unreachable))
          (if (i32.eqz (global.get $list-checked))
            (then (call $same (local.get $p) (i32.const 4096) (i32.const 40000))
                  (global.set $list-checked (i32.const 1))))
          (local.set $sum (i32.add (local.get $sum)
            (i32.add (i32.const 10000)
              (i32.load (i32.add (local.get $p)
                (i32.shl (i32.and (local.get $k) (i32.const 8191)) (i32.const 2)))))))
          (call $reset)
          (br_if $call (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
        (local.get $sum))
    )
    (core instance $i (instantiate $main
      (with "lib" (instance $l))
      (with "a" (instance
        (export "echo-string" (func $echo-string-low))
        (export "echo-list" (func $echo-list-low))))))

    (func (export "run-string") (param "n" u32) (result u32)
      (canon lift (core func $i "run-string")))
    (func (export "run-list") (param "n" u32) (result u32)
      (canon lift (core func $i "run-list")))
  )

  ;; --- wiring ---------------------------------------------------------------------------
  (instance $a (instantiate $A))
  (instance $b (instantiate $B
    (with "echo-string" (func $a "echo-string"))
    (with "echo-list" (func $a "echo-list"))))
  (export "run-string" (func $b "run-string"))
  (export "run-list" (func $b "run-list"))
  (export "echo-string" (func $a "echo-string"))
  (export "echo-list" (func $a "echo-list"))
)
