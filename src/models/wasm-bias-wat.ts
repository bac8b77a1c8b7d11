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
 * row and adds it up from 0, so the same bits (the gradient of the bias). The columns of whole
 * vectors are summed in blocks of up to 8 vectors (BLOCK_VECTORS), each over every row with its sums in
 * registers: summing into `out` in memory made each row wait for the previous row's store (a
 * [64, 28, 28, 8] gradient took ~0.2 ms). The last cols % 4 columns then go row by row in memory.
 */

/** f32x4 sums a column block keeps in registers (with a load each, within x64's 16). */
const BLOCK_VECTORS = 8;

/** Sums `vectors` f32x4 columns from $x over $rows rows ($rowBytes apart) into $out, from zero. */
function columnBlock(vectors: number): string {
  const each = (f: (v: number) => string) => Array.from({ length: vectors }, (_, v) => f(v)).join(' ');
  return `(func $columnBlock${vectors} (param $x i32) (param $out i32) (param $rows i32) (param $rowBytes i32)
  ${each((v) => `(local $s${v} v128)`)}
  (block $done (loop $rows
    (br_if $done (i32.eqz (local.get $rows)))
    ${each((v) => `(local.set $s${v} (f32x4.add (local.get $s${v}) (v128.load offset=${v * 16} (local.get $x))))`)}
    (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
    (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
    (br $rows)))
  ${each((v) => `(v128.store offset=${v * 16} (local.get $out) (local.get $s${v}))`)})`;
}
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
${Array.from({ length: BLOCK_VECTORS }, (_, v) => columnBlock(v + 1)).join('\n')}
(func (export "columnSum") (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
  (local $bytes i32) (local $vectorBytes i32) (local $j i32) (local $step i32) (local $o i32) (local $xs i32) (local $left i32)
  (local.set $bytes (i32.shl (local.get $cols) (i32.const 2)))
  (local.set $vectorBytes (i32.and (local.get $bytes) (i32.const -16)))
  ;; Whole vectors: blocks of up to ${BLOCK_VECTORS}, each over every row.
  (block $blocks_done (loop $blocks
    (br_if $blocks_done (i32.ge_u (local.get $j) (local.get $vectorBytes)))
    (local.set $step (i32.shr_u (i32.sub (local.get $vectorBytes) (local.get $j)) (i32.const 4)))
    (local.set $step (select (i32.const ${BLOCK_VECTORS}) (local.get $step) (i32.gt_u (local.get $step) (i32.const ${BLOCK_VECTORS}))))
    ${Array.from({ length: BLOCK_VECTORS }, (_, v) => `(if (i32.eq (local.get $step) (i32.const ${v + 1})) (then (call $columnBlock${v + 1} (i32.add (local.get $x) (local.get $j)) (i32.add (local.get $out) (local.get $j)) (local.get $rows) (local.get $bytes))))`).join('\n    ')}
    (local.set $j (i32.add (local.get $j) (i32.shl (local.get $step) (i32.const 4))))
    (br $blocks)))
  ;; The last cols % 4 columns, row by row in memory.
  (if (i32.eq (local.get $vectorBytes) (local.get $bytes)) (then (return)))
  (memory.fill (i32.add (local.get $out) (local.get $vectorBytes)) (i32.const 0) (i32.sub (local.get $bytes) (local.get $vectorBytes)))
  (local.set $xs (i32.add (local.get $x) (local.get $vectorBytes)))
  (local.set $left (local.get $rows))
  (block $done (loop $rows
    (br_if $done (i32.eqz (local.get $left)))
    (local.set $o (local.get $vectorBytes))
    (block $scalars_done (loop $scalars
      (br_if $scalars_done (i32.ge_u (local.get $o) (local.get $bytes)))
      (f32.store (i32.add (local.get $out) (local.get $o)) (f32.add (f32.load (i32.add (local.get $out) (local.get $o))) (f32.load (i32.add (local.get $xs) (i32.sub (local.get $o) (local.get $vectorBytes))))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $scalars)))
    (local.set $xs (i32.add (local.get $xs) (local.get $bytes)))
    (local.set $left (i32.sub (local.get $left) (i32.const 1)))
    (br $rows))))
)
`;
