;; An instance whose active data segment is out of bounds fails instantiation after the
;; instances before it ran their start functions, and before later ones exist; with
;; `--lowered` the start sequence traps at the same point.
(component
  (import "log" (func $log (param "n" u32)))
  (core module $M
    (import "host" "log" (func $log (param i32)))
    (import "host" "n" (global $n i32))
    (memory 1)
    (func $start (call $log (global.get $n)))
    (start $start))
  (core module $Bad
    (memory 1)
    (data (i32.const 65534) "\01\02\03\04"))
  (core module $N1 (global (export "n") i32 (i32.const 1)))
  (core module $N2 (global (export "n") i32 (i32.const 2)))
  (core func $log (canon lower (func $log)))
  (core instance $n1 (instantiate $N1))
  (core instance $n2 (instantiate $N2))
  (core instance $first (instantiate $M
    (with "host" (instance (export "log" (func $log)) (export "n" (global $n1 "n"))))))
  (core instance $bad (instantiate $Bad))
  (core instance $never (instantiate $M
    (with "host" (instance (export "log" (func $log)) (export "n" (global $n2 "n"))))))
)
