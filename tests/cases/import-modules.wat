;; Core modules from the host: the component imports one (`m`) and one in an instance
;; (`lib` exports `counter`), instantiates each at run time with the imports their
;; types declare, calls into them, and re-exports the first as it was given.
;; lowered: refused, a core module its host gives
(component
  (import "m" (core module $m
    (export "answer" (func (result i32)))
  ))
  (import "lib" (instance $lib
    (export "counter" (core module
      (import "env" "start" (global i32))
      (export "next" (func (result i32)))
      (export "mem" (memory 1))
    ))
  ))
  (alias export $lib "counter" (core module $counter))
  (core module $env (global (export "start") i32 (i32.const 100)))
  (core instance $env (instantiate $env))
  (core instance $mi (instantiate $m))
  (core instance $ci (instantiate $counter (with "env" (instance $env))))
  (func (export "answer") (result u32) (canon lift (core func $mi "answer")))
  (func (export "next") (result u32) (canon lift (core func $ci "next")))
  (export "m" (core module $m))
)
