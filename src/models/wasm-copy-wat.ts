/**
 * Strided block copies as WebAssembly text. `scripts/wasm-gemm-assemble.ts` assembles it into
 * `wasm-copy-bytes.ts`. Pointers and strides are bytes.
 *
 * copyRows(src, dst, blocks, rows, rowBytes, srcRowStride, dstRowStride, srcBlockStride, dstBlockStride):
 * for b < blocks, r < rows: rowBytes from src + b srcBlockStride + r srcRowStride to
 * dst + b dstBlockStride + r dstRowStride (memory.copy, so overlapping rows behave as memmove).
 * Laying a batch of images out in a padded frame is thousands of short rows (1,920 of 28 floats
 * for a 28 x 28 batch of 64); one call here replaces a JS copyWithin per row, ~0.1 us each.
 *
 * zeroBytes(dst, bytes): memory.fill with zeros. TypedArray.fill over the threaded build's shared
 * memory took Chromium 54 us for 138K floats (a frame) against 10 us over an unshared buffer.
 */
export const COPY_WAT = `(module
(import "env" "memory" (memory 1))
(func (export "copyRows") (param $src i32) (param $dst i32) (param $blocks i32) (param $rows i32) (param $rowBytes i32)
  (param $srcRowStride i32) (param $dstRowStride i32) (param $srcBlockStride i32) (param $dstBlockStride i32)
  (local $block i32) (local $row i32) (local $from i32) (local $to i32)
  (block $blocks_done (loop $blocks
    (br_if $blocks_done (i32.ge_u (local.get $block) (local.get $blocks)))
    (local.set $from (local.get $src))
    (local.set $to (local.get $dst))
    (local.set $row (i32.const 0))
    (block $rows_done (loop $rows
      (br_if $rows_done (i32.ge_u (local.get $row) (local.get $rows)))
      (memory.copy (local.get $to) (local.get $from) (local.get $rowBytes))
      (local.set $from (i32.add (local.get $from) (local.get $srcRowStride)))
      (local.set $to (i32.add (local.get $to) (local.get $dstRowStride)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rows)))
    (local.set $src (i32.add (local.get $src) (local.get $srcBlockStride)))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstBlockStride)))
    (local.set $block (i32.add (local.get $block) (i32.const 1)))
    (br $blocks))))
(func (export "zeroBytes") (param $dst i32) (param $bytes i32)
  (memory.fill (local.get $dst) (i32.const 0) (local.get $bytes)))
)
`;
