/**
 * The studio's f32 GEMM as WebAssembly text: C[m,n] = A[m,k] · B[k,n], row-major B and C, A with
 * any row and k strides (so A^T costs nothing: x^T dy of a dense layer's weight gradient).
 * `scripts/wasm-gemm-assemble.ts` assembles it into `wasm-gemm-bytes.ts`; of this file only
 * GEMM_SCRATCH_BYTES is used in the app.
 *
 * Blocking: k in blocks of 256 rows, so the B panel of one tile (256 x 8 floats, 8 KB) stays in L1
 * while every strip of A's rows streams past it; within a block a register tile of 4 or 6 rows x 8
 * columns keeps 8 or 12 f32x4 accumulators, and each k step loads 2 vectors of B's row and splats
 * one A value per row (v128.load32_splat) into them.
 * - Tile height: x64 has 16 vector registers. 6 rows (12 accumulators + 2 B + 1 splat = 15) hide
 *   the FMA's latency better than 4 (8 + 2 + 1), where the engine's register allocator keeps all
 *   15 live: Chromium 156 ran the MLP student's products at 49-52.6 against 46-48.6 GFLOP/s (of
 *   53 that two 4-wide FMAs a cycle give at 3.3 GHz). Node 20's V8 spilled them and ran at half
 *   the speed (23 against 45), as 7 or 8 rows and a 4 x 12 tile (16 registers) did in Chromium.
 *   Both heights are built; wasm-gemm.ts runs whichever measures faster on the engine at hand.
 *   They compute every element with the same operations in the same order, so they agree to the bit.
 * - Packing: where at least two strips share a B panel, it is first copied into the caller's
 *   scratch (8 KB, 16-byte aligned): B's rows start wherever tfjs's allocator put them (8-byte
 *   aligned), and a 16-byte load across a cache line cost the 64-row products 10-15 % (42 against
 *   49 GFLOP/s for 64x800x800 at an 8-byte offset; packed, 49 at any offset). The copy adds no
 *   arithmetic, so the results are the same to the bit; 4-column and tail tiles read B in place.
 * - Edges: rows left over by the tile height run shorter tiles, columns left over by 8 run
 *   4-column tiles, and the last n % 4 columns a 4-column tile over the last 4 columns that stores
 *   only its last n % 4 lanes (it reads nothing outside B and C; the scalar loop it replaced ran a
 *   10-class logits layer's two last columns at a tenth of the speed). Fewer than 4 columns run a
 *   scalar loop, so any m, n, k works. The first k block stores C, later add to it.
 *
 * Builds: `fma` uses f32x4.relaxed_madd (relaxed SIMD; fused where the CPU has FMA), in both tile
 * heights; `muladd` f32x4.mul + f32x4.add, 4 rows (its product needs a register of its own), for
 * engines without relaxed SIMD. The module imports tfjs's memory.
 */

/** k rows per block (see above). */
const KC = 256;

/** f32x4 vectors (4 columns each) of the main register tile (see above). */
const NV = 2;

/** Rows of the main register tile: 4 (8 accumulators) or 6 (12; see above). */
export type GemmTileRows = 4 | 6;

/** Bytes of the scratch a GEMM call packs one B panel into (KC rows of NV vectors): one per thread. */
export const GEMM_SCRATCH_BYTES = KC * NV * 16;

export type GemmFlavour = 'fma' | 'muladd';

/** acc + a * b in the chosen flavour. */
function madd(flavour: GemmFlavour, acc: string, a: string, b: string): string {
  return flavour === 'fma'
    ? `(local.set ${acc} (f32x4.relaxed_madd (local.get ${a}) (local.get ${b}) (local.get ${acc})))`
    : `(local.set ${acc} (f32x4.add (local.get ${acc}) (f32x4.mul (local.get ${a}) (local.get ${b}))))`;
}

