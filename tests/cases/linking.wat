;; Flattening: a nested component instantiated twice (separate state), an outer alias
;; of a core module, and resource types that are generative per instance.
(component $root
  (core module $counter
    (global $n (mut i32) (i32.const 0))
    (func (export "next") (result i32)
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (global.get $n)))

  (component $c
    (alias outer $root $counter (core module $counter))
    (core instance $i (instantiate $counter))
    (func (export "next") (result u32) (canon lift (core func $i "next"))))

  (component $res
    (type $r (resource (rep i32)))
    (core func $new (canon resource.new $r))
    (core func $rep (canon resource.rep $r))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "rep" (func $rep (param i32) (result i32)))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      (func (export "get") (param i32) (result i32) (local.get 0)))
    (core instance $i (instantiate $m (with "" (instance (export "new" (func $new)) (export "rep" (func $rep))))))
    (export $r' "r" (type $r))
    (func (export "make") (param "v" u32) (result (own $r')) (canon lift (core func $i "make")))
    (func (export "get") (param "x" (borrow $r')) (result u32) (canon lift (core func $i "get"))))

  (instance $a (instantiate $c))
  (instance $b (instantiate $c))
  (export "a-next" (func $a "next"))
  (export "b-next" (func $b "next"))

  (instance $r1 (instantiate $res))
  (instance $r2 (instantiate $res))
  (export "one" (instance $r1))
  (export "two" (instance $r2))
)
