;; The bundled example: a small component written by hand in WAT.
;;
;;   add(a: u32, b: u32) -> u32
;;   greet(name: string) -> string      "Hello, <name>!"
;;   sum(xs: list<u32>) -> u64
(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (data (i32.const 16) "Hello, ")

    ;; realloc(old_ptr, old_size, align, new_size): a bump allocator.
    (func $realloc (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      ;; align the bump pointer
      (local.set $p
        (i32.and
          (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      ;; grow memory when needed
      (if (i32.gt_u (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow
          (i32.add (i32.const 1)
            (i32.div_u (i32.sub (global.get $bump) (i32.mul (memory.size) (i32.const 65536)))
                       (i32.const 65536)))))))
      ;; copy the old contents (for in-place growth requests)
      (if (local.get 1)
        (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
      (local.get $p))

    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))

    ;; greet: writes (ptr, len) of "Hello, <name>!" at a return area.
    (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32) (local $ret i32)
      (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.add (local.get $len) (i32.const 8))))
      (memory.copy (local.get $out) (i32.const 16) (i32.const 7))
      (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $ptr) (local.get $len))
      (i32.store8 (i32.add (local.get $out) (i32.add (local.get $len) (i32.const 7))) (i32.const 33))
      (local.set $ret (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
      (i32.store (local.get $ret) (local.get $out))
      (i32.store offset=4 (local.get $ret) (i32.add (local.get $len) (i32.const 8)))
      (local.get $ret))

    (func (export "sum") (param $ptr i32) (param $len i32) (result i64)
      (local $acc i64)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $len)))
          (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load (local.get $ptr)))))
          (local.set $ptr (i32.add (local.get $ptr) (i32.const 4)))
          (local.set $len (i32.sub (local.get $len) (i32.const 1)))
          (br $next)))
      (local.get $acc))
  )
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))

  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "greet") (param "name" string) (result string)
    (canon lift (core func $i "greet") (memory $mem) (realloc $realloc)))
  (func (export "sum") (param "xs" (list u32)) (result u64)
    (canon lift (core func $i "sum") (memory $mem) (realloc $realloc)))
)
