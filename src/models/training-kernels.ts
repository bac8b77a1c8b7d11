import { installFastConvFilterGradient } from './conv-filter-gradient';
import { installFastWasmGather } from './wasm-gather';
import { installFastWasmMatMul } from './wasm-matmul';
import { installFastWasmTile } from './wasm-tile';
import { installWasmConvInputGradient } from './wasm-conv-gradients';
import { installWasmBatchNorm } from './wasm-batch-norm';
import { installFastWasmMaxPoolGrad } from './wasm-maxpool-grad';
import { installWasmDepthwiseGradients } from './wasm-depthwise-gradients';
import { installWasmAdam } from './wasm-adam';

/**
 * The kernel replacements the studio trains with, per backend: cpu gets a much faster conv filter
 * gradient; wasm gets the filter gradient it lacks and an input gradient (both im2col matmuls in
 * XNNPACK), BatchMatMul in the studio's own wasm SIMD GEMM (wasm-gemm.ts), a block-copy Tile (batch-norm gradients) and a
 * block-copy Gather (CRD's memory lookups), training-mode batch norm as one forward and one
 * gradient kernel, a scatter max-pool gradient (2.5x less CPU than tfjs's, and correct where
 * tfjs 4.22's drops the gradient of a window whose maximum is not positive) and the
 * depthwise-conv gradients it has none of. Adam's update there is one fused kernel per variable (wasm-adam.ts).
 * Call once the backend is ready (the worker and the Node tools both do).
 */
export function installTrainingKernels(backend: string): void {
  if (backend === 'cpu' || backend === 'wasm') installFastConvFilterGradient(backend);
  if (backend === 'wasm') {
    installFastWasmMatMul();
    installFastWasmTile();
    installFastWasmGather();
    installWasmConvInputGradient();
    installWasmBatchNorm();
    installFastWasmMaxPoolGrad();
    installWasmDepthwiseGradients();
    installWasmAdam();
  }
}
