;; A component with 🧵 cooperative threads, written the way wasi-libc's pthreads
;; implementation uses the Component Model built-ins: a start function in the
;; indirect function table, `thread.new-indirect` + `thread.resume-later` to spawn,
;; `thread.yield` to let others run, `thread.suspend` / `thread.resume-later` to
;; park and wake a joiner, and direct switches (`thread.{suspend,yield}-then-resume`).
;;
;; Exports (JS names in camelCase):
;;   spawn-join: async func(workers: u32, rounds: u32) -> list<u32>
;;       spawns `workers` threads (ids 1..workers); each logs its id `rounds` times,
;;       yielding after each entry; the caller's thread suspends until the last one
;;       wakes it, then returns the log (the interleaving)
;;   switch-chain: func(n: u32) -> list<u32>
;;       a synchronous function: spawns threads 1..n and switches directly to thread 1
;;       (suspending), which logs 1 and switches to thread 2 (staying ready), …, thread
;;       n switches back; the caller logs 0: [1, 2, …, n, 0]
;;   switch-and-wait: func() -> u32
;;       a synchronous function that switches to a new thread, which yields (to a later
;;       turn of the event loop) before it wakes the caller: returns 7
;;   spawn-detached: func(n: u32)
;;       spawns n threads that each add one to `finished` and exit, and returns at once
;;   run-until-cancelled: async func(workers: u32) -> u32
;;       spawns workers that yield in a loop until the call is cancelled; the callback
;;       then tells them to stop and cancels the task
;;   finished, stopped, iterations: func() -> u32   counters
(component
  (core module $Mem (memory (export "mem") 1))
  (core instance $mem (instantiate $Mem))
  (core module $Tbl (table (export "tbl") 5 funcref))
  (core instance $tbl (instantiate $Tbl))
  (alias core export $tbl "tbl" (core table $t))

  (core module $M
    (import "" "mem" (memory 1))
    (import "" "tbl" (table 5 funcref))
    (import "" "thread.new-indirect" (func $new (param i32 i32) (result i32)))
    (import "" "thread.resume-later" (func $resume-later (param i32)))
    (import "" "thread.suspend" (func $suspend (result i32)))
    (import "" "thread.yield" (func $yield (result i32)))
    (import "" "thread.index" (func $index (result i32)))
    (import "" "thread.yield-then-resume" (func $yield-then-resume (param i32) (result i32)))
    (import "" "thread.suspend-then-resume" (func $suspend-then-resume (param i32) (result i32)))
    (import "" "task.return-list" (func $return-list (param i32 i32)))
    (import "" "task.cancel" (func $task-cancel))
    (import "" "waitable-set.new" (func $waitable-set-new (result i32)))

    (elem (table 0) (i32.const 0) func $worker $chain-link $detached $stoppable $yield-then-wake)

    ;; The log: u32 entries from 1024; thread indices of switch-chain from 512.
    (global $log-len (mut i32) (i32.const 0))
    (global $live (mut i32) (i32.const 0))
    (global $joiner (mut i32) (i32.const 0))
    (global $rounds (mut i32) (i32.const 0))
    (global $chain-n (mut i32) (i32.const 0))
    (global $finished (mut i32) (i32.const 0))
    (global $stop (mut i32) (i32.const 0))
    (global $stopped (mut i32) (i32.const 0))
    (global $iterations (mut i32) (i32.const 0))

    (func $log (param $v i32)
      (if (i32.ge_u (global.get $log-len) (i32.const 8192)) (then unreachable))
      (i32.store (i32.add (i32.const 1024) (i32.shl (global.get $log-len) (i32.const 2))) (local.get $v))
      (global.set $log-len (i32.add (global.get $log-len) (i32.const 1))))

    ;; spawn-join's threads: log the id `rounds` times, yielding after each; the last
    ;; to finish wakes the joiner.
    (func $worker (param $id i32)
      (local $r i32)
      (block $done
        (loop $again
          (br_if $done (i32.ge_u (local.get $r) (global.get $rounds)))
          (call $log (local.get $id))
          (drop (call $yield))
          (local.set $r (i32.add (local.get $r) (i32.const 1)))
          (br $again)))
      (global.set $live (i32.sub (global.get $live) (i32.const 1)))
      (if (i32.eqz (global.get $live))
        (then (call $resume-later (global.get $joiner)))))

    (func (export "spawn-join") (param $n i32) (param $rounds i32)
      (local $i i32)
      (global.set $log-len (i32.const 0))
      (global.set $rounds (local.get $rounds))
      (global.set $live (local.get $n))
      (global.set $joiner (call $index))
      (local.set $i (i32.const 1))
      (block $spawned
        (loop $spawn
          (br_if $spawned (i32.gt_u (local.get $i) (local.get $n)))
          (call $resume-later (call $new (i32.const 0) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $spawn)))
      ;; Join: suspended until the last worker resumes this thread.
      (block $joined
        (loop $wait
          (br_if $joined (i32.eqz (global.get $live)))
          (drop (call $suspend))
          (br $wait)))
      (call $return-list (i32.const 1024) (global.get $log-len)))

    ;; Thread i of switch-chain: log i, switch to the next (thread n switches back to
    ;; the caller's thread), staying ready so that it exits later.
    (func $chain-link (param $i i32)
      (call $log (local.get $i))
      (drop (call $yield-then-resume
        (i32.load (i32.add (i32.const 512)
          (i32.shl
            (select (i32.const 0) (i32.add (local.get $i) (i32.const 1))
              (i32.eq (local.get $i) (global.get $chain-n)))
            (i32.const 2)))))))

    (func (export "switch-chain") (param $n i32) (result i32)
      (local $i i32)
      (if (i32.gt_u (local.get $n) (i32.const 100)) (then unreachable))
      (global.set $log-len (i32.const 0))
      (global.set $chain-n (local.get $n))
      (i32.store (i32.const 512) (call $index))
      (local.set $i (i32.const 1))
      (block $spawned
        (loop $spawn
          (br_if $spawned (i32.gt_u (local.get $i) (local.get $n)))
          (i32.store (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 2)))
            (call $new (i32.const 1) (local.get $i)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $spawn)))
      (if (local.get $n)
        (then (drop (call $suspend-then-resume (i32.load (i32.const 516))))))
      (call $log (i32.const 0))
      (i32.store (i32.const 256) (i32.const 1024))
      (i32.store (i32.const 260) (global.get $log-len))
      (i32.const 256))

    ;; switch-and-wait's thread: yield, then wake the caller (thread index `c`).
    (func $yield-then-wake (param $caller i32)
      (drop (call $yield))
      (call $resume-later (local.get $caller)))

    (func (export "switch-and-wait") (result i32)
      (drop (call $suspend-then-resume (call $new (i32.const 4) (call $index))))
      (i32.const 7))

    (func $detached (param i32)
      (global.set $finished (i32.add (global.get $finished) (i32.const 1))))

    (func (export "spawn-detached") (param $n i32)
      (block $spawned
        (loop $spawn
          (br_if $spawned (i32.eqz (local.get $n)))
          (call $resume-later (call $new (i32.const 2) (i32.const 0)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $spawn))))

    (func $stoppable (param i32)
      (block $stopped
        (loop $again
          (br_if $stopped (global.get $stop))
          (global.set $iterations (i32.add (global.get $iterations) (i32.const 1)))
          (drop (call $yield))
          (br $again)))
      (global.set $stopped (i32.add (global.get $stopped) (i32.const 1))))

    (func (export "run-until-cancelled") (param $n i32) (result i32)
      (block $spawned
        (loop $spawn
          (br_if $spawned (i32.eqz (local.get $n)))
          (call $resume-later (call $new (i32.const 3) (i32.const 0)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $spawn)))
      ;; WAIT on an empty set: only cancellation ends the call.
      (i32.or (i32.const 2) (i32.shl (call $waitable-set-new) (i32.const 4))))

    (func (export "run-until-cancelled-cb") (param $event i32) (param i32 i32) (result i32)
      (if (i32.ne (local.get $event) (i32.const 6 (; TASK_CANCELLED ;))) (then unreachable))
      (global.set $stop (i32.const 1))
      (call $task-cancel)
      (i32.const 0 (; EXIT ;)))

    (func (export "finished") (result i32) (global.get $finished))
    (func (export "stopped") (result i32) (global.get $stopped))
    (func (export "iterations") (result i32) (global.get $iterations))
  )

  (type $list (list u32))
  (core type $start (func (param i32)))
  (core func $new (canon thread.new-indirect $start (core table $t)))
  (core func $resume-later (canon thread.resume-later))
  (core func $suspend (canon thread.suspend))
  (core func $yield (canon thread.yield))
  (core func $index (canon thread.index))
  (core func $yield-then-resume (canon thread.yield-then-resume))
  (core func $suspend-then-resume (canon thread.suspend-then-resume))
  (core func $return-list (canon task.return (result $list) (memory (core memory $mem "mem"))))
  (core func $task-cancel (canon task.cancel))
  (core func $waitable-set-new (canon waitable-set.new))
  (core instance $m (instantiate $M (with "" (instance
    (export "mem" (memory $mem "mem"))
    (export "tbl" (table $t))
    (export "thread.new-indirect" (func $new))
    (export "thread.resume-later" (func $resume-later))
    (export "thread.suspend" (func $suspend))
    (export "thread.yield" (func $yield))
    (export "thread.index" (func $index))
    (export "thread.yield-then-resume" (func $yield-then-resume))
    (export "thread.suspend-then-resume" (func $suspend-then-resume))
    (export "task.return-list" (func $return-list))
    (export "task.cancel" (func $task-cancel))
    (export "waitable-set.new" (func $waitable-set-new))
  ))))

  (func (export "spawn-join") async (param "workers" u32) (param "rounds" u32) (result $list)
    (canon lift (core func $m "spawn-join") async (memory (core memory $mem "mem"))))
  (func (export "switch-chain") (param "n" u32) (result $list)
    (canon lift (core func $m "switch-chain") (memory (core memory $mem "mem"))))
  (func (export "switch-and-wait") (result u32)
    (canon lift (core func $m "switch-and-wait")))
  (func (export "spawn-detached") (param "n" u32)
    (canon lift (core func $m "spawn-detached")))
  (func (export "run-until-cancelled") async (param "workers" u32) (result u32)
    (canon lift (core func $m "run-until-cancelled") async (callback (core func $m "run-until-cancelled-cb"))))
  (func (export "finished") (result u32) (canon lift (core func $m "finished")))
  (func (export "stopped") (result u32) (canon lift (core func $m "stopped")))
  (func (export "iterations") (result u32) (canon lift (core func $m "iterations")))
)