/** Stores the last $tail lanes (1-3) of vector `value` at `ptr`: a tail tile's own columns. */
function storeTailLanes(ptr: string, value: string): string {
  return `(if (i32.eq (local.get $tail) (i32.const 1)) (then (v128.store32_lane offset=12 3 ${ptr} ${value})) (else
    (v128.store64_lane offset=8 1 ${ptr} ${value})
    (if (i32.eq (local.get $tail) (i32.const 3)) (then (v128.store32_lane offset=4 1 ${ptr} ${value})))))`;
}

/**
 * A rows x (4 * vecs) tile over kc steps: params pa pb pc kc, A's row and k strides, B's and C's
 * row strides (bytes), and whether to add to C (later k blocks). A tail tile (vecs 1) takes
 * $tail too and stores only that many last lanes.
 */
function tile(flavour: GemmFlavour, rows: number, vecs: number, tail = false): string {
  const acc = (r: number, v: number) => `$c${r}_${v}`;
  const lines: string[] = [];
  const locals: string[] = [];
  for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) locals.push(`(local ${acc(r, v)} v128)`);
  for (let v = 0; v < vecs; v++) locals.push(`(local $b${v} v128)`);
  locals.push('(local $a v128)', '(local $pa2 i32)');
  const rowPtr = (r: number) => (r === 0 ? '(local.get $pc)' : `(i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const ${r})))`);
  // Start from C (later k blocks) or zero.
  lines.push('(if (local.get $add) (then');
  for (let r = 0; r < rows; r++) for (let v = 0; v < vecs; v++) lines.push(`  (local.set ${acc(r, v)} (v128.load offset=${v * 16} ${rowPtr(r)}))`);
  lines.push('))');
  lines.push('(loop $k');
  for (let v = 0; v < vecs; v++) lines.push(`  (local.set $b${v} (v128.load offset=${v * 16} (local.get $pb)))`);
  lines.push('  (local.set $pa2 (local.get $pa))');
  for (let r = 0; r < rows; r++) {
    if (r > 0) lines.push('  (local.set $pa2 (i32.add (local.get $pa2) (local.get $ars)))');
    lines.push('  (local.set $a (v128.load32_splat (local.get $pa2)))');
    for (let v = 0; v < vecs; v++) lines.push(`  ${madd(flavour, acc(r, v), '$a', `$b${v}`)}`);
  }
  lines.push('  (local.set $pa (i32.add (local.get $pa) (local.get $aks)))');
  lines.push('  (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))');
  lines.push('  (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))');
  for (let r = 0; r < rows; r++) {
    for (let v = 0; v < vecs; v++) {
      lines.push(tail ? storeTailLanes(rowPtr(r), `(local.get ${acc(r, v)})`) : `(v128.store offset=${v * 16} ${rowPtr(r)} (local.get ${acc(r, v)}))`);
    }
  }
  return `(func ${tileName(rows, vecs, tail)} (param $pa i32) (param $pb i32) (param $pc i32) (param $kc i32) (param $ars i32) (param $aks i32) (param $ldb i32) (param $ldc i32) (param $add i32)${tail ? ' (param $tail i32)' : ''}
  ${locals.join(' ')}
  ${lines.join('\n  ')})`;
}

const tileName = (rows: number, vecs: number, tail: boolean): string => `$t${rows}x${vecs}${tail ? 'tail' : ''}`;
const stripsName = (vecs: number, tail: boolean): string => `$strips${vecs}${tail ? 'tail' : ''}`;

/** The loop over strips of `rowsPerStrip` rows (and the rows left) of one column tile of `vecs` vectors. */
function strips(rowsPerStrip: GemmTileRows, vecs: number, tail = false): string {
  const call = (rows: number) => `(call ${tileName(rows, vecs, tail)} (local.get $pa) (local.get $pb) (local.get $pc) (local.get $kc) (local.get $ars) (local.get $aks) (local.get $ldb) (local.get $ldc) (local.get $add)${tail ? ' (local.get $tail)' : ''})`;
  const left = Array.from({ length: rowsPerStrip - 1 }, (_, r) => rowsPerStrip - 1 - r).map((rows) => `(if (i32.eq (local.get $m) (i32.const ${rows})) (then ${call(rows)}))`).join('\n  ');
  return `(func ${stripsName(vecs, tail)} (param $pa i32) (param $pb i32) (param $pc i32) (param $m i32) (param $kc i32) (param $ars i32) (param $aks i32) (param $ldb i32) (param $ldc i32) (param $add i32)${tail ? ' (param $tail i32)' : ''}
  (block $done (loop $rows
    (br_if $done (i32.lt_u (local.get $m) (i32.const ${rowsPerStrip})))
    ${call(rowsPerStrip)}
    (local.set $pa (i32.add (local.get $pa) (i32.mul (local.get $ars) (i32.const ${rowsPerStrip}))))
    (local.set $pc (i32.add (local.get $pc) (i32.mul (local.get $ldc) (i32.const ${rowsPerStrip}))))
    (local.set $m (i32.sub (local.get $m) (i32.const ${rowsPerStrip})))
    (br $rows)))
  ${left})`;
}

