;; The component bench/calls.mjs measures (hand-written; converted with `wasm-tools parse`).
;;
;;   add(a: u32, b: u32) -> u32
;;   echo-string(s: string) -> string     a copy of s, in a fresh buffer
;;   echo-list(b: list<u8>) -> list<u8>   a copy of b, in a fresh buffer
;;
;; cabi_realloc is a bump allocator; every echo's post-return resets it, so memory stops
;; growing after the first call of each size.
(component
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

    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))

    ;; echo: copies (ptr, len) into a realloc'd buffer; returns a pointer to (ptr, len).
    (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32) (local $ret i32)
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $len)))
      (memory.copy (local.get $out) (local.get $ptr) (local.get $len))
      (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
      (i32.store (local.get $ret) (local.get $out))
      (i32.store offset=4 (local.get $ret) (local.get $len))
      (local.get $ret))

    ;; post-return of echo: frees everything (resets the bump pointer).
    (func (export "echo-post") (param i32)
      (global.set $bump (i32.const 1024)))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "cabi_realloc" (core func $realloc))
  (alias core export $i "echo-post" (core func $post))

  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "echo-string") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) string-encoding=utf8
      (post-return $post)))
  (func (export "echo-list") (param "b" (list u8)) (result (list u8))
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) (post-return $post)))
)
