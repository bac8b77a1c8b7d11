/**
 * Training-mode batch norm's per-element passes as WebAssembly text (NHWC: x is [rows, C], C a
 * multiple of 4). `scripts/wasm-gemm-assemble.ts` assembles it into `wasm-batch-norm-bytes.ts`.
 *
 * The arithmetic is that of wasm-batch-norm.ts's JavaScript, value for value, so both paths give
 * the same bits and the tests compare them exactly:
 * - The sums (mean, variance, the gradient's two sums) are in float64: float32 inputs are
 *   promoted (f64x2.promote_low_f32x4 on each half of an f32x4), each channel adds its rows in
 *   order; their per-channel operands (mean, 1/std) and sums are float64 arrays of C values.
 * - y and dx are float32 arithmetic on per-channel float32 operands that the caller rounds once
 *   from float64 (scale = 1/std gamma, the gradient's a, k and c): each value is a few float32
 *   operations, as PyTorch computes them. In float64 these two passes were most of the kernels'
 *   time (0.18 and 0.32 ms for a [64, 28, 28, 8] batch; the promotions and f64x2's two lanes).
 * Every function takes byte offsets into the imported memory, the row count and C.
 */

/** The f64x2 of lanes 0-1 (`low`) or 2-3 (`high`) of an f32x4 local. */
function promoted(local: string, half: 'low' | 'high'): string {
  const v = `(local.get ${local})`;
  return half === 'low'
    ? `(f64x2.promote_low_f32x4 ${v})`
    : `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${v} ${v}))`;
}

const loadX = '(local.set $v (v128.load (local.get $x)))';
const loadDy = '(local.set $g (v128.load (local.get $dy)))';

/**
 * The current channel group's f32x4 (byte `$j` of the row) of a row stream or of a per-channel
 * float32 array: both are C floats long, so the same offset serves either.
 */
const group = (pointer: string) => `(v128.load (i32.add (local.get ${pointer}) (local.get $j)))`;

/**
 * A float32 pass writing `$out` (C floats a row) from the row's `streams` and per-channel
 * `operands`: `value` is the f32x4 of one channel group, in terms of group().
 */
function elementPass(name: string, streams: string[], out: string, operands: string[], value: string): string {
  const pointers = [...streams, out];
  return `(func (export "${name}") ${[...pointers, '$rows', '$c', ...operands].map((p) => `(param ${p} i32)`).join(' ')}
    (local $j i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $c) (i32.const 2)))
    (if (i32.eqz (local.get $rowBytes)) (then (return)))
    (block $done (loop $rows
      (br_if $done (i32.eqz (local.get $rows)))
      (local.set $j (i32.const 0))
      (loop $groups
        (v128.store (i32.add (local.get ${out}) (local.get $j)) ${value})
        (br_if $groups (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 16))) (local.get $rowBytes))))
      ${pointers.map((p) => `(local.set ${p} (i32.add (local.get ${p}) (local.get $rowBytes)))`).join(' ')}
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $rows)))
  )`;
}

/**
 * A per-channel sum pass with its sums in registers: a column block of `groups` channel groups
 * (4 channels each, two f64x2 halves) over every row, its accumulators loaded before and stored
 * after. Summing into the channel arrays in memory instead made each row wait for the previous
 * row's store (~11 cycles a row: 0.174 ms for the 401K values of a [64, 28, 28, 8] batch). Each
 * channel still adds its rows in order, from the array's value, so the bits do not change.
 * `streams` advance $rowBytes a row; `read` are per-channel float64 arrays (loaded each row: they
 * are not in the chain); `terms(offset, half)` gives one f64x2 to add per sum array, for the
 * group at byte `offset` of the channel arrays.
 */
interface SumPass { name: string; streams: string[]; read: string[]; sums: string[]; load: string[]; terms: (offset: number, half: 'low' | 'high') => string[] }

function sumBlock(pass: SumPass, groups: number): string {
  const acc = (array: number, group: number, half: 'low' | 'high') => `$a${array}g${group}${half}`;
  const each = (f: (array: number, group: number, half: 'low' | 'high') => string): string =>
    pass.sums.flatMap((_, array) => Array.from({ length: groups }, (_, group) => (['low', 'high'] as const).map((half) => f(array, group, half)))).flat().join(' ');
  const offset = (group: number, half: 'low' | 'high') => group * 32 + (half === 'high' ? 16 : 0);
  const body = Array.from({ length: groups }, (_, group) => [
    ...pass.load.map((load) => load.replace('(local.get', `offset=${group * 16} (local.get`)),
    ...(['low', 'high'] as const).flatMap((half) => pass.terms(group * 32, half).map((term, array) =>
      `(local.set ${acc(array, group, half)} (f64x2.add (local.get ${acc(array, group, half)}) ${term}))`)),
  ].join('\n      ')).join('\n      ');
  return `(func $${pass.name}${groups} ${[...pass.streams, '$rows', '$rowBytes', ...pass.read, ...pass.sums].map((p) => `(param ${p} i32)`).join(' ')}
    (local $v v128) (local $g v128) (local $d v128) ${each((array, group, half) => `(local ${acc(array, group, half)} v128)`)}
    ${each((array, group, half) => `(local.set ${acc(array, group, half)} (v128.load offset=${offset(group, half)} (local.get ${pass.sums[array]})))`)}
    (block $done (loop $rows
      (br_if $done (i32.eqz (local.get $rows)))
      ${body}
      ${pass.streams.map((s) => `(local.set ${s} (i32.add (local.get ${s}) (local.get $rowBytes)))`).join(' ')}
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $rows)))
    ${each((array, group, half) => `(v128.store offset=${offset(group, half)} (local.get ${pass.sums[array]}) (local.get ${acc(array, group, half)}))`)})`;
}

