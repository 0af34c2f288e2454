;; Direct links (crates/js/src/link.rs): the test instantiates this component twice and
;; passes the first instance's exports as the second's imports.
;;
;;   echo(s: string) -> string          utf8, a copy of s
;;   boom() -> u32                      traps
;;   relay(s: string) -> string         utf8: calls the import echo-in(s)
;;   relay16(s: string) -> string       utf16: calls the import echo16-in(s) (utf16)
;;   relay-boom() -> u32                calls the import boom-in()
(component
  (import "echo-in" (func $echo-in (param "s" string) (result string)))
  (import "echo16-in" (func $echo16-in (param "s" string) (result string)))
  (import "boom-in" (func $boom-in (result u32)))
  ;; Memory and a bump allocator (reset by post-return), shared by $m and the lowerings.
  (core module $base
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (global.get $bump) (i32.const 65536)) (then unreachable))
      (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
      (local.get $p))
    (func (export "reset") (param i32) (global.set $bump (i32.const 1024))))
  (core instance $b (instantiate $base))
  (alias core export $b "memory" (core memory $mem))
  (alias core export $b "cabi_realloc" (core func $realloc))
  (alias core export $b "reset" (core func $reset))
  (core func $echo-in-low (canon lower (func $echo-in) (memory $mem) (realloc $realloc)))
  (core func $echo16-in-low
    (canon lower (func $echo16-in) (memory $mem) (realloc $realloc) string-encoding=utf16))
  (core func $boom-in-low (canon lower (func $boom-in)))
  (core module $m
    (import "base" "memory" (memory 1))
    (import "base" "cabi_realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
    (import "host" "echo-in" (func $echo-in (param i32 i32 i32)))
    (import "host" "echo16-in" (func $echo16-in (param i32 i32 i32)))
    (import "host" "boom-in" (func $boom-in (result i32)))
    (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32) (local $ret i32)
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (local.get $len)))
      (memory.copy (local.get $out) (local.get $ptr) (local.get $len))
      (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
      (i32.store (local.get $ret) (local.get $out))
      (i32.store offset=4 (local.get $ret) (local.get $len))
      (local.get $ret))
    (func (export "boom") (result i32) unreachable)
    ;; The relays pass their string on and return the import's result area.
    (func (export "relay") (param i32 i32) (result i32)
      (call $echo-in (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16))
    (func (export "relay16") (param i32 i32) (result i32)
      (call $echo16-in (local.get 0) (local.get 1) (i32.const 16))
      (i32.const 16))
    (func (export "relay-boom") (result i32) (call $boom-in)))
  (core instance $i (instantiate $m
    (with "base" (instance $b))
    (with "host" (instance
      (export "echo-in" (func $echo-in-low))
      (export "echo16-in" (func $echo16-in-low))
      (export "boom-in" (func $boom-in-low))))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $mem) (realloc $realloc) (post-return $reset)))
  (func (export "boom") (result u32) (canon lift (core func $i "boom")))
  (func (export "relay") (param "s" string) (result string)
    (canon lift (core func $i "relay") (memory $mem) (realloc $realloc) (post-return $reset)))
  (func (export "relay16") (param "s" string) (result string)
    (canon lift (core func $i "relay16") (memory $mem) (realloc $realloc) string-encoding=utf16
      (post-return $reset)))
  (func (export "relay-boom") (result u32) (canon lift (core func $i "relay-boom")))
)