/**
 * gemmLd(a, b, c, m, n, k, aRowStride, aKStride, ldn, scratch): pointers in bytes, strides in
 * elements; B and C rows ldn elements apart, so a band of C's columns is a GEMM of its own (the
 * thread team's column chunks); scratch: GEMM_SCRATCH_BYTES, 16-byte aligned, this thread's own.
 * gemm(a, b, c, m, n, k, aRowStride, aKStride, scratch) is gemmLd with ldn = n.
 */
const driver = (rowsPerStrip: GemmTileRows): string => `(func $gemmLd (export "gemmLd") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32) (param $ars i32) (param $aks i32) (param $ldn i32) (param $scratch i32)
  (local $k0 i32) (local $kc i32) (local $j i32) (local $add i32) (local $ldb i32) (local $pa i32) (local $pb i32) (local $panel i32) (local $panelStride i32) (local $src i32) (local $dst i32) (local $rows i32)
  (local $i i32) (local $kk i32) (local $pai i32) (local $pbk i32) (local $s f32)
  (local.set $ldb (i32.shl (local.get $ldn) (i32.const 2)))
  (local.set $ars (i32.shl (local.get $ars) (i32.const 2)))
  (local.set $aks (i32.shl (local.get $aks) (i32.const 2)))
  (if (i32.or (i32.eqz (local.get $m)) (i32.eqz (local.get $n))) (then (return)))
  (if (i32.eqz (local.get $k)) (then
    ;; An empty sum: zero C's m rows of n columns.
    (loop $zero
      (memory.fill (local.get $c) (i32.const 0) (i32.shl (local.get $n) (i32.const 2)))
      (local.set $c (i32.add (local.get $c) (local.get $ldb)))
      (br_if $zero (local.tee $m (i32.sub (local.get $m) (i32.const 1)))))
    (return)))
  (loop $blocks
    (local.set $kc (select (i32.const ${KC}) (i32.sub (local.get $k) (local.get $k0)) (i32.gt_u (i32.sub (local.get $k) (local.get $k0)) (i32.const ${KC}))))
    (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $k0) (local.get $aks))))
    (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $k0) (local.get $ldb))))
    (local.set $j (i32.const 0))
    (block $wide_done (loop $wide
      (br_if $wide_done (i32.gt_u (i32.add (local.get $j) (i32.const ${NV * 4})) (local.get $n)))
      (local.set $panel (i32.add (local.get $pb) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $panelStride (local.get $ldb))
      (if (i32.ge_u (local.get $m) (i32.const ${2 * rowsPerStrip})) (then
        ;; Two strips or more read this panel: copy its kc rows of ${NV * 16} bytes into the scratch.
        (local.set $src (local.get $panel))
        (local.set $dst (local.get $scratch))
        (local.set $rows (local.get $kc))
        (loop $pack
          ${Array.from({ length: NV }, (_, v) => `(v128.store offset=${v * 16} (local.get $dst) (v128.load offset=${v * 16} (local.get $src)))`).join(' ')}
          (local.set $src (i32.add (local.get $src) (local.get $ldb)))
          (local.set $dst (i32.add (local.get $dst) (i32.const ${NV * 16})))
          (br_if $pack (local.tee $rows (i32.sub (local.get $rows) (i32.const 1)))))
        (local.set $panel (local.get $scratch))
        (local.set $panelStride (i32.const ${NV * 16}))))
      (call $strips${NV} (local.get $pa) (local.get $panel) (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))
        (local.get $m) (local.get $kc) (local.get $ars) (local.get $aks)
        (local.get $panelStride) (local.get $ldb) (local.get $add))
      (local.set $j (i32.add (local.get $j) (i32.const ${NV * 4})))
      (br $wide)))
    (block $narrow_done (loop $narrow
      (br_if $narrow_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (call $strips1 (local.get $pa) (i32.add (local.get $pb) (i32.shl (local.get $j) (i32.const 2))) (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))
        (local.get $m) (local.get $kc) (local.get $ars) (local.get $aks) (local.get $ldb) (local.get $ldb) (local.get $add))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $narrow)))
    ;; The last n % 4 columns: a tile over the last 4 columns storing only those, where n >= 4.
    (if (i32.and (i32.lt_u (local.get $j) (local.get $n)) (i32.ge_u (local.get $n) (i32.const 4))) (then
      (call $strips1tail (local.get $pa) (i32.add (local.get $pb) (i32.shl (i32.sub (local.get $n) (i32.const 4)) (i32.const 2)))
        (i32.add (local.get $c) (i32.shl (i32.sub (local.get $n) (i32.const 4)) (i32.const 2)))
        (local.get $m) (local.get $kc) (local.get $ars) (local.get $aks) (local.get $ldb) (local.get $ldb) (local.get $add) (i32.sub (local.get $n) (local.get $j)))
      (local.set $j (local.get $n))))
    ;; Fewer than 4 columns in all: one dot product each.
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $pai (i32.add (local.get $pa) (i32.mul (local.get $i) (local.get $ars))))
        (local.set $pbk (i32.add (local.get $pb) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $s (f32.const 0))
        (local.set $kk (local.get $kc))
        (loop $dot
          (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $pai)) (f32.load (local.get $pbk)))))
          (local.set $pai (i32.add (local.get $pai) (local.get $aks)))
          (local.set $pbk (i32.add (local.get $pbk) (local.get $ldb)))
          (br_if $dot (local.tee $kk (i32.sub (local.get $kk) (i32.const 1)))))
        (local.set $pbk (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldb)) (i32.shl (local.get $j) (i32.const 2)))))
        (if (local.get $add) (then (local.set $s (f32.add (local.get $s) (f32.load (local.get $pbk))))))
        (f32.store (local.get $pbk) (local.get $s))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $cols)))
    (local.set $add (i32.const 1))
    (local.set $k0 (i32.add (local.get $k0) (local.get $kc)))
    (br_if $blocks (i32.lt_u (local.get $k0) (local.get $k)))))
(func (export "gemm") (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32) (param $ars i32) (param $aks i32) (param $scratch i32)
  (call $gemmLd (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n) (local.get $k) (local.get $ars) (local.get $aks) (local.get $n) (local.get $scratch)))`;

export function gemmWat(flavour: GemmFlavour, rowsPerStrip: GemmTileRows = 4): string {
  const kinds = [[NV, false], [1, false], [1, true]] as const;
  const tiles = kinds.flatMap(([vecs, tail]) => Array.from({ length: rowsPerStrip }, (_, r) => tile(flavour, r + 1, vecs, tail)));
  return `;; Generated by gemmWat('${flavour}'${rowsPerStrip === 4 ? '' : `, ${rowsPerStrip}`}) in src/models/wasm-gemm-wat.ts.
(module
(import "env" "memory" (memory 1))
${tiles.join('\n')}
${kinds.map(([vecs, tail]) => strips(rowsPerStrip, vecs, tail)).join('\n')}
${driver(rowsPerStrip)})
`;
}

/** A minimal relaxed-SIMD module: WebAssembly.validate of its bytes tells whether the fma build runs. */
export const RELAXED_PROBE_WAT = `(module (func (result v128)
  (f32x4.relaxed_madd (v128.const i64x2 0 0) (v128.const i64x2 0 0) (v128.const i64x2 0 0))))`;
