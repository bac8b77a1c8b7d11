/**
 * Training-mode batch norm's per-element passes as WebAssembly text (NHWC: x is [rows, C], C a
 * multiple of 4). `scripts/wasm-gemm-assemble.ts` assembles it into `wasm-batch-norm-bytes.ts`.
 *
 * The arithmetic is that of wasm-batch-norm.ts's JavaScript, value for value: float32 inputs are
 * promoted to float64 (f64x2.promote_low_f32x4 on each half of an f32x4), every sum and product is
 * in float64 in the same order, and outputs are rounded to float32 once (f32x4.demote_f64x2_zero,
 * round to nearest like a Float32Array store), so both paths give the same bits and the tests
 * compare them exactly. Per-channel operands (mean, 1/std, gamma, beta, the sums) are float64
 * arrays of C values prepared by the caller; sums accumulate into them in place.
 * Every function takes byte offsets into the imported memory, the row count and C.
 */

/** The f64x2 of lanes 0-1 (`low`) or 2-3 (`high`) of an f32x4 local. */
function promoted(local: string, half: 'low' | 'high'): string {
  const v = `(local.get ${local})`;
  return half === 'low'
    ? `(f64x2.promote_low_f32x4 ${v})`
    : `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v}))`;
}

/** A per-channel f64x2 at byte offset `$j` (plus 16 for the high half) of the array at `param`. */
function channel(param: string, half: 'low' | 'high'): string {
  return `(v128.load offset=${half === 'low' ? 0 : 16} (i32.add (local.get ${param}) (local.get $j)))`;
}

/**
 * A function looping rows x (C / 4) channel groups: `$j` is the byte offset of the group in the
 * float64 channel arrays (32 per group), `$x` (and the other `streams`) advance 16 bytes per group.
 * `body(half)` is run for each half of the group and returns the statements for it.
 */
function rowLoop(name: string, params: string[], streams: string[], locals: string[], load: string[], body: (half: 'low' | 'high') => string, store?: (low: string, high: string) => string): string {
  return `
  (func (export "${name}") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    (local $j i32) (local $groupBytes i32) ${locals.join(' ')}
    (local.set $groupBytes (i32.shl (local.get $c) (i32.const 3)))
    (block $done (loop $rows
      (br_if $done (i32.eqz (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $rowDone (loop $groups
        (br_if $rowDone (i32.ge_u (local.get $j) (local.get $groupBytes)))
        ${load.join('\n        ')}
        ${body('low')}
        ${body('high')}
        ${store ? store('$low', '$high') : ''}
        ${streams.map((s) => `(local.set ${s} (i32.add (local.get ${s}) (i32.const 16)))`).join('\n        ')}
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $groups)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $rows)))
  )`;
}

/** Adds an f64x2 value to the channel array `param` at the group's half. */
function accumulate(param: string, half: 'low' | 'high', value: string): string {
  const at = `(i32.add (local.get ${param}) (local.get $j))`;
  const offset = half === 'low' ? 0 : 16;
  return `(v128.store offset=${offset} ${at} (f64x2.add (v128.load offset=${offset} ${at}) ${value}))`;
}

/** The rounded f32x4 of two f64x2 locals, stored at `$out`. */
function storeRounded(out: string): (low: string, high: string) => string {
  return (low, high) => `(v128.store (local.get ${out}) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (f32x4.demote_f64x2_zero (local.get ${low})) (f32x4.demote_f64x2_zero (local.get ${high}))))`;
}

const loadX = '(local.set $v (v128.load (local.get $x)))';
const loadDy = '(local.set $g (v128.load (local.get $dy)))';
/** x - mean, then times 1/std: the normalised value, in float64. */
const xhat = (half: 'low' | 'high') => `(f64x2.mul (f64x2.sub ${promoted('$v', half)} ${channel('$mean', half)}) ${channel('$inv', half)})`;

export const BATCH_NORM_WAT = `(module
  (import "env" "memory" (memory 1))
  ;; sum[c] += x
  ${rowLoop('sums', ['$x', '$rows', '$c', '$sum'], ['$x'], ['(local $v v128)'], [loadX],
    (half) => accumulate('$sum', half, promoted('$v', half)))}
  ;; sum[c] += (x - mean)^2
  ${rowLoop('squaredDeviations', ['$x', '$rows', '$c', '$mean', '$sum'], ['$x'], ['(local $v v128) (local $d v128)'], [loadX],
    (half) => `(local.set $d (f64x2.sub ${promoted('$v', half)} ${channel('$mean', half)}))
        ${accumulate('$sum', half, '(f64x2.mul (local.get $d) (local.get $d))')}`)}
  ;; y = (x - mean) 1/std gamma + beta
  ${rowLoop('normalise', ['$x', '$y', '$rows', '$c', '$mean', '$inv', '$gamma', '$beta'], ['$x', '$y'], ['(local $v v128) (local $low v128) (local $high v128)'], [loadX],
    (half) => `(local.set $${half} (f64x2.add (f64x2.mul ${xhat(half)} ${channel('$gamma', half)}) ${channel('$beta', half)}))`,
    storeRounded('$y'))}
  ;; sumDy[c] += dy; sumDyXhat[c] += dy (x - mean) 1/std
  ${rowLoop('gradientSums', ['$dy', '$x', '$rows', '$c', '$mean', '$inv', '$sumDy', '$sumDyXhat'], ['$dy', '$x'], ['(local $v v128) (local $g v128)'], [loadX, loadDy],
    (half) => `${accumulate('$sumDy', half, promoted('$g', half))}
        ${accumulate('$sumDyXhat', half, `(f64x2.mul (f64x2.mul ${promoted('$g', half)} (f64x2.sub ${promoted('$v', half)} ${channel('$mean', half)})) ${channel('$inv', half)})`)}`)}
  ;; dx = coef (count dy - sumDy - xhat sumDyXhat), coef = gamma 1/std / count, count[c] = the row count
  ${rowLoop('inputGradient', ['$dy', '$x', '$dx', '$rows', '$c', '$mean', '$inv', '$sumDy', '$sumDyXhat', '$coef', '$count'], ['$dy', '$x', '$dx'], ['(local $v v128) (local $g v128) (local $low v128) (local $high v128)'], [loadX, loadDy],
    (half) => `(local.set $${half} (f64x2.mul ${channel('$coef', half)} (f64x2.sub (f64x2.sub (f64x2.mul ${channel('$count', half)} ${promoted('$g', half)}) ${channel('$sumDy', half)}) (f64x2.mul ${xhat(half)} ${channel('$sumDyXhat', half)}))))`,
    storeRounded('$dx'))}
)`;
