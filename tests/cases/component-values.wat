;; Components as values: the component exports a component it defines (`counter-def`,
;; which the host can instantiate any number of times with imports of its own), and
;; imports one (`counter`, of the same type), which it instantiates twice at run time:
;; once with the host's `base`, once with a function of its own; it also instantiates
;; its own definition as usual.
;; lowered: refused, a component its host gives
(component
  (import "base" (func $base (result u32)))
  (import "counter" (component $c
    (import "base" (func (result u32)))
    (export "next" (func (result u32)))
  ))
  (component $counter-def
    (import "base" (func $base (result u32)))
    (core module $m
      (import "" "base" (func $base (result i32)))
      (global $n (mut i32) (i32.const 0))
      (func (export "next") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (i32.add (call $base) (global.get $n))))
    (core func $base' (canon lower (func $base)))
    (core instance $i (instantiate $m (with "" (instance (export "base" (func $base'))))))
    (func (export "next") (result u32) (canon lift (core func $i "next")))
  )
  (export "counter-def" (component $counter-def))
  (core module $two (func (export "two") (result i32) i32.const 2000))
  (core instance $two (instantiate $two))
  (func $two (result u32) (canon lift (core func $two "two")))
  (instance $a (instantiate $c (with "base" (func $base))))
  (instance $b (instantiate $c (with "base" (func $two))))
  (instance $local (instantiate $counter-def (with "base" (func $two))))
  (export "a-next" (func $a "next"))
  (export "b-next" (func $b "next"))
  (export "local-next" (func $local "next"))
)
