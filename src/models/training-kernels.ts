import { installFastConvFilterGradient } from './conv-filter-gradient';
import { installFastWasmGather } from './wasm-gather';
import { installFastWasmMatMul } from './wasm-matmul';
import { installFastWasmTile } from './wasm-tile';
import { installWasmConvInputGradient } from './wasm-conv-gradients';
import { installWasmBatchNorm } from './wasm-batch-norm';
import { installFastWasmMaxPoolGrad } from './wasm-maxpool-grad';
import { installWasmDepthwiseGradients } from './wasm-depthwise-gradients';
import { installSharingWasmIdentity } from './wasm-identity';
import { installWasmAdam } from './wasm-adam';
import { installWasmBiasKernels } from './wasm-bias';
import { installWasmTranspose } from './wasm-transpose';
import { installWasmReluGrad } from './wasm-relu-grad';

/**
 * The kernel replacements the studio trains with, per backend: cpu gets a much faster conv filter
 * gradient. wasm gets the conv gradients it lacks or runs slowly (stride 1 as a forward convolution
 * and shifted GEMMs, others as im2col matmuls: wasm-conv-gradients.ts), BatchMatMul in the studio's own
 * wasm SIMD GEMM (wasm-gemm.ts), training-mode batch norm as one forward and one gradient kernel
 * (SIMD passes), a SIMD scatter max-pool gradient (also correct where tfjs 4.22's drops the
 * gradient of a window whose maximum is not positive), the depthwise-conv gradients it has none
 * of, Adam's update as one fused kernel per variable (wasm-adam.ts), an Identity that shares data
 * instead of copying it (and tfjs's clone of every tensor a gradient saves made without running it), a block-copy Tile and a
 * block-copy Gather (CRD's memory lookups), SIMD passes for a bias's add and its gradient's sum,
 * a SIMD swap of the last two axes (Transpose) and ReLU's gradient as one kernel.
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
    installSharingWasmIdentity();
    installWasmAdam();
    installWasmBiasKernels();
    installWasmTranspose();
    installWasmReluGrad();
  }
}
