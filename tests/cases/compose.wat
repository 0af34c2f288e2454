;; Two components composed in one: $upper (UTF-8) exports `shout`, $app (UTF-16)
;; imports it and exports `run`, which calls `shout`. Every call from $app to $upper
;; goes through an adapter that transcodes between the two string encodings.
(component
  (component $upper
    (core module $m
      (memory (export "memory") 1)
      (global $bump (mut i32) (i32.const 1024))
      (func $realloc (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get 2))))
        (global.set $bump (i32.add (local.get $p) (local.get 3)))
        (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p))
      ;; shout(ptr, len) -> retptr: ASCII upper-casing copy.
      (func (export "shout") (param $ptr i32) (param $len i32) (result i32)
        (local $out i32) (local $i i32) (local $c i32) (local $ret i32)
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
        (local.get $ret))
      ;; count(ptr, len) -> u32: the number of list elements.
      (func (export "count") (param i32 i32) (result i32) (local.get 1))
    )
    (core instance $i (instantiate $m))
    (func (export "shout") (param "s" string) (result string)
      (canon lift (core func $i "shout") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
    (func (export "count") (param "xs" (list u32)) (result u32)
      (canon lift (core func $i "count") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))))
  )

  (component $app
    (import "shout" (func $shout (param "s" string) (result string)))
    (import "count" (func $count (param "xs" (list u32)) (result u32)))
    (core module $mem
      (memory (export "memory") 1)
      (global $bump (mut i32) (i32.const 2048))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get 2))))
        (global.set $bump (i32.add (local.get $p) (local.get 3)))
        (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p))
    )
    (core instance $mi (instantiate $mem))
    (core func $shout-lowered (canon lower (func $shout) string-encoding=utf16
      (memory (core memory $mi "memory")) (realloc (core func $mi "realloc"))))
    (core func $count-lowered (canon lower (func $count) (memory (core memory $mi "memory")) (realloc (core func $mi "realloc"))))
    (core module $main
      (import "host" "shout" (func $shout (param i32 i32 i32)))
      (import "host" "count" (func $count (param i32 i32) (result i32)))
      (func (export "run") (param $ptr i32) (param $len i32) (result i32)
        (call $shout (local.get $ptr) (local.get $len) (i32.const 64))
        (i32.const 64))
      (func (export "count") (param i32 i32) (result i32)
        (call $count (local.get 0) (local.get 1)))
    )
    (core instance $main (instantiate $main
      (with "host" (instance (export "shout" (func $shout-lowered)) (export "count" (func $count-lowered))))))
    (func (export "run") (param "s" string) (result string)
      (canon lift (core func $main "run") string-encoding=utf16 (memory (core memory $mi "memory")) (realloc (core func $mi "realloc"))))
    (func (export "count") (param "xs" (list u32)) (result u32)
      (canon lift (core func $main "count") (memory (core memory $mi "memory")) (realloc (core func $mi "realloc"))))
  )

  (instance $u (instantiate $upper))
  (instance $a (instantiate $app (with "shout" (func $u "shout")) (with "count" (func $u "count"))))
  (export "run" (func $a "run"))
  (export "count" (func $a "count"))
  ;; A second, independent instance of $app shares $u.
  (instance $a2 (instantiate $app (with "shout" (func $u "shout")) (with "count" (func $u "count"))))
  (export "run2" (func $a2 "run"))
)
