import type { OnnxExportOptions } from '../export/onnx';
import { compareLogits, VERIFY_TOLERANCE, type OnnxInput, type OnnxRunner } from '../export/verify';
import type { ArchitectureSpec, LayerWeights } from '../models/spec';
import type { VerificationReport } from '../protocol';
import { prunedOnnxFiles } from './prunedOnnx';
import type { KeptConv, SlimmedConv } from './slim';

/**
 * The export job's smaller files of a pruned student, each checked with ONNX Runtime against the
 * tfjs logits of the (masked) student on the same images, like the dense file. The slimmed spec
 * and weights stay here for the Atlas bundle; the page gets the files, reports and what was slimmed.
 */

export interface PrunedDownloads {
  /** The dense ONNX's bytes, to show beside the smaller files. */
  denseBytes: number;
  slimmed: { onnx: Uint8Array; report: VerificationReport; convs: SlimmedConv[]; kept: KeptConv[] } | null;
  sparse: { onnx: Uint8Array; report: VerificationReport; sparseTensors: string[] } | null;
}

export interface PrunedExport {
  downloads: PrunedDownloads;
  /** The slimmed network, when its ONNX agreed with tfjs (what the Atlas bundle converts). */
  slimNetwork: { spec: ArchitectureSpec; weights: LayerWeights[] } | null;
}

export async function exportAndVerifyPruned(
  spec: ArchitectureSpec, weights: LayerWeights[], options: OnnxExportOptions,
  expected: Float32Array, batches: OnnxInput[], classes: number, runOnnx: OnnxRunner,
): Promise<PrunedExport | null> {
  const files = prunedOnnxFiles(spec, weights, options);
  if (files.slimmed === null && files.sparse === null) return null;
  const verify = async (onnx: Uint8Array): Promise<VerificationReport> => {
    const actual = await runOnnx(onnx, batches);
    const merged = new Float32Array(expected.length);
    actual.forEach((logits, i) => merged.set(logits, i * logits.length));
    return compareLogits([expected], [merged], classes, VERIFY_TOLERANCE);
  };
  const slimmed = files.slimmed === null ? null : {
    onnx: files.slimmed.onnx, report: await verify(files.slimmed.onnx), convs: files.slimmed.slim.slimmed, kept: files.slimmed.slim.kept,
  };
  const sparse = files.sparse === null ? null : { ...files.sparse, report: await verify(files.sparse.onnx) };
  return {
    downloads: { denseBytes: files.dense.length, slimmed, sparse },
    slimNetwork: slimmed?.report.ok && files.slimmed ? { spec: files.slimmed.slim.spec, weights: files.slimmed.slim.weights } : null,
  };
}
