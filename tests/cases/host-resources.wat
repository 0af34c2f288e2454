;; A resource type imported at the top level, a function over it, and an imported
;; function re-exported unchanged.
(component
  (import "blob" (type $blob (sub resource)))
  (import "make-blob" (func $make (param "n" u32) (result (own $blob))))
  (import "blob-size" (func $size (param "b" (borrow $blob)) (result u32)))
  (import "shout" (func $shout (param "n" u32) (result u32)))
  (core func $make-lowered (canon lower (func $make)))
  (core func $size-lowered (canon lower (func $size)))
  (core func $drop (canon resource.drop $blob))
  (core module $m
    (import "" "make" (func $make (param i32) (result i32)))
    (import "" "size" (func $size (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    ;; make a blob, ask its size twice, drop it
    (func (export "roundtrip") (param i32) (result i32)
      (local $h i32) (local $s i32)
      (local.set $h (call $make (local.get 0)))
      (local.set $s (i32.add (call $size (local.get $h)) (call $size (local.get $h))))
      (call $drop (local.get $h))
      (local.get $s))
    ;; keep a blob and hand it back to the host
    (func (export "make-and-return") (param i32) (result i32)
      (call $make (local.get 0))))
  (core instance $i (instantiate $m
    (with "" (instance (export "make" (func $make-lowered)) (export "size" (func $size-lowered)) (export "drop" (func $drop))))))
  (func (export "roundtrip") (param "n" u32) (result u32) (canon lift (core func $i "roundtrip")))
  (export $blob' "blob-out" (type $blob))
  (func (export "make-and-return") (param "n" u32) (result (own $blob')) (canon lift (core func $i "make-and-return")))
  (export "shout-again" (func $shout))
)
