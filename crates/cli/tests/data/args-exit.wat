;; A WASI 0.2 command whose exit code tells its arguments: 16 × their count + the byte
;; length of the second one (`argv[1]`), so that `weft run`'s argument passing shows in
;; the exit code alone.
(component
  (import "wasi:cli/environment@0.2.0" (instance $env
    (export "get-arguments" (func (result (list string))))))
  (import "wasi:cli/exit@0.2.0" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (core module $memory-module
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    ;; (old pointer, old size, alignment, new size) -> pointer: a bump allocator
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $memory-instance (instantiate $memory-module))
  (alias export $env "get-arguments" (func $get-arguments))
  (alias export $exit "exit-with-code" (func $exit-with-code))
  (core func $get-arguments-core (canon lower (func $get-arguments)
    (memory (core memory $memory-instance "memory"))
    (realloc (core func $memory-instance "realloc"))))
  (core func $exit-core (canon lower (func $exit-with-code)))
  (core module $main
    (import "mem" "memory" (memory 1))
    (import "" "get-arguments" (func $get-arguments (param i32)))
    (import "" "exit" (func $exit (param i32)))
    (func (export "run") (result i32)
      (local $list i32) (local $count i32) (local $len1 i32)
      (call $get-arguments (i32.const 16))
      (local.set $list (i32.load (i32.const 16)))
      (local.set $count (i32.load (i32.const 20)))
      (if (i32.gt_u (local.get $count) (i32.const 1))
        (then (local.set $len1 (i32.load offset=12 (local.get $list)))))
      (call $exit (i32.add (i32.mul (local.get $count) (i32.const 16)) (local.get $len1)))
      (i32.const 0)))
  (core instance $i (instantiate $main
    (with "mem" (instance $memory-instance))
    (with "" (instance
      (export "get-arguments" (func $get-arguments-core))
      (export "exit" (func $exit-core))))))
  (type $r (result))
  (func $run (result $r) (canon lift (core func $i "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run-instance)))
