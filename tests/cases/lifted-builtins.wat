;; `resource.new`, `resource.rep` and `resource.drop` lifted as exports of their own (no
;; core code of the component calls them): the glue calls the built-ins. `--lowered`
;; compiles them into the linked module with the handle tables and exports them; they
;; once kept the whole component's tables in JS (and `weft lower` refused it).
(component
  (core module $d
    (global $dropped (mut i32) (i32.const 0))
    (func (export "dtor") (param i32) (global.set $dropped (local.get 0)))
    (func (export "dropped") (result i32) (global.get $dropped)))
  (core instance $d (instantiate $d))
  (type $r (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $new (canon resource.new $r))
  (core func $rep (canon resource.rep $r))
  (core func $drop (canon resource.drop $r))
  (export $r' "r" (type $r))
  (func (export "make") (param "rep" u32) (result (own $r')) (canon lift (core func $new)))
  (func (export "rep-of") (param "h" (own $r')) (result u32) (canon lift (core func $rep)))
  (func (export "drop") (param "h" (own $r')) (canon lift (core func $drop)))
  (func (export "dropped") (result u32) (canon lift (core func $d "dropped"))))
