;; A resource exported at the root of a component, with its `[constructor]` and
;; `[method]` exported next to it (as wasm-tools allows; WIT worlds cannot say it): the
;; functions are the members of its class, exported under the resource's name (`r`) and
;; its class name (`R`). They once printed as `function [constructor]r(…)`, a syntax error.
(component
  (core module $m
    (func (export "dtor") (param i32)))
  (core instance $i (instantiate $m))
  (type $r (resource (rep i32) (dtor (core func $i "dtor"))))
  (core func $new (canon resource.new $r))
  (core module $m2
    (import "" "new" (func $new (param i32) (result i32)))
    (func (export "ctor") (param i32) (result i32) (call $new (local.get 0)))
    ;; a borrow of the component's own resource lowers to its rep
    (func (export "get") (param i32) (result i32) (local.get 0))
    (func (export "make") (param i32) (result i32) (call $new (i32.mul (local.get 0) (i32.const 2)))))
  (core instance $j (instantiate $m2 (with "" (instance (export "new" (func $new))))))
  (export $rr "r" (type $r))
  (func (export "[constructor]r") (param "v" u32) (result (own $rr)) (canon lift (core func $j "ctor")))
  (func (export "[method]r.get") (param "self" (borrow $rr)) (result u32) (canon lift (core func $j "get")))
  (func (export "[static]r.twice") (param "v" u32) (result (own $rr)) (canon lift (core func $j "make")))
  (func (export "plain") (param "v" u32) (result (own $rr)) (canon lift (core func $j "make"))))
