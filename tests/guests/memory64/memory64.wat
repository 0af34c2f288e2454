;; The 🐘 memory64 guest: components whose memories (and tables) are 64-bit, nested in
;; one component and exported as instances. Runs where the engine has memory64 (node 24,
;; Chromium); elsewhere (node 20) instantiating it is a WebAssembly.CompileError naming
;; memory64. See test.mjs.
(component
  (import "greet" (func $greet (param "name" string) (result string)))
  (import "upper" (func $upper async (param "s" string) (result string)))

  ;; `basic`:
  ;; A component whose memory is 64-bit (🐘 memory64, the `cm64` feature): pointers and
  ;; lengths are `i64` core values and 8 bytes in memory, so a string or a list is 16
  ;; bytes, aligned to 8, and a `latin1+utf16` length is tagged with `1 << 63`. The guest
  ;; echoes values by storing the flat pointers it was given where the result's layout
  ;; puts them, sums lengths it reads from a spilled parameter tuple, calls a host import
  ;; that returns a string through an out-pointer, and keeps resources with `i64` reps.
  (component $basic
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
  (instance $basic-i (instantiate $basic (with "greet" (func $greet))))

  ;; `c64`, `c32`, `a`, `b`:
  ;; Fused adapters between a component with a 64-bit memory (🐘 memory64) and one with a
  ;; 32-bit memory, both ways: a record of a string, a list of strings and a variant moves
  ;; memory to memory between two layouts (a string or a list is 16 bytes in one and 8 in
  ;; the other, so every offset after one differs), with transcoding on the way (the
  ;; 64-bit side's `latin1+utf16` lengths are tagged with `1 << 63`). `a.run` calls from 32
  ;; into 64 bits, `b.run` from 64 into 32; each callee echoes what it was given (and is
  ;; exported as well, `c64` and `c32`).
  ;; Echoes a record: stores its flat parameters where its result's 64-bit layout
  ;; puts them and returns that pointer (latin1+utf16).
  (component $callee64
    (core module $m
      (memory (export "memory") i64 1)
      (global $bump (mut i64) (i64.const 4096))
      (func $realloc (export "realloc") (param i64 i64 i64 i64) (result i64)
        (local $p i64)
        (local.set $p (i64.and (i64.add (global.get $bump) (i64.sub (local.get 2) (i64.const 1)))
                               (i64.sub (i64.const 0) (local.get 2))))
        (global.set $bump (i64.add (local.get $p) (local.get 3)))
        (if (i64.ne (local.get 1) (i64.const 0)) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p))
      (func (export "echo") (param $sp i64) (param $sl i64) (param $xp i64) (param $xl i64) (param $d i32) (param $p0 i64) (param $p1 i64) (param $n i32) (result i64)
        (i64.store (i64.const 512) (local.get $sp))
        (i64.store offset=8 (i64.const 512) (local.get $sl))
        (i64.store offset=16 (i64.const 512) (local.get $xp))
        (i64.store offset=24 (i64.const 512) (local.get $xl))
        (i32.store8 offset=32 (i64.const 512) (local.get $d))
        (i64.store offset=40 (i64.const 512) (local.get $p0))
        (i64.store offset=48 (i64.const 512) (local.get $p1))
        (i32.store8 offset=56 (i64.const 512) (local.get $n))
        (i64.const 512)))
    (core instance $i (instantiate $m))
    (type $vdef (variant (case "a" string) (case "b" u64)))
    (export $v "v" (type $vdef))
    (type $recdef (record (field "s" string) (field "xs" (list string)) (field "v" $v) (field "n" u8)))
    (export $rec "rec" (type $recdef))
    (func (export "echo") (param "r" $rec) (result $rec)
      (canon lift (core func $i "echo") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))
        string-encoding=latin1+utf16)))
  ;; Calls `echo` with the record it was given and returns what came back
  ;; (32-bit memory, utf8).
  (component $app32
    (type $vdef (variant (case "a" string) (case "b" u64)))
    (import "v" (type $v (eq $vdef)))
    (type $recdef (record (field "s" string) (field "xs" (list string)) (field "v" $v) (field "n" u8)))
    (import "rec" (type $rec (eq $recdef)))
    (import "echo" (func $echo (param "r" $rec) (result $rec)))
    (core module $libc
      (memory (export "memory") 1)
      (global $bump (mut i32) (i32.const 4096))
      (func $realloc (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get 2))))
        (global.set $bump (i32.add (local.get $p) (local.get 3)))
        (if (i32.ne (local.get 1) (i32.const 0)) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p)))
    (core instance $libc (instantiate $libc))
    (core func $echo-lowered (canon lower (func $echo) (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc")) string-encoding=utf8))
    (core module $main
      (import "host" "echo" (func $echo (param i32 i32 i32 i32 i32 i64 i32 i32 i32)))
      (func (export "run") (param i32 i32 i32 i32 i32 i64 i32 i32) (result i32)
        (call $echo (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7) (i32.const 256))
        (i32.const 256)))
    (core instance $main (instantiate $main (with "host" (instance (export "echo" (func $echo-lowered))))))
    (export $v2 "v" (type $v))
    (export $rec2 "rec" (type $rec))
    (func (export "run") (param "r" $rec2) (result $rec2)
      (canon lift (core func $main "run") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))
        string-encoding=utf8)))
  ;; Echoes a record: stores its flat parameters where its result's 32-bit layout
  ;; puts them and returns that pointer (utf16).
  (component $callee32
    (core module $m
      (memory (export "memory") 1)
      (global $bump (mut i32) (i32.const 4096))
      (func $realloc (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get 2))))
        (global.set $bump (i32.add (local.get $p) (local.get 3)))
        (if (i32.ne (local.get 1) (i32.const 0)) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p))
      (func (export "echo") (param $sp i32) (param $sl i32) (param $xp i32) (param $xl i32) (param $d i32) (param $p0 i64) (param $p1 i32) (param $n i32) (result i32)
        (i32.store (i32.const 512) (local.get $sp))
        (i32.store offset=4 (i32.const 512) (local.get $sl))
        (i32.store offset=8 (i32.const 512) (local.get $xp))
        (i32.store offset=12 (i32.const 512) (local.get $xl))
        (i32.store8 offset=16 (i32.const 512) (local.get $d))
        (if (i32.eqz (local.get $d))
          (then (i64.store32 offset=24 (i32.const 512) (local.get $p0))
                (i32.store offset=28 (i32.const 512) (local.get $p1)))
          (else (i64.store offset=24 (i32.const 512) (local.get $p0))))
        (i32.store8 offset=32 (i32.const 512) (local.get $n))
        (i32.const 512)))
    (core instance $i (instantiate $m))
    (type $vdef (variant (case "a" string) (case "b" u64)))
    (export $v "v" (type $vdef))
    (type $recdef (record (field "s" string) (field "xs" (list string)) (field "v" $v) (field "n" u8)))
    (export $rec "rec" (type $recdef))
    (func (export "echo") (param "r" $rec) (result $rec)
      (canon lift (core func $i "echo") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))
        string-encoding=utf16)))
  ;; Calls `echo` with the record it was given and returns what came back
  ;; (64-bit memory, latin1+utf16).
  (component $app64
    (type $vdef (variant (case "a" string) (case "b" u64)))
    (import "v" (type $v (eq $vdef)))
    (type $recdef (record (field "s" string) (field "xs" (list string)) (field "v" $v) (field "n" u8)))
    (import "rec" (type $rec (eq $recdef)))
    (import "echo" (func $echo (param "r" $rec) (result $rec)))
    (core module $libc
      (memory (export "memory") i64 1)
      (global $bump (mut i64) (i64.const 4096))
      (func $realloc (export "realloc") (param i64 i64 i64 i64) (result i64)
        (local $p i64)
        (local.set $p (i64.and (i64.add (global.get $bump) (i64.sub (local.get 2) (i64.const 1)))
                               (i64.sub (i64.const 0) (local.get 2))))
        (global.set $bump (i64.add (local.get $p) (local.get 3)))
        (if (i64.ne (local.get 1) (i64.const 0)) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
        (local.get $p)))
    (core instance $libc (instantiate $libc))
    (core func $echo-lowered (canon lower (func $echo) (memory (core memory $libc "memory"))
      (realloc (core func $libc "realloc")) string-encoding=latin1+utf16))
    (core module $main
      (import "host" "echo" (func $echo (param i64 i64 i64 i64 i32 i64 i64 i32 i64)))
      (func (export "run") (param i64 i64 i64 i64 i32 i64 i64 i32) (result i64)
        (call $echo (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (local.get 5) (local.get 6) (local.get 7) (i64.const 256))
        (i64.const 256)))
    (core instance $main (instantiate $main (with "host" (instance (export "echo" (func $echo-lowered))))))
    (export $v2 "v" (type $v))
    (export $rec2 "rec" (type $rec))
    (func (export "run") (param "r" $rec2) (result $rec2)
      (canon lift (core func $main "run") (memory (core memory $libc "memory")) (realloc (core func $libc "realloc"))
        string-encoding=latin1+utf16)))
  (instance $c64 (instantiate $callee64))
  (instance $a (instantiate $app32
    (with "v" (type $c64 "v")) (with "rec" (type $c64 "rec")) (with "echo" (func $c64 "echo"))))
  (instance $c32 (instantiate $callee32))
  (instance $b (instantiate $app64
    (with "v" (type $c32 "v")) (with "rec" (type $c32 "rec")) (with "echo" (func $c32 "echo"))))
  (export "c64" (instance $c64))
  (export "c32" (instance $c32))
  (export "a" (instance $a))
  (export "b" (instance $b))

  ;; `async`:
  ;; The async built-ins with a 64-bit memory (🐘): an async lower of a host import whose
  ;; string arguments and result travel as `i64` pointers, `task.return` of a string, an
  ;; `i64` context slot kept across the callback, a stream copy (its pointer, length and
  ;; packed result are `i64`s), `waitable-set.poll` storing its event at an `i64` pointer,
  ;; and an error context's debug message stored through a 64-bit out-pointer.
  (component $async
    (import "upper" (func $upper async (param "s" string) (result string)))
    (core module $libc
      (memory (export "mem") i64 1)
      (global $bump (mut i64) (i64.const 4096))
      (func (export "realloc") (param i64 i64 i64 i64) (result i64)
        (local $p i64)
        (local.set $p (i64.and (i64.add (global.get $bump) (i64.sub (local.get 2) (i64.const 1)))
                               (i64.sub (i64.const 0) (local.get 2))))
        (global.set $bump (i64.add (local.get $p) (local.get 3)))
        (local.get $p)))
    (core instance $libc (instantiate $libc))
    (alias core export $libc "mem" (core memory $mem))
    (alias core export $libc "realloc" (core func $realloc))
    (type $s (stream u8))
    (core func $upper (canon lower (func $upper) async (memory $mem) (realloc $realloc)))
    (core func $new-set (canon waitable-set.new))
    (core func $join (canon waitable.join))
    (core func $poll (canon waitable-set.poll (memory $mem)))
    (core func $drop-sub (canon subtask.drop))
    (core func $ret (canon task.return (result string) (memory $mem)))
    (core func $ctx-get (canon context.get i64 0))
    (core func $ctx-set (canon context.set i64 0))
    (core func $stream-new (canon stream.new $s))
    (core func $stream-read (canon stream.read $s async (memory $mem) (realloc $realloc)))
    (core func $stream-write (canon stream.write $s async (memory $mem)))
    (core func $ec-new (canon error-context.new (memory $mem)))
    (core func $ec-msg (canon error-context.debug-message (memory $mem) (realloc $realloc)))
    (core func $ec-drop (canon error-context.drop))
    (core module $m
      (import "libc" "mem" (memory i64 1))
      (import "" "upper" (func $upper (param i64 i64 i64) (result i32)))
      (import "" "new-set" (func $new-set (result i32)))
      (import "" "join" (func $join (param i32 i32)))
      (import "" "poll" (func $poll (param i32 i64) (result i32)))
      (import "" "drop-sub" (func $drop-sub (param i32)))
      (import "" "ret" (func $ret (param i64 i64)))
      (import "" "ctx-get" (func $ctx-get (result i64)))
      (import "" "ctx-set" (func $ctx-set (param i64)))
      (import "" "stream-new" (func $stream-new (result i64)))
      (import "" "stream-read" (func $stream-read (param i32 i64 i64) (result i64)))
      (import "" "stream-write" (func $stream-write (param i32 i64 i64) (result i64)))
      (import "" "ec-new" (func $ec-new (param i64 i64) (result i32)))
      (import "" "ec-msg" (func $ec-msg (param i32 i64)))
      (import "" "ec-drop" (func $ec-drop (param i32)))
      ;; The result areas of concurrent `shout` calls, 16 bytes each.
      (global $area (mut i64) (i64.const 2048))
      ;; `shout(s)`: calls the async host import `upper(s)` (its result in a fresh area),
      ;; waits for it in the callback, and returns its result. The task's context slot 0
      ;; holds the area's pointer (with bit 40 set, to show the slot is 64 bits wide).
      (func (export "shout") (param $p i64) (param $l i64) (result i32)
        (local $set i32) (local $r i32) (local $at i64)
        (local.set $at (global.get $area))
        (global.set $area (i64.add (global.get $area) (i64.const 16)))
        (call $ctx-set (i64.or (local.get $at) (i64.shl (i64.const 1) (i64.const 40))))
        (local.set $r (call $upper (local.get $p) (local.get $l) (local.get $at)))
        ;; RETURNED at once: return the result now.
        (if (i32.eq (local.get $r) (i32.const 2))
          (then (call $ret (i64.load (local.get $at)) (i64.load offset=8 (local.get $at)))
                (return (i32.const 0))))
        ;; STARTED: wait for the subtask.
        (local.set $set (call $new-set))
        (call $join (i32.shr_u (local.get $r) (i32.const 4)) (local.get $set))
        (i32.or (i32.const 2) (i32.shl (local.get $set) (i32.const 4))))
      (func (export "shout-cb") (param i32 i32 i32) (result i32)
        (local $at i64)
        ;; EVENT_SUBTASK, RETURNED
        (if (i32.ne (local.get 0) (i32.const 1)) (then unreachable))
        (if (i32.ne (local.get 2) (i32.const 2)) (then unreachable))
        (call $drop-sub (local.get 1))
        (local.set $at (i64.xor (call $ctx-get) (i64.shl (i64.const 1) (i64.const 40))))
        (call $ret (i64.load (local.get $at)) (i64.load offset=8 (local.get $at)))
        (i32.const 0))
      ;; `pipe(s)`: writes the bytes of s into a new stream<u8> and reads them back at
      ;; 1024, then polls for the write's event (stored at 128). Returns a record at 256:
      ;; { written: u64 (the write's packed result), read: u64 (the read's), event: u32,
      ;;   handle: u32, result: u32, data: string }.
      (func (export "pipe") (param $p i64) (param $l i64) (result i64)
        (local $ends i64) (local $r i32) (local $w i32) (local $set i32)
        (local.set $ends (call $stream-new))
        (local.set $r (i32.wrap_i64 (local.get $ends)))
        (local.set $w (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
        (i64.store (i64.const 256) (call $stream-write (local.get $w) (local.get $p) (local.get $l)))
        (i64.store offset=8 (i64.const 256) (call $stream-read (local.get $r) (i64.const 1024) (local.get $l)))
        (local.set $set (call $new-set))
        (call $join (local.get $w) (local.get $set))
        (i32.store offset=16 (i64.const 256) (call $poll (local.get $set) (i64.const 128)))
        (i32.store offset=20 (i64.const 256) (i32.load (i64.const 128)))
        (i32.store offset=24 (i64.const 256) (i32.load offset=4 (i64.const 128)))
        (i64.store offset=32 (i64.const 256) (i64.const 1024))
        (i64.store offset=40 (i64.const 256) (i64.shr_u (i64.load offset=8 (i64.const 256)) (i64.const 4)))
        (i64.const 256))
      ;; `message(s)`: an error context made of s, and its debug message read back.
      (func (export "message") (param $p i64) (param $l i64) (result i64)
        (local $ec i32)
        (local.set $ec (call $ec-new (local.get $p) (local.get $l)))
        (call $ec-msg (local.get $ec) (i64.const 512))
        (call $ec-drop (local.get $ec))
        (i64.const 512)))
    (core instance $i (instantiate $m
      (with "libc" (instance $libc))
      (with "" (instance
        (export "upper" (func $upper)) (export "new-set" (func $new-set)) (export "join" (func $join))
        (export "poll" (func $poll)) (export "drop-sub" (func $drop-sub)) (export "ret" (func $ret))
        (export "ctx-get" (func $ctx-get)) (export "ctx-set" (func $ctx-set))
        (export "stream-new" (func $stream-new)) (export "stream-read" (func $stream-read))
        (export "stream-write" (func $stream-write))
        (export "ec-new" (func $ec-new)) (export "ec-msg" (func $ec-msg)) (export "ec-drop" (func $ec-drop))))))
    (type $piped0 (record (field "written" u64) (field "read" u64) (field "event" u32)
      (field "handle" u32) (field "result" u32) (field "data" string)))
    (export $piped "piped" (type $piped0))
    (func (export "shout") async (param "s" string) (result string)
      (canon lift (core func $i "shout") async (callback (core func $i "shout-cb"))
        (memory $mem) (realloc $realloc)))
    (func (export "pipe") (param "s" string) (result $piped)
      (canon lift (core func $i "pipe") (memory $mem) (realloc $realloc)))
    (func (export "message") (param "s" string) (result string)
      (canon lift (core func $i "message") (memory $mem) (realloc $realloc)))
  )
  (instance $async-i (instantiate $async (with "upper" (func $upper))))

  ;; `threads`:
  ;; 🧵 Cooperative threads with 64-bit tables and closures (🐘): `thread.new-indirect`
  ;; takes an `i64` table index and an `i64` closure argument, and `i64` context slots
  ;; are per thread. `run(n)` spawns n threads of start function 0 with closures
  ;; (1 << 40) + i; each keeps its closure in its context slot 0, yields, then adds it
  ;; to a sum. The caller yields until all have finished and returns the sum.
  (component $threads
    (core module $Tbl (table (export "tbl") i64 1 funcref))
    (core instance $tbl (instantiate $Tbl))
    (alias core export $tbl "tbl" (core table $t))
    (core type $start (func (param i64)))
    (core func $new (canon thread.new-indirect $start (core table $t)))
    (core func $resume-later (canon thread.resume-later))
    (core func $yield (canon thread.yield))
    (core func $ctx-get (canon context.get i64 0))
    (core func $ctx-set (canon context.set i64 0))
    (core func $ret (canon task.return (result u64)))
    (core module $M
      (import "" "tbl" (table i64 1 funcref))
      (import "" "new" (func $new (param i64 i64) (result i32)))
      (import "" "resume-later" (func $resume-later (param i32)))
      (import "" "yield" (func $yield (result i32)))
      (import "" "ctx-get" (func $ctx-get (result i64)))
      (import "" "ctx-set" (func $ctx-set (param i64)))
      (import "" "ret" (func $ret (param i64)))
      (elem (table 0) (i64.const 0) func $worker)
      (global $sum (mut i64) (i64.const 0))
      (global $live (mut i32) (i32.const 0))
      (func $worker (param $c i64)
        (call $ctx-set (local.get $c))
        (drop (call $yield))
        (global.set $sum (i64.add (global.get $sum) (call $ctx-get)))
        (global.set $live (i32.sub (global.get $live) (i32.const 1))))
      (func (export "run") (param $n i32)
        (local $i i32)
        (global.set $sum (i64.const 0))
        (global.set $live (local.get $n))
        ;; The caller's own slot is not the threads'.
        (call $ctx-set (i64.const -1))
        (block $spawned
          (loop $spawn
            (br_if $spawned (i32.ge_u (local.get $i) (local.get $n)))
            (call $resume-later (call $new (i64.const 0)
              (i64.add (i64.shl (i64.const 1) (i64.const 40)) (i64.extend_i32_u (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $spawn)))
        (block $joined
          (loop $wait
            (br_if $joined (i32.eqz (global.get $live)))
            (drop (call $yield))
            (br $wait)))
        (if (i64.ne (call $ctx-get) (i64.const -1)) (then unreachable))
        (call $ret (global.get $sum))))
    (core instance $m (instantiate $M
      (with "" (instance
        (export "tbl" (table $t)) (export "new" (func $new)) (export "resume-later" (func $resume-later))
        (export "yield" (func $yield)) (export "ctx-get" (func $ctx-get)) (export "ctx-set" (func $ctx-set))
        (export "ret" (func $ret))))))
    (func (export "run") async (param "n" u32) (result u64)
      (canon lift (core func $m "run") async))
  )
  (instance $threads-i (instantiate $threads))

  (export "basic" (instance $basic-i))
  (export "async" (instance $async-i))
  (export "threads" (instance $threads-i))
)