/**
 * The exported pass (streams, rows, c, read arrays, sum arrays): column blocks of `widest` groups
 * while they last (its accumulators and temporaries within x64's 16 vector registers), then one
 * block of the groups left.
 */
function sumPass(pass: SumPass, widest: number): string {
  const params = [...pass.streams, '$rows', '$c', ...pass.read, ...pass.sums];
  const blocks = Array.from({ length: widest }, (_, i) => sumBlock(pass, i + 1));
  const call = (groups: number) => `(call $${pass.name}${groups} ${[...pass.streams, '$rows', '$rowBytes', ...pass.read, ...pass.sums].map((p) => `(local.get ${p})`).join(' ')})`;
  return `${blocks.join('\n  ')}
  (func (export "${pass.name}") ${params.map((p) => `(param ${p} i32)`).join(' ')}
    (local $rowBytes i32) (local $left i32) (local $step i32)
    (local.set $rowBytes (i32.shl (local.get $c) (i32.const 2)))
    (local.set $left (i32.shr_u (local.get $c) (i32.const 2)))
    (block $done (loop $blocks
      (br_if $done (i32.eqz (local.get $left)))
      (local.set $step (select (i32.const ${widest}) (local.get $left) (i32.ge_u (local.get $left) (i32.const ${widest}))))
      ${Array.from({ length: widest }, (_, i) => `(if (i32.eq (local.get $step) (i32.const ${i + 1})) (then ${call(i + 1)}))`).join('\n      ')}
      ${pass.streams.map((s) => `(local.set ${s} (i32.add (local.get ${s}) (i32.shl (local.get $step) (i32.const 4))))`).join(' ')}
      ${[...pass.read, ...pass.sums].map((a) => `(local.set ${a} (i32.add (local.get ${a}) (i32.shl (local.get $step) (i32.const 5))))`).join(' ')}
      (local.set $left (i32.sub (local.get $left) (local.get $step)))
      (br $blocks)))
  )`;
}

/** A per-channel f64x2 of a read-only array at a block's group offset. */
const at = (param: string, offset: number, half: 'low' | 'high') => `(v128.load offset=${offset + (half === 'high' ? 16 : 0)} (local.get ${param}))`;

export const BATCH_NORM_WAT = `(module
  (import "env" "memory" (memory 1))
  ;; sum[c] += x
  ${sumPass({ name: 'sums', streams: ['$x'], read: [], sums: ['$sum'], load: [loadX],
    terms: (_, half) => [promoted('$v', half)] }, 4)}
  ;; sum[c] += (x - mean)^2
  ${sumPass({ name: 'squaredDeviations', streams: ['$x'], read: ['$mean'], sums: ['$sum'], load: [loadX],
    terms: (offset, half) => [`(f64x2.mul (local.tee $d (f64x2.sub ${promoted('$v', half)} ${at('$mean', offset, half)})) (local.get $d))`] }, 4)}
  ;; y = ((x - mean) scale) + beta, float32
  ${elementPass('normalise', ['$x'], '$y', ['$mean', '$scale', '$beta'],
    `(f32x4.add (f32x4.mul (f32x4.sub ${group('$x')} ${group('$mean')}) ${group('$scale')}) ${group('$beta')})`)}
  ;; sumDy[c] += dy; sumDyXhat[c] += dy (x - mean) 1/std
  ${sumPass({ name: 'gradientSums', streams: ['$dy', '$x'], read: ['$mean', '$inv'], sums: ['$sumDy', '$sumDyXhat'], load: [loadX, loadDy],
    terms: (offset, half) => [promoted('$g', half), `(f64x2.mul (f64x2.mul ${promoted('$g', half)} (f64x2.sub ${promoted('$v', half)} ${at('$mean', offset, half)})) ${at('$inv', offset, half)})`] }, 2)}
  ;; dx = ((a dy) - (k (x - mean))) - c, float32: a = gamma/std, k = gamma/std^2 sumDyXhat/count, c = gamma/std sumDy/count
  ${elementPass('inputGradient', ['$dy', '$x'], '$dx', ['$mean', '$a', '$k', '$cc'],
    `(f32x4.sub (f32x4.sub (f32x4.mul ${group('$a')} ${group('$dy')}) (f32x4.mul ${group('$k')} (f32x4.sub ${group('$x')} ${group('$mean')}))) ${group('$cc')})`)}
)`;
