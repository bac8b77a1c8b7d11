import { OnnxExportError } from '../export/errors';
import { exportOnnx, type OnnxExportOptions } from '../export/onnx';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import { slimNetwork, type SlimResult } from './slim';
import { sparseOnnx } from './sparseOnnx';
import type { PrunedOnnxForm } from './types';

/**
 * The smaller ONNX files of a pruned network beside its dense export: the slimmed network (zeroed
 * conv channels removed, slim.ts) and the dense export with mostly-zero weights stored sparse
 * (sparseOnnx.ts). Each exists only where it applies: slimmed when at least one conv lost channels,
 * sparse when at least one weight tensor is smaller sparse. Both are found from the weights.
 */


export interface PrunedOnnxFiles {
  dense: Uint8Array;
  slimmed: { onnx: Uint8Array; slim: SlimResult } | null;
  sparse: { onnx: Uint8Array; sparseTensors: string[] } | null;
}

export function prunedOnnxFiles(spec: ArchitectureSpec, weights: LayerWeights[], options: OnnxExportOptions = {}): PrunedOnnxFiles {
  const dense = exportOnnx(spec, weights, options);
  const slim = slimNetwork(spec, weights);
  const sparse = sparseOnnx(dense);
  return {
    dense,
    slimmed: slim.slimmed.length > 0 ? { onnx: exportOnnx(slim.spec, slim.weights, options), slim } : null,
    sparse: sparse.sparseTensors.length > 0 ? sparse : null,
  };
}

/**
 * Results fields of a pruned model: the dense ONNX file's bytes and the smallest pruned file's
 * (with its form), for the default export settings (batch 1, opset 11). Empty when the network
 * cannot be exported to ONNX (the export panel says why).
 */
export interface PrunedFileSizes { onnxBytes?: number; prunedOnnxBytes?: number; prunedOnnxForm?: PrunedOnnxForm }

export function prunedFileSizes(spec: ArchitectureSpec, weights: LayerWeights[]): PrunedFileSizes {
  let files: PrunedOnnxFiles;
  try {
    files = prunedOnnxFiles(spec, weights);
  } catch (error) {
    if (error instanceof OnnxExportError) return {};
    throw error;
  }
  const candidates = ([['slimmed', files.slimmed], ['sparse', files.sparse]] as const)
    .filter((entry) => entry[1] !== null && entry[1].onnx.length < files.dense.length)
    .map(([form, file]) => ({ form, bytes: (file as { onnx: Uint8Array }).onnx.length }))
    .sort((a, b) => a.bytes - b.bytes);
  const best = candidates[0];
  return { onnxBytes: files.dense.length, ...(best ? { prunedOnnxBytes: best.bytes, prunedOnnxForm: best.form } : {}) };
}
