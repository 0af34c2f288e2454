;; A guest that writes a stream in a loop as fast as its writes complete, into a stream
;; JS is already reading: a host read takes one write, so the next write waits for the
;; JS consumer. A read that stayed open took every write of the loop (2^28 - 1 bytes
;; of room), so the guest never waited and the event loop starved (jco's TCP send
;; fixture: a 4 s timer never fired and the heap grew to 4 GB).
(component
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (type $s (stream u8))
  (core func $snew (canon stream.new $s))
  (core func $swrite (canon stream.write $s async (memory (core memory $libc "mem"))))
  (core func $wdrop (canon stream.drop-writable $s))
  (core func $new (canon waitable-set.new))
  (core func $join (canon waitable.join))
  (core func $ret (canon task.return (result (stream u8))))
  (core module $m
    (import "" "snew" (func $snew (result i64)))
    (import "" "swrite" (func $swrite (param i32 i32 i32) (result i32)))
    (import "" "wdrop" (func $wdrop (param i32)))
    (import "" "new" (func $new (result i32)))
    (import "" "join" (func $join (param i32 i32)))
    (import "" "ret" (func $ret (param i32)))
    (global $w (mut i32) (i32.const 0))
    (global $set (mut i32) (i32.const 0))
    (global $sent (mut i32) (i32.const 0))
    ;; writes 16 KiB at a time until 4 MiB are out, then drops the end
    (func $pump (result i32)
      (local $r i32)
      (loop $l
        (if (i32.ge_u (global.get $sent) (i32.const 4194304))
          (then
            (call $join (global.get $w) (i32.const 0))
            (call $wdrop (global.get $w))
            (return (i32.const 0))))
        (local.set $r (call $swrite (global.get $w) (i32.const 0) (i32.const 16384)))
        (if (i32.eq (local.get $r) (i32.const -1))
          (then
            (if (i32.eqz (global.get $set))
              (then
                (global.set $set (call $new))
                (call $join (global.get $w) (global.get $set))))
            (return (i32.or (i32.const 2) (i32.shl (global.get $set) (i32.const 4))))))
        (global.set $sent (i32.add (global.get $sent) (i32.shr_u (local.get $r) (i32.const 4))))
        (br $l))
      unreachable)
    ;; returns the stream, then yields: JS starts reading before the first write
    (func (export "produce") (result i32)
      (local $ends i64)
      (local.set $ends (call $snew))
      (global.set $w (i32.wrap_i64 (i64.shr_u (local.get $ends) (i64.const 32))))
      (call $ret (i32.wrap_i64 (local.get $ends)))
      (i32.const 1))
    (func (export "sent") (result i32) (global.get $sent))
    ;; after the yield (no payload) or EVENT_STREAM_WRITE (the payload counts what the
    ;; blocked write moved)
    (func (export "cb") (param i32 i32 i32) (result i32)
      (global.set $sent (i32.add (global.get $sent) (i32.shr_u (local.get 2) (i32.const 4))))
      (call $pump)))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "snew" (func $snew)) (export "swrite" (func $swrite)) (export "wdrop" (func $wdrop))
      (export "new" (func $new)) (export "join" (func $join)) (export "ret" (func $ret))))))
  (func (export "produce") async (result (stream u8))
    (canon lift (core func $i "produce") async (callback (core func $i "cb"))))
  (func (export "sent") (result u32) (canon lift (core func $i "sent"))))
