;; The component bench/resources.mjs measures (hand-written; converted with `wasm-tools parse`).
;;
;;   resource counter {
;;     constructor(start: u32);
;;     get: func() -> u32;
;;   }
;;   live: func() -> u32          how many counters the guest holds (checks that drop ran)
;;
;; A counter's rep is the address of a 4-byte slot in the first module's memory holding its
;; value; freed slots go on a free list threaded through the slots themselves, so memory
;; stops growing once as many counters as ever live at once exist.
;;
;; Two core modules, because the resource type's destructor must exist before
;; `canon resource.new` of that type, which the constructor needs:
;;   $state  the slots: new(start) -> rep, get(rep) -> value, drop(rep) (the destructor), live
;;   $ctor   constructor(start) = resource.new(new(start))
;; `[method]counter.get` lifts $state's get directly: a borrow of a resource this component
;; defines arrives in core wasm as its rep.
(component
  (core module $state
    (memory (export "memory") 1)
    (global $free (mut i32) (i32.const 0)) ;; first free slot, 0 = none
    (global $bump (mut i32) (i32.const 8)) ;; next never-used slot (slot 0 is never a rep)
    (global $live (mut i32) (i32.const 0))

    ;; new: a slot holding `start`; returns its address (the rep).
    (func (export "new") (param $start i32) (result i32)
      (local $rep i32)
      (global.set $live (i32.add (global.get $live) (i32.const 1)))
      (if (global.get $free)
        (then
          (local.set $rep (global.get $free))
          (global.set $free (i32.load (local.get $rep))))
        (else
          (local.set $rep (global.get $bump))
          (global.set $bump (i32.add (local.get $rep) (i32.const 4)))
          (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
            (then (if (i32.lt_s (memory.grow (i32.const 1)) (i32.const 0))
              (then unreachable))))))
      (i32.store (local.get $rep) (local.get $start))
      (local.get $rep))

    (func (export "get") (param $rep i32) (result i32)
      (i32.load (local.get $rep)))

    ;; drop: the destructor; puts the slot on the free list.
    (func (export "drop") (param $rep i32)
      (global.set $live (i32.sub (global.get $live) (i32.const 1)))
      (i32.store (local.get $rep) (global.get $free))
      (global.set $free (local.get $rep)))

    (func (export "live") (result i32)
      (global.get $live))
  )
  (core instance $s (instantiate $state))

  (type $counter (resource (rep i32) (dtor (core func $s "drop"))))
  (core func $resource.new (canon resource.new $counter))

  (core module $ctor
    (import "" "new" (func $new (param i32) (result i32)))
    (import "" "resource.new" (func $resource.new (param i32) (result i32)))
    ;; ctor: a slot, then a handle to it (the handle index is what the host receives).
    (func (export "ctor") (param $start i32) (result i32)
      (call $resource.new (call $new (local.get $start))))
  )
  (core instance $c (instantiate $ctor
    (with "" (instance
      (export "new" (func $s "new"))
      (export "resource.new" (func $resource.new))))))

  (func $constructor (param "start" u32) (result (own $counter))
    (canon lift (core func $c "ctor")))
  (func $get (param "self" (borrow $counter)) (result u32)
    (canon lift (core func $s "get")))
  (func $live (result u32)
    (canon lift (core func $s "live")))

;; exported as an interface (a bare resource type cannot be a world's export), through
  ;; a nested component that re-exports the type and gives the functions types naming it
  ;; (the pattern wit-component emits)
  (component $interface
    (import "counter-type" (type $t (sub resource)))
    (import "constructor" (func $constructor (param "start" u32) (result (own $t))))
    (import "get" (func $get (param "self" (borrow $t)) (result u32)))
    (import "live" (func $live (result u32)))
    (export $counter "counter" (type $t))
    (export "[constructor]counter" (func $constructor) (func (param "start" u32) (result (own $counter))))
    (export "[method]counter.get" (func $get) (func (param "self" (borrow $counter)) (result u32)))
    (export "live" (func $live)))
  (instance $counters (instantiate $interface
    (with "counter-type" (type $counter))
    (with "constructor" (func $constructor))
    (with "get" (func $get))
    (with "live" (func $live))))
  (export "weft:bench/counters" (instance $counters))
)
