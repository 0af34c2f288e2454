;; Large types in host import trampolines (crates/js/src/abi/outline.rs): `err`, a
;; variant like wasi:http's `error-code`, and `where`, a record inside one of its cases,
;; are checked, stored and loaded by module functions that every trampoline meeting them
;; calls. `echo-items` has the host return a list of `item`s (each holding an `err` under
;; a `result` and an `option`) and hands the lowered list straight back to the host,
;; which lifts it again: what the host gets must be what it gave. `call-get-err` stores
;; an `err` as the payload of what `get-err` threw and returns its case index.
(component
  (import "host" (instance $host
    (type $where (record
      (field "port" u16)
      (field "octets" (tuple u8 u8 u8 u8))
      (field "scope" (option string))
      (field "flow" (option u32))
      (field "labels" (list string))
      (field "hint" (option (tuple u8 u8 u8 u8)))))
    (export "where" (type $where' (eq $where)))
    (type $dns (record (field "rcode" (option string)) (field "info" (option u16))))
    (export "dns" (type $dns' (eq $dns)))
    (type $err (variant
      (case "timeout")
      (case "dns" $dns')
      (case "size" (option u64))
      (case "addr" $where')
      (case "other" (option string))
      (case "denied")))
    (export "err" (type $err' (eq $err)))
    (type $item (record (field "r" (result u32 (error $err'))) (field "o" (option $err'))))
    (export "item" (type $item' (eq $item)))
    (export "get-items" (func (result (list $item'))))
    (export "report-items" (func (param "l" (list $item'))))
    (export "get-err" (func (result (result u32 (error $err')))))
  ))
  (alias export $host "get-items" (func $get-items))
  (alias export $host "report-items" (func $report-items))
  (alias export $host "get-err" (func $get-err))

  (core module $mem
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 4096))
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (global.set $bump (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow (i32.const 1)))))
      (local.get $p)))
  (core instance $mem (instantiate $mem))

  (core func $get-items' (canon lower (func $get-items) (memory (core memory $mem "memory")) (realloc (core func $mem "realloc"))))
  (core func $report-items' (canon lower (func $report-items) (memory (core memory $mem "memory"))))
  (core func $get-err' (canon lower (func $get-err) (memory (core memory $mem "memory")) (realloc (core func $mem "realloc"))))

  (core module $m
    (import "" "memory" (memory 1))
    (import "" "get-items" (func $get-items (param i32)))
    (import "" "report-items" (func $report-items (param i32 i32)))
    (import "" "get-err" (func $get-err (param i32)))
    (func (export "echo-items") (result i32)
      (call $get-items (i32.const 16))
      (call $report-items (i32.load (i32.const 16)) (i32.load (i32.const 20)))
      (i32.load (i32.const 20)))
    ;; result<u32, err> at 64: its tag at 64, the err's case at 72
    (func (export "call-get-err") (result i32)
      (call $get-err (i32.const 64))
      (i32.add (i32.load8_u (i32.const 64)) (i32.shl (i32.load8_u (i32.const 72)) (i32.const 8)))))
  (core instance $i (instantiate $m (with "" (instance
    (export "memory" (memory $mem "memory"))
    (export "get-items" (func $get-items'))
    (export "report-items" (func $report-items'))
    (export "get-err" (func $get-err'))))))

  (func (export "echo-items") (result u32) (canon lift (core func $i "echo-items")))
  (func (export "call-get-err") (result u32) (canon lift (core func $i "call-get-err")))
)
