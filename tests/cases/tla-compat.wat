;; `--tla-compat` (jco's flag): the self-instantiating module has no top-level `await`;
;; it exports `$init`, a promise that settles once the component is instantiated, and
;; the exports are live bindings set by then.
;; weft: --tla-compat
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add"))))
