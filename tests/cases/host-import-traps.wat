;; A throw out of a host import reaches JS through the guest, which stopped mid-call:
;; the instance is poisoned whatever was thrown, a `TypeError` included (a result of the
;; wrong type, a host function throwing one, a host resource's `[Symbol.dispose]` run by
;; the guest's `resource.drop`). A `TypeError` from an export's own arguments, before the
;; guest runs, does not poison. A host import may call back into the instance that called
;; it (the spec's reentrance.wast: no `may_enter` trap).
(component
  (import "h" (type $h (sub resource)))
  (import "get-str" (func $get-str (result string)))
  (import "fail" (func $fail))
  (import "back" (func $back (result u32)))
  (import "make-h" (func $make-h (result (own $h))))
  (core module $mem
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $bump))
      (global.set $bump (i32.add (global.get $bump) (i32.and (i32.add (local.get 3) (i32.const 7)) (i32.const -8))))
      (local.get $p)))
  (core instance $mem (instantiate $mem))
  (core func $get-str' (canon lower (func $get-str) (memory (core memory $mem "memory")) (realloc (core func $mem "realloc"))))
  (core func $fail' (canon lower (func $fail)))
  (core func $back' (canon lower (func $back)))
  (core func $make-h' (canon lower (func $make-h)))
  (core func $drop-h (canon resource.drop $h))
  (core module $m
    (import "" "get-str" (func $get-str (param i32)))
    (import "" "fail" (func $fail))
    (import "" "back" (func $back (result i32)))
    (import "" "make-h" (func $make-h (result i32)))
    (import "" "drop-h" (func $drop-h (param i32)))
    (import "" "memory" (memory 1))
    ;; the length of the string `get-str` returns
    (func (export "str-len") (result i32)
      (call $get-str (i32.const 8))
      (i32.load (i32.const 12)))
    (func (export "call-fail") (call $fail))
    (func (export "call-back") (result i32) (i32.add (call $back) (i32.const 1)))
    (func (export "make-drop") (call $drop-h (call $make-h)))
    (func (export "fine") (param i32) (result i32) (local.get 0)))
  (core instance $i (instantiate $m (with "" (instance
    (export "get-str" (func $get-str')) (export "fail" (func $fail')) (export "back" (func $back'))
    (export "make-h" (func $make-h')) (export "drop-h" (func $drop-h))
    (export "memory" (memory $mem "memory"))))))
  (func (export "str-len") (result u32) (canon lift (core func $i "str-len")))
  (func (export "call-fail") (canon lift (core func $i "call-fail")))
  (func (export "call-back") (result u32) (canon lift (core func $i "call-back")))
  (func (export "make-drop") (canon lift (core func $i "make-drop")))
  (func (export "fine") (param "c" char) (result u32) (canon lift (core func $i "fine"))))
