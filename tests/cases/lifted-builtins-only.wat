;; A component with no core code at all whose exports are `resource.*` built-ins
;; lifted: `--lowered` and `weft lower` still make a module, of the handle tables and
;; the three functions (it once had nothing to link, and `weft lower` failed with a bug).
(component
  (type $r (resource (rep i32)))
  (core func $new (canon resource.new $r))
  (core func $rep (canon resource.rep $r))
  (core func $drop (canon resource.drop $r))
  (export $r' "r" (type $r))
  (func (export "make") (param "rep" u32) (result (own $r')) (canon lift (core func $new)))
  (func (export "rep-of") (param "h" (borrow $r')) (result u32) (canon lift (core func $rep)))
  (func (export "drop") (param "h" (own $r')) (canon lift (core func $drop))))
