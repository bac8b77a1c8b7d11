/**
 * The max-pool gradient's scatter (wasm-maxpool-grad.ts) as WebAssembly text, four channels at a
 * time: NHWC with C a multiple of 4. `scripts/wasm-gemm-assemble.ts` assembles it into
 * `wasm-maxpool-grad-bytes.ts`.
 *
 * For each output position and group of 4 channels, the window is scanned in row-major order
 * keeping the best value and its byte offset per lane; a lane takes a value only when it is
 * strictly greater (f32x4.gt), so the first maximum wins and NaN or a window of -Infinity passes
 * nothing, the JavaScript loop's rule. Then each lane with a winner adds its dy there, in the
 * loop's order, so both give the same bits. dx must be zeroed by the caller. Pointers are bytes.
 */

/** Sets local `name` to `value`, then to the signed max (or min) of it and `bound`. */
const clamp = (name: string, value: string, bound: string, keep: 'max' | 'min') =>
  `(local.set ${name} ${value})
        (if (${keep === 'max' ? 'i32.lt_s' : 'i32.gt_s'} (local.get ${name}) ${bound}) (then (local.set ${name} ${bound})))`;

/** A loop running `body` while `counter` < `limit`, incrementing it by `step`. */
const whileBelow = (label: string, counter: string, start: string, limit: string, step: string, body: string) => `
      (local.set ${counter} ${start})
      (block $${label}Done (loop $${label}
        (br_if $${label}Done (i32.ge_s (local.get ${counter}) ${limit}))
        ${body}
        (local.set ${counter} (i32.add (local.get ${counter}) ${step}))
        (br $${label})))`;

/** dx[winner lane] += dy lane, for one lane of the group. */
const scatterLane = (lane: number) => `
          (local.set $w (i32x4.extract_lane ${lane} (local.get $win)))
          (if (i32.ge_s (local.get $w) (i32.const 0)) (then
            (local.set $w (i32.add (local.get $dx) (local.get $w)))
            (f32.store (local.get $w) (f32.add (f32.load (local.get $w)) (f32x4.extract_lane ${lane} (local.get $dyv))))))`;

const windowScan = whileBelow('rows', '$row', '(local.get $r0)', '(local.get $r1)', '(i32.const 1)', `
          (local.set $at (i32.add (i32.add (local.get $image) (i32.mul (local.get $row) (local.get $rowStride)))
            (i32.add (i32.mul (local.get $c0) (local.get $pixel)) (local.get $g))))
          ${whileBelow('cols', '$col', '(local.get $c0)', '(local.get $c1)', '(i32.const 1)', `
            (local.set $v (v128.load (i32.add (local.get $x) (local.get $at))))
            (local.set $mask (f32x4.gt (local.get $v) (local.get $best)))
            (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $mask)))
            (local.set $win (v128.bitselect (i32x4.add (i32x4.splat (local.get $at)) (v128.const i32x4 0 4 8 12)) (local.get $win) (local.get $mask)))
            (local.set $at (i32.add (local.get $at) (local.get $pixel)))`)}`);

const groups = whileBelow('groups', '$g', '(i32.const 0)', '(local.get $pixel)', '(i32.const 16)', `
          (local.set $best (f32x4.splat (f32.const -inf)))
          (local.set $win (i32x4.splat (i32.const -1)))
          ${windowScan}
          (local.set $dyv (v128.load (local.get $dyp)))
          ${[0, 1, 2, 3].map(scatterLane).join('')}
          (local.set $dyp (i32.add (local.get $dyp) (i32.const 16)))`);

const columns = whileBelow('outCols', '$ox', '(i32.const 0)', '(local.get $outW)', '(i32.const 1)', `
        (local.set $c0 (i32.sub (i32.mul (local.get $ox) (local.get $strideW)) (local.get $padLeft)))
        ${clamp('$c1', '(i32.add (local.get $c0) (local.get $filterW))', '(local.get $inW)', 'min')}
        ${clamp('$c0', '(local.get $c0)', '(i32.const 0)', 'max')}
        ${groups}`);

const rows = whileBelow('outRows', '$oy', '(i32.const 0)', '(local.get $outH)', '(i32.const 1)', `
      (local.set $r0 (i32.sub (i32.mul (local.get $oy) (local.get $strideH)) (local.get $padTop)))
      ${clamp('$r1', '(i32.add (local.get $r0) (local.get $filterH))', '(local.get $inH)', 'min')}
      ${clamp('$r0', '(local.get $r0)', '(i32.const 0)', 'max')}
      ${columns}`);

export const MAXPOOL_GRAD_WAT = `(module
  (import "env" "memory" (memory 1))
  (func (export "maxPoolGrad")
    (param $x i32) (param $dy i32) (param $dx i32) (param $batch i32) (param $inH i32) (param $inW i32) (param $c i32)
    (param $outH i32) (param $outW i32) (param $strideH i32) (param $strideW i32) (param $filterH i32) (param $filterW i32)
    (param $padTop i32) (param $padLeft i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $g i32) (local $r0 i32) (local $r1 i32) (local $c0 i32) (local $c1 i32)
    (local $row i32) (local $col i32) (local $pixel i32) (local $rowStride i32) (local $image i32) (local $at i32) (local $dyp i32) (local $w i32)
    (local $best v128) (local $win v128) (local $v v128) (local $mask v128) (local $dyv v128)
    (local.set $pixel (i32.shl (local.get $c) (i32.const 2)))
    (local.set $rowStride (i32.mul (local.get $inW) (local.get $pixel)))
    (local.set $image (i32.const 0))
    (local.set $dyp (local.get $dy))
    ${whileBelow('images', '$b', '(i32.const 0)', '(local.get $batch)', '(i32.const 1)', `${rows}
      (local.set $image (i32.add (local.get $image) (i32.mul (local.get $inH) (local.get $rowStride))))`)}
  )
)`;
