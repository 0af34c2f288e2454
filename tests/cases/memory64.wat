;; A component whose memory is 64-bit (🐘 memory64, the `cm64` feature): pointers and
;; lengths are `i64` core values and 8 bytes in memory, so a string or a list is 16
;; bytes, aligned to 8, and a `latin1+utf16` length is tagged with `1 << 63`. The guest
;; echoes values by storing the flat pointers it was given where the result's layout
;; puts them, sums lengths it reads from a spilled parameter tuple, calls a host import
;; that returns a string through an out-pointer, and keeps resources with `i64` reps.
(component
  (import "greet" (func $greet (param "name" string) (result string)))
  (core module $libc
    (memory (export "mem") i64 1)
    (global $next (mut i64) (i64.const 4096))
    ;; A bump allocator over 64-bit pointers that grows the memory as needed.
    (func (export "realloc") (param $old i64) (param $old-size i64) (param $align i64) (param $size i64) (result i64)
      (local $p i64)
      (local.set $p (i64.and
        (i64.add (global.get $next) (i64.sub (local.get $align) (i64.const 1)))
        (i64.sub (i64.const 0) (local.get $align))))
      (global.set $next (i64.add (local.get $p) (local.get $size)))
      (if (i64.gt_u (global.get $next) (i64.mul (memory.size) (i64.const 65536)))
        (then (drop (memory.grow (i64.add (i64.div_u (global.get $next) (i64.const 65536)) (i64.const 1))))))
      (if (i64.ne (local.get $old-size) (i64.const 0))
        (then (memory.copy (local.get $p) (local.get $old) (local.get $old-size))))
      (local.get $p))
    ;; The resource's destructor records the rep it was given.
    (global $dropped (mut i64) (i64.const 0))
    (func (export "dtor") (param $rep i64) (global.set $dropped (local.get $rep)))
    (func (export "dropped") (result i64) (global.get $dropped)))
  (core instance $libc (instantiate $libc))
  (alias core export $libc "mem" (core memory $mem))
  (alias core export $libc "realloc" (core func $realloc))
  (core func $greet-lowered (canon lower (func $greet) (memory $mem) (realloc $realloc)))

  (type $r (resource (rep i64) (dtor (core func $libc "dtor"))))
  (core func $r-new (canon resource.new $r))
  (core func $r-rep (canon resource.rep $r))
  (core func $r-drop (canon resource.drop $r))

  (core module $main
    (import "libc" "mem" (memory i64 1))
    (import "host" "greet" (func $greet (param i64 i64 i64)))
    (import "host" "r-new" (func $r-new (param i64) (result i32)))
    (import "host" "r-rep" (func $r-rep (param i32) (result i64)))
    (import "host" "r-drop" (func $r-drop (param i32)))
    ;; The result area: (pointer, length) pairs and records are stored here.
    (func (export "echo-pair") (param $p i64) (param $l i64) (result i64)
      (i64.store (i64.const 64) (local.get $p))
      (i64.store offset=8 (i64.const 64) (local.get $l))
      (i64.const 64))
    (func (export "raw-len") (param $p i64) (param $l i64) (result i64) (local.get $l))
    (func (export "sum") (param $p i64) (param $n i64) (result i64)
      (local $s i64)
      (block $done
        (loop $next
          (br_if $done (i64.eqz (local.get $n)))
          (local.set $s (i64.add (local.get $s) (i64.load32_u (local.get $p))))
          (local.set $p (i64.add (local.get $p) (i64.const 4)))
          (local.set $n (i64.sub (local.get $n) (i64.const 1)))
          (br $next)))
      (local.get $s))
    ;; record { a: string, b: list<string>, c: u8 }: a at 0, b at 16, c at 32; 40 bytes.
    (func (export "echo-rec") (param i64 i64 i64 i64 i32) (result i64)
      (i64.store (i64.const 128) (local.get 0))
      (i64.store offset=8 (i64.const 128) (local.get 1))
      (i64.store offset=16 (i64.const 128) (local.get 2))
      (i64.store offset=24 (i64.const 128) (local.get 3))
      (i32.store8 offset=32 (i64.const 128) (local.get 4))
      (i64.const 128))
    ;; Nine strings spill (18 flat values): one pointer to a tuple of nine 16-byte
    ;; (pointer, length) pairs; the result is the sum of the lengths.
    (func (export "lengths") (param $t i64) (result i64)
      (local $i i64) (local $s i64)
      (block $done
        (loop $next
          (br_if $done (i64.eq (local.get $i) (i64.const 9)))
          (local.set $s (i64.add (local.get $s)
            (i64.load offset=8 (i64.add (local.get $t) (i64.mul (local.get $i) (i64.const 16))))))
          (local.set $i (i64.add (local.get $i) (i64.const 1)))
          (br $next)))
      (local.get $s))
    (func (export "call-greet") (param $p i64) (param $l i64) (result i64)
      (call $greet (local.get $p) (local.get $l) (i64.const 256))
      (i64.const 256))
    (func (export "make") (param $rep i64) (result i32) (call $r-new (local.get $rep)))
    (func (export "take") (param $h i32) (result i64)
      (local $rep i64)
      (local.set $rep (call $r-rep (local.get $h)))
      (call $r-drop (local.get $h))
      (local.get $rep)))
  (core instance $m (instantiate $main
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "greet" (func $greet-lowered))
      (export "r-new" (func $r-new))
      (export "r-rep" (func $r-rep))
      (export "r-drop" (func $r-drop))))))

  (type $rec0 (record (field "a" string) (field "b" (list string)) (field "c" u8)))
  (export $rec "rec" (type $rec0))
  (export $r-export "r" (type $r))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo-pair") (memory $mem) (realloc $realloc)))
  (func (export "echo16") (param "s" string) (result string)
    (canon lift (core func $m "echo-pair") (memory $mem) (realloc $realloc) string-encoding=latin1+utf16))
  (func (export "raw-len16") (param "s" string) (result u64)
    (canon lift (core func $m "raw-len") (memory $mem) (realloc $realloc) string-encoding=latin1+utf16))
  (func (export "echo-strings") (param "xs" (list string)) (result (list string))
    (canon lift (core func $m "echo-pair") (memory $mem) (realloc $realloc)))
  (func (export "sum") (param "xs" (list u32)) (result u64)
    (canon lift (core func $m "sum") (memory $mem) (realloc $realloc)))
  (func (export "echo-rec") (param "r" $rec) (result $rec)
    (canon lift (core func $m "echo-rec") (memory $mem) (realloc $realloc)))
  (func (export "lengths")
    (param "a" string) (param "b" string) (param "c" string) (param "d" string) (param "e" string)
    (param "f" string) (param "g" string) (param "h" string) (param "i" string) (result u64)
    (canon lift (core func $m "lengths") (memory $mem) (realloc $realloc)))
  (func (export "call-greet") (param "s" string) (result string)
    (canon lift (core func $m "call-greet") (memory $mem) (realloc $realloc)))
  (func (export "make") (param "rep" u64) (result (own $r-export))
    (canon lift (core func $m "make")))
  (func (export "take") (param "r" (own $r-export)) (result u64)
    (canon lift (core func $m "take")))
  (func (export "dropped") (result u64)
    (canon lift (core func $libc "dropped")))
)
