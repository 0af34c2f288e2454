;; Resource objects are unforgeable: their handle state is private to the runtime copy
;; that made them, so a copy (`{...obj}`, own symbols copied onto another object of the
;; class) is not accepted as a handle and cannot run the destructor a second time, and
;; no property set on an object passes a rep of its choosing into the guest. An object
;; of one transpiled module given to another as a host resource keeps working there.
;;
;; `counter`'s rep is the number it was made with; `get` returns it, `consume` takes an
;; owned counter, drops it and returns its rep, `dtors` counts destructor runs. `ext` is
;; a resource the host supplies: `ext-get` (imported) reads one, `use-ext` lends one to
;; the guest, which calls `ext-get` on it (and ends the borrow); `keep-ext` moves one in and drops it (the
;; host object's `[Symbol.dispose]` runs).
(component
  (import "ext" (type $ext (sub resource)))
  (import "ext-get" (func $ext-get (param "e" (borrow $ext)) (result u32)))
  (core func $ext-get' (canon lower (func $ext-get)))
  (core func $ext-drop (canon resource.drop $ext))
  (core module $d
    (global $n (mut i32) (i32.const 0))
    (func (export "dtor") (param i32) (global.set $n (i32.add (global.get $n) (i32.const 1))))
    (func (export "dtors") (result i32) (global.get $n)))
  (core instance $d (instantiate $d))
  (type $counter (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $new (canon resource.new $counter))
  (core func $rep (canon resource.rep $counter))
  (core func $drop (canon resource.drop $counter))
  (core module $m
    (import "" "new" (func $new (param i32) (result i32)))
    (import "" "rep" (func $rep (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (import "" "ext-get" (func $ext-get (param i32) (result i32)))
    (import "" "ext-drop" (func $ext-drop (param i32)))
    (func (export "ctor") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "get") (param i32) (result i32) (local.get 0))
    (func (export "consume") (param $h i32) (result i32)
      (local $r i32)
      (local.set $r (call $rep (local.get $h)))
      (call $drop (local.get $h))
      (local.get $r))
    (func (export "use-ext") (param i32) (result i32)
      (local $v i32)
      (local.set $v (call $ext-get (local.get 0)))
      (call $ext-drop (local.get 0))
      (local.get $v))
    (func (export "keep-ext") (param i32) (call $ext-drop (local.get 0))))
  (core instance $i (instantiate $m (with "" (instance
    (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))
    (export "ext-get" (func $ext-get')) (export "ext-drop" (func $ext-drop))))))
  (export $counter' "counter" (type $counter))
  (func (export "make") (param "v" u32) (result (own $counter')) (canon lift (core func $i "ctor")))
  (func (export "get") (param "c" (borrow $counter')) (result u32) (canon lift (core func $i "get")))
  (func (export "consume") (param "c" (own $counter')) (result u32) (canon lift (core func $i "consume")))
  (func (export "dtors") (result u32) (canon lift (core func $d "dtors")))
  (func (export "use-ext") (param "e" (borrow $ext)) (result u32) (canon lift (core func $i "use-ext")))
  (func (export "keep-ext") (param "e" (own $ext)) (canon lift (core func $i "keep-ext"))))
