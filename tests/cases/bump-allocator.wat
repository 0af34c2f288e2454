;; A guest whose allocator, like the WASI preview1 adapter's, serves each allocation
;; once and cannot grow or shrink a block (realloc with a nonzero old pointer is
;; `unreachable`): every string a host lowers, in any encoding, must be allocated once,
;; at its exact size.
(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (if (local.get $old) (then unreachable))
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (local.get $p))
    ;; The byte length the guest was given, whatever the encoding's unit.
    (func (export "size") (param $p i32) (param $n i32) (result i32) (local.get $n)))
  (core instance $i (instantiate $m))
  (func (export "utf8-len") (param "s" string) (result u32)
    (canon lift (core func $i "size") (memory (core memory $i "mem")) (realloc (core func $i "realloc")) string-encoding=utf8))
  (func (export "utf16-len") (param "s" string) (result u32)
    (canon lift (core func $i "size") (memory (core memory $i "mem")) (realloc (core func $i "realloc")) string-encoding=utf16))
  (func (export "compact-len") (param "s" string) (result u32)
    (canon lift (core func $i "size") (memory (core memory $i "mem")) (realloc (core func $i "realloc")) string-encoding=latin1+utf16))
)
