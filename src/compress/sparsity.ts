import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { prunableLayers } from './pruning';
import type { PruningMethod } from './types';

/**
 * What pruning left, measured on the trained weights (not taken from the settings).
 *
 * sparsity: the fraction of exact zeros among the kernels the method prunes (prunableLayers).
 * nonzeroParams: the non-zero values among all parameters (every weight tensor, batch-norm
 *   statistics included; the same tensors `params` counts).
 * sparseBytes: the size of a bitmap-sparse encoding of all parameters: per tensor, one bit per entry
 *   (ceil(n / 8) bytes, which entries are non-zero) plus the non-zero values as float32 (4 bytes each).
 *   No header or shapes: compare it with `bytes` (4 bytes per parameter, dense float32). ONNX and
 *   tfjs exports store dense tensors, zeros included, so they do not shrink on disk by themselves.
 */
export interface SparsityReport {
  sparsity: number;
  nonzeroParams: number;
  sparseBytes: number;
}

export function measureSparsity(spec: ArchitectureSpec, weights: readonly LayerWeights[], method: PruningMethod): SparsityReport {
  const pruned = new Set(prunableLayers(spec, method).map((layer) => layer.layerId));
  let kernelCount = 0;
  let kernelZeros = 0;
  let nonzeroParams = 0;
  let sparseBytes = 0;
  for (const layer of weights) {
    layer.tensors.forEach(({ values }, index) => {
      let nonzero = 0;
      for (const value of values) if (value !== 0) nonzero += 1;
      nonzeroParams += nonzero;
      sparseBytes += Math.ceil(values.length / 8) + 4 * nonzero;
      if (index === 0 && pruned.has(layer.layerId)) {
        kernelCount += values.length;
        kernelZeros += values.length - nonzero;
      }
    });
  }
  return { sparsity: kernelCount === 0 ? 0 : kernelZeros / kernelCount, nonzeroParams, sparseBytes };
}
