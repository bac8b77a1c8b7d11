/**
 * The swap of a tensor's last two axes as WebAssembly text: `batch` row-major rows x cols
 * matrices, each written out as cols x rows. `scripts/wasm-gemm-assemble.ts` assembles it into
 * `wasm-transpose-bytes.ts`. Pointers are bytes.
 *
 * transpose(src, dst, rows, cols, batch): 4 x 4 blocks, each four row loads, eight lane shuffles
 * and four stores into four rows of the output; the last rows % 4 rows and cols % 4 columns move one
 * value at a time. Pure data movement, so the bits of tfjs's Transpose.
 */

/** i8x16.shuffle's byte indices that pick f32 lanes (0-3 from the first operand, 4-7 from the second). */
function lanes(...picks: number[]): string {
  return picks.flatMap((lane) => [0, 1, 2, 3].map((byte) => lane * 4 + byte)).join(' ');
}

const shuffle = (picks: number[], a: string, b: string): string => `(i8x16.shuffle ${lanes(...picks)} (local.get ${a}) (local.get ${b}))`;

/** Moves one 4 x 4 block from $p + srcOffset (rows $srcRow bytes apart) to $q + dstOffset (rows $dstRow bytes apart). */
function block(srcOffset: string, dstOffset: string): string {
  const p = `(i32.add (local.get $p) ${srcOffset})`;
  const q = `(i32.add (local.get $q) ${dstOffset})`;
  return `
      (local.set $r0 (v128.load ${p}))
      (local.set $r1 (v128.load (i32.add ${p} (local.get $srcRow))))
      (local.set $r2 (v128.load (i32.add ${p} (i32.shl (local.get $srcRow) (i32.const 1)))))
      (local.set $r3 (v128.load (i32.add ${p} (i32.mul (local.get $srcRow) (i32.const 3)))))
      ;; (r0 r1 interleaved) then (r2 r3 interleaved), and their halves joined: the block's columns.
      (local.set $t0 ${shuffle([0, 4, 1, 5], '$r0', '$r1')})
      (local.set $t1 ${shuffle([2, 6, 3, 7], '$r0', '$r1')})
      (local.set $t2 ${shuffle([0, 4, 1, 5], '$r2', '$r3')})
      (local.set $t3 ${shuffle([2, 6, 3, 7], '$r2', '$r3')})
      (v128.store ${q} ${shuffle([0, 1, 4, 5], '$t0', '$t2')})
      (v128.store (i32.add ${q} (local.get $dstRow)) ${shuffle([2, 3, 6, 7], '$t0', '$t2')})
      (v128.store (i32.add ${q} (i32.shl (local.get $dstRow) (i32.const 1))) ${shuffle([0, 1, 4, 5], '$t1', '$t3')})
      (v128.store (i32.add ${q} (i32.mul (local.get $dstRow) (i32.const 3))) ${shuffle([2, 3, 6, 7], '$t1', '$t3')})`;
}

/** Bands of `height` rows (16 or 4) from row $i while $i + height <= rows: a full 64-byte line per output row and step where height is 16. */
function bands(height: number): string {
  const blocks = Array.from({ length: height / 4 }, (_, b) => block(`(i32.mul (local.get $srcRow) (i32.const ${4 * b}))`, `(i32.const ${16 * b})`)).join('');
  return `
    (block $bands${height}_done (loop $bands${height}
      (br_if $bands${height}_done (i32.gt_u (i32.add (local.get $i) (i32.const ${height})) (local.get $rows)))
      (local.set $p (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $srcRow))))
      (local.set $q (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $blocks${height}_done (loop $blocks${height}
        (br_if $blocks${height}_done (i32.ge_u (local.get $j) (local.get $cols4)))${blocks}
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.shl (local.get $dstRow) (i32.const 2))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $blocks${height})))
      ;; The band's last cols % 4 columns.
      (call $scalars (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols) (local.get $i) (local.get $cols4) (i32.add (local.get $i) (i32.const ${height})))
      (local.set $i (i32.add (local.get $i) (i32.const ${height})))
      (br $bands${height})))`;
}

export const TRANSPOSE_WAT = `(module
(import "env" "memory" (memory 1))
;; dst[j][i] = src[i][j] for one rows x cols matrix, over rows i0..rows-1 and all columns, one value at a time.
(func $scalars (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $i0 i32) (param $j0 i32) (param $i1 i32)
  (local $i i32) (local $j i32)
  (local.set $i (local.get $i0))
  (block $rows_done (loop $rows
    (br_if $rows_done (i32.ge_u (local.get $i) (local.get $i1)))
    (local.set $j (local.get $j0))
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_u (local.get $j) (local.get $cols)))
      (f32.store (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2)))
        (f32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2)))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $cols)))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $rows))))
(func (export "transpose") (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $batch i32)
  (local $cols4 i32) (local $srcRow i32) (local $dstRow i32) (local $matrix i32)
  (local $i i32) (local $j i32) (local $p i32) (local $q i32)
  (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
  (local.set $srcRow (i32.shl (local.get $cols) (i32.const 2)))
  (local.set $dstRow (i32.shl (local.get $rows) (i32.const 2)))
  (local.set $matrix (i32.mul (local.get $srcRow) (local.get $rows)))
  (block $batch_done (loop $matrices
    (br_if $batch_done (i32.eqz (local.get $batch)))
    (local.set $i (i32.const 0))
${bands(16)}${bands(4)}
    ;; The last rows % 4 rows.
    (call $scalars (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols) (local.get $i) (i32.const 0) (local.get $rows))
    (local.set $src (i32.add (local.get $src) (local.get $matrix)))
    (local.set $dst (i32.add (local.get $dst) (local.get $matrix)))
    (local.set $batch (i32.sub (local.get $batch) (i32.const 1)))
    (br $matrices))))
)
`;
