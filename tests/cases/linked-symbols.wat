;; A dynamically linked program's shape (componentize-py's, wasm-tools component link's):
;; one core instance imports many exports of another under the same names, beside
;; imports of other names. The generated imports object lists such a name once
;; (`sameNames`), and the instance must get each export under its name.
(component
  (core module $lib
    (global (export "lib.so:a") i32 (i32.const 1))
    (global (export "lib.so:b") i32 (i32.const 2))
    (global (export "lib.so:c") i32 (i32.const 4))
    (global (export "lib.so:d") i32 (i32.const 8))
    (global (export "lib.so:e") i32 (i32.const 16))
    (global (export "lib.so:f") i32 (i32.const 32))
    (global (export "lib.so:g") i32 (i32.const 64))
    (func (export "lib.so:h") (result i32) (i32.const 128))
    (global (export "other") i32 (i32.const 256)))
  (core instance $l (instantiate $lib))
  (core module $main
    (import "env" "lib.so:a" (global $a i32))
    (import "env" "lib.so:b" (global $b i32))
    (import "env" "lib.so:c" (global $c i32))
    (import "env" "lib.so:d" (global $d i32))
    (import "env" "lib.so:e" (global $e i32))
    (import "env" "lib.so:f" (global $f i32))
    (import "env" "lib.so:g" (global $g i32))
    (import "env" "lib.so:h" (func $h (result i32)))
    ;; Another name for an export: listed as `renamed: exports0.other`.
    (import "env" "renamed" (global $o i32))
    (func (export "sum") (result i32)
      (i32.add (global.get $a) (global.get $b))
      (i32.add (global.get $c))
      (i32.add (global.get $d))
      (i32.add (global.get $e))
      (i32.add (global.get $f))
      (i32.add (global.get $g))
      (i32.add (call $h))
      (i32.add (global.get $o))))
  (core instance $m (instantiate $main
    (with "env" (instance
      (export "lib.so:a" (global $l "lib.so:a"))
      (export "lib.so:b" (global $l "lib.so:b"))
      (export "lib.so:c" (global $l "lib.so:c"))
      (export "lib.so:d" (global $l "lib.so:d"))
      (export "lib.so:e" (global $l "lib.so:e"))
      (export "lib.so:f" (global $l "lib.so:f"))
      (export "lib.so:g" (global $l "lib.so:g"))
      (export "lib.so:h" (func $l "lib.so:h"))
      (export "renamed" (global $l "other"))))))
  (func (export "sum") (result u32) (canon lift (core func $m "sum")))
)
