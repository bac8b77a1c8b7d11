/**
 * A bias's two passes as WebAssembly text, over a tensor seen as rows of its last axis (dense
 * [batch, units], conv [N, H, W, C]). `scripts/wasm-gemm-assemble.ts` assembles it into
 * `wasm-bias-bytes.ts`. Pointers are bytes; four columns at a time, the last cols % 4 one by one.
 *
 * addBias(x, bias, out, rows, cols): out[r][c] = x[r][c] + bias[c], one float32 addition each, so
 * the bits of tfjs's broadcasting Add.
 *
 * columnSum(x, out, rows, cols): out[c] = 0, then out[c] += x[r][c] for r = 0, 1, ... in float32,
 * per column the same additions in the same order as tfjs's Sum, which transposes the column into a
 * row and adds it up from 0, so the same bits (the gradient of the bias).
 */
export const BIAS_WAT = `(module
(import "env" "memory" (memory 1))
(func (export "addBias") (param $x i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32)
  (local $bytes i32) (local $vectorBytes i32) (local $j i32)
  (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
  (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
  (block $done (loop $rows
    (br_if $done (i32.eqz (local.get $rows)))
    (local.set $j (i32.const 0))
    (block $vectors_done (loop $vectors
      (br_if $vectors_done (i32.ge_u (local.get $j) (local.get $vectorBytes)))
      (v128.store (i32.add (local.get $out) (local.get $j))
        (f32x4.add (v128.load (i32.add (local.get $x) (local.get $j))) (v128.load (i32.add (local.get $bias) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br $vectors)))
    (block $scalars_done (loop $scalars
      (br_if $scalars_done (i32.ge_u (local.get $j) (local.get $bytes)))
      (f32.store (i32.add (local.get $out) (local.get $j))
        (f32.add (f32.load (i32.add (local.get $x) (local.get $j))) (f32.load (i32.add (local.get $bias) (local.get $j)))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $scalars)))
    (local.set $x (i32.add (local.get $x) (local.get $bytes)))
    (local.set $out (i32.add (local.get $out) (local.get $bytes)))
    (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
    (br $rows))))
(func (export "columnSum") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
  (local $bytes i32) (local $vectorEnd i32) (local $end i32) (local $o i32)
  (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
  (local.set $vectorEnd (i32.add (local.get $out) (i32.and (local.get $bytes) (i32.const -16))))
  (local.set $end (i32.add (local.get $out) (local.get $bytes)))
  (memory.fill (local.get $out) (i32.const 0) (local.get $bytes))
  (block $done (loop $rows
    (br_if $done (i32.eqz (local.get $rows)))
    (local.set $o (local.get $out))
    (block $vectors_done (loop $vectors
      (br_if $vectors_done (i32.ge_u (local.get $o) (local.get $vectorEnd)))
      (v128.store (local.get $o) (f32x4.add (v128.load (local.get $o)) (v128.load (local.get $x))))
      (local.set $o (i32.add (local.get $o) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br $vectors)))
    (block $scalars_done (loop $scalars
      (br_if $scalars_done (i32.ge_u (local.get $o) (local.get $end)))
      (f32.store (local.get $o) (f32.add (f32.load (local.get $o)) (f32.load (local.get $x))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (br $scalars)))
    (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
    (br $rows))))
)
`;
