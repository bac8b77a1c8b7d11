/**
 * The gradient of ReLU as WebAssembly text. `scripts/wasm-gemm-assemble.ts` assembles it into
 * `wasm-relu-grad-bytes.ts`. Pointers are bytes; four values at a time, the last count % 4 one by one.
 *
 * reluGrad(dy, x, out, count): out[i] = dy[i] * step(x[i]), step(x) = 1 where x > 0, 0 where
 * x <= 0 and NaN where x is NaN: tfjs's Step, Cast and Multiply in one pass, with its one float32
 * multiplication per value (so also -0 for a negative dy where x <= 0, as there).
 */
export const RELU_GRAD_WAT = `(module
(import "env" "memory" (memory 1))
(func (export "reluGrad") (param $dy i32) (param $x i32) (param $out i32) (param $count i32)
  (local $end i32) (local $vectorEnd i32) (local $xs v128) (local $step v128) (local $x1 f32)
  (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
  (local.set $vectorEnd (i32.add (local.get $out) (i32.and (i32.shl (local.get $count) (i32.const 2)) (i32.const -16))))
  (block $vectors_done (loop $vectors
    (br_if $vectors_done (i32.ge_u (local.get $out) (local.get $vectorEnd)))
    (local.set $xs (v128.load (local.get $x)))
    ;; 1.0 where x > 0, else +0.0; then NaN where x is NaN (x != x).
    (local.set $step (v128.and (f32x4.gt (local.get $xs) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))
    (local.set $step (v128.bitselect (v128.const f32x4 nan nan nan nan) (local.get $step) (f32x4.ne (local.get $xs) (local.get $xs))))
    (v128.store (local.get $out) (f32x4.mul (v128.load (local.get $dy)) (local.get $step)))
    (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
    (local.set $x (i32.add (local.get $x) (i32.const 16)))
    (local.set $out (i32.add (local.get $out) (i32.const 16)))
    (br $vectors)))
  (block $scalars_done (loop $scalars
    (br_if $scalars_done (i32.ge_u (local.get $out) (local.get $end)))
    (local.set $x1 (f32.load (local.get $x)))
    (f32.store (local.get $out) (f32.mul (f32.load (local.get $dy))
      (select (f32.const nan) (select (f32.const 1) (f32.const 0) (f32.gt (local.get $x1) (f32.const 0))) (f32.ne (local.get $x1) (local.get $x1)))))
    (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
    (local.set $x (i32.add (local.get $x) (i32.const 4)))
    (local.set $out (i32.add (local.get $out) (i32.const 4)))
    (br $scalars))))
)
`;
