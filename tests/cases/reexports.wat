;; Items of the imports re-exported as they are: an imported instance (its resource type
;; and functions) and a function of an imported instance; next to them, an instance of
;; the component's own that holds a host function and the host's resource type.
(component
  (import "test:host/api" (instance $i
    (export "thing" (type $t (sub resource)))
    (export "[constructor]thing" (func (param "n" u32) (result (own $t))))
    (export "[method]thing.get" (func (param "self" (borrow $t)) (result u32)))
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
  ))
  (alias export $i "add" (func $add))
  (export "test:host/api" (instance $i))
  (export "plus" (func $add))
)
