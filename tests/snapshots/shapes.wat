;; Records, variants, options and results through flat and spilled signatures, with a
;; host import: the generated lifting and lowering code for compound types.
(component
  (type $point (record (field "x" s32) (field "y" s32)))
  (export $point' "point" (type $point))
  (type $shape (variant (case "circle" f32) (case "rect" $point') (case "none")))
  (export $shape' "shape" (type $shape))
  (import "log" (func $log (param "msg" string)))
  (core module $mem
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $mi (instantiate $mem))
  (core func $log-lowered (canon lower (func $log) (memory (core memory $mi "memory"))))
  (core module $m
    (import "host" "log" (func $log (param i32 i32)))
    (func (export "area") (param i32 i32 i32) (result f32) f32.const 0)
    (func (export "maybe") (param i32 i32 i32) (result i32) i32.const 8))
  (core instance $i (instantiate $m (with "host" (instance (export "log" (func $log-lowered))))))
  (func (export "area") (param "s" $shape') (result f32) (canon lift (core func $i "area")))
  (func (export "maybe") (param "p" (option $point')) (result (result $point' (error string)))
    (canon lift (core func $i "maybe") (memory (core memory $mi "memory")) (realloc (core func $mi "realloc"))))
)
