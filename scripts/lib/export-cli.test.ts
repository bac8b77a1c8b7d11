import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededStudent } from '../../src/export/export.testkit';
import { studentOf } from '../../src/export/exportJob';
import { buildPresetExperiment } from '../../src/graph/presetExperiments';
import type { ExperimentFile } from '../../src/graph/schema';
import type { TrainedModel } from '../../src/protocol';
import { ExportCliError, parseExportFlags, writeExports } from './export-cli';

let dir: string;

/** The experiment's student as the runner would send it after training, with seeded weights. */
function trainedStudent(experiment: ExperimentFile): TrainedModel {
  const { modelId, spec, datasetId } = studentOf(experiment);
  const { model, weights } = seededStudent(spec, 9);
  model.dispose();
  return { modelId, label: 'Student', role: 'student', experimentName: experiment.name, spec, datasetId, weights };
}
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'export-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('export flags of the headless runner', () => {
  it('parses --onnx and --bundle in both spellings and refuses a missing file name', () => {
    expect(parseExportFlags(['--epochs', '1', '--onnx', 'a.onnx', '--bundle=b.zip'])).toEqual({ onnx: 'a.onnx', bundle: 'b.zip' });
    expect(parseExportFlags([])).toEqual({ onnx: null, bundle: null });
    expect(() => parseExportFlags(['--onnx', '--bundle', 'x.zip'])).toThrow(ExportCliError);
  });

  it('writes a verified ONNX file and bundle for the article preset', async () => {
    const experiment = buildPresetExperiment('article-mnist.json');
    const model = trainedStudent(experiment);
    const onnx = path.join(dir, 'out', 'student.onnx');
    const bundle = path.join(dir, 'out', 'bundle.zip');
    const lines: string[] = [];
    const result = await writeExports({ experiment, model, results: null, flags: { onnx, bundle }, log: (l) => lines.push(l) });
    expect(result?.report.ok).toBe(true);
    expect(result?.report.samples).toBe(128);
    expect(result?.written).toEqual([onnx, bundle]);
    expect(readFileSync(onnx).length).toBe(result?.card.onnxBytes);
    const names = Object.keys(unzipSync(new Uint8Array(readFileSync(bundle))));
    expect(names).toContain('article-student_atlas200dk/model/student.onnx');
    expect(lines[0]).toMatch(/class agreement 100.0 %/);
    expect(result?.card.modelId).toBe('student');
  });

  it('writes nothing when ONNX Runtime disagrees with tfjs', async () => {
    const experiment = buildPresetExperiment('article-mnist.json');
    const model = trainedStudent(experiment);
    const onnx = path.join(dir, 'bad.onnx');
    // A runtime whose logits are off by 1e-3 stands for a broken export.
    const skewed = async (_bytes: Uint8Array, inputs: { data: Float32Array }[]) =>
      inputs.map(() => Float32Array.from({ length: 10 }, () => 1e-3));
    await expect(writeExports({ experiment, model, results: null, flags: { onnx, bundle: null }, runOnnx: skewed, log: () => {} }))
      .rejects.toThrow(/disagrees with the tfjs model/);
    expect(existsSync(onnx)).toBe(false);
  });

  it('for a magnitude-pruned student also writes the verified sparse ONNX beside the dense one', async () => {
    const experiment = buildPresetExperiment('article-mnist.json');
    const model = trainedStudent(experiment);
    // fc1's kernel 90 % zeros, as magnitude pruning leaves it: a tensor smaller stored sparse.
    const weights = model.weights.map((entry) => entry.layerId !== 'fc1' ? entry : {
      layerId: 'fc1', tensors: entry.tensors.map((tensor, t) => (t > 0 ? tensor : { shape: tensor.shape, values: tensor.values.map((v, i) => (i % 10 === 0 ? v : 0)) })),
    });
    const onnx = path.join(dir, 'pruned', 'student.onnx');
    const result = await writeExports({ experiment, model: { ...model, weights }, results: null, flags: { onnx, bundle: null }, log: () => {} });
    const sparse = path.join(dir, 'pruned', 'student_sparse.onnx');
    expect(result?.written).toEqual([onnx, sparse]);
    expect(readFileSync(sparse).length).toBeLessThan(readFileSync(onnx).length);
  });
});
