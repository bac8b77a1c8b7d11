import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allArchitecturePresets as architecturePresets } from '../models/presets';
import { seededStudent } from './export.testkit';
import { exportOnnx, type OnnxExportOptions } from './onnx';
import { prunedOnnxFiles } from '../compress/prunedOnnx';
import type { LayerWeights } from '../models/spec';

/**
 * Runs .ci/check_onnx.py (onnx.checker with full shape inference, opset 11 / IR 6, ATC-safe
 * operators only, static shapes) on every preset (the CIFAR-sized DAGs included). Needs Debian's python3-onnx, which CI installs.
 */

const PYTHON = '/usr/bin/python3';
const CHECKER = path.resolve(import.meta.dirname, '../../.ci/check_onnx.py');
const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
if (!hasOnnx) {
  console.warn(`SKIPPED: ${PYTHON} has no onnx module (apt-get install python3-onnx); the ONNX checker tests did not run.`);
}

interface CheckReport { file: string; ok: boolean; problems: string[]; ops: string[]; opset: number[]; ir_version: number }

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(path.join(tmpdir(), 'onnx-check-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeExport(name: string, presetId: string, options: OnnxExportOptions = {}): string {
  const spec = architecturePresets[presetId];
  const { model, weights } = seededStudent(spec, 2);
  model.dispose();
  const file = path.join(dir, `${name}.onnx`);
  writeFileSync(file, exportOnnx(spec, weights, options));
  return file;
}

function runChecker(files: string[], extraArgs: string[] = []): { status: number | null; reports: CheckReport[] } {
  const result = spawnSync(PYTHON, [CHECKER, ...extraArgs, ...files], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`check_onnx.py failed: ${result.stderr}`);
  return { status: result.status, reports: JSON.parse(result.stdout) as CheckReport[] };
}

describe.skipIf(!hasOnnx)('onnx.checker and the ATC rules (.ci/check_onnx.py)', () => {
  it('passes every preset at opset 11 / IR 6, also with Softmax, batch 8 and MatMul + Add', () => {
    const files = Object.keys(architecturePresets).map((id) => writeExport(id, id));
    files.push(writeExport('softmax-batch8', 'cnn-student', { softmaxOutput: true, batchSize: 8 }));
    files.push(writeExport('matmul', 'hinton-student', { denseForm: 'matmul-add' }));
    const { status, reports } = runChecker(files);
    for (const report of reports) expect(report.problems, report.file).toEqual([]);
    expect(status).toBe(0);
    expect(reports.find((r) => r.file.endsWith('cnn-student.onnx'))?.ops).toEqual(
      ['BatchNormalization', 'Conv', 'Flatten', 'Gemm', 'MaxPool', 'Relu'],
    );
  });

  it('fails a model whose opset or IR version differs from what is asked', () => {
    const file = writeExport('opset13', 'article-student', { opset: 13 });
    const { status, reports } = runChecker([file]);
    expect(status).toBe(1);
    expect(reports[0].problems.join('\n')).toMatch(/opset \[13\], expected \[11\]/);
    expect(reports[0].problems.join('\n')).toMatch(/IR version 7, expected 6/);
    expect(runChecker([file], ['--opset', '13', '--ir', '7']).status).toBe(0);
  });

  it('the slimmed export of a channel-pruned CNN student passes; the sparse export of a magnitude-pruned MLP passes the structural check only', () => {
    // Zeroes the entries `zero` picks in the first tensors (kernel and bias, or gamma and beta) of the layers named.
    const zeroed = (weights: LayerWeights[], ids: string[], zero: (index: number, channels: number) => boolean, lastTensor = 1): LayerWeights[] =>
      weights.map((entry) => !ids.includes(entry.layerId) ? entry : {
        layerId: entry.layerId,
        tensors: entry.tensors.map((tensor, t) => (t > lastTensor ? tensor : {
          shape: tensor.shape, values: tensor.values.map((v, i) => (zero(i, tensor.shape[tensor.shape.length - 1]) ? 0 : v)),
        })),
      });
    const cnn = architecturePresets['cnn-student'];
    const cnnSeeded = seededStudent(cnn, 3);
    cnnSeeded.model.dispose();
    const channelPruned = zeroed(cnnSeeded.weights, ['conv2', 'bn2'], (i, channels) => i % channels < 4);
    const slimmed = prunedOnnxFiles(cnn, channelPruned).slimmed;
    expect(slimmed?.slim.slimmed).toEqual([{ layerId: 'conv2', channelsBefore: 8, channelsAfter: 4 }]);
    const mlp = architecturePresets['hinton-student'];
    const mlpSeeded = seededStudent(mlp, 3);
    mlpSeeded.model.dispose();
    const sparse = prunedOnnxFiles(mlp, zeroed(mlpSeeded.weights, ['fc1', 'fc2'], (i) => i % 10 !== 0, 0)).sparse;
    expect(sparse?.sparseTensors).toEqual(['fc1.weight', 'fc2.weight']);
    const slimFile = path.join(dir, 'slimmed.onnx');
    writeFileSync(slimFile, slimmed!.onnx);
    const { status, reports } = runChecker([slimFile]);
    expect(reports[0].problems).toEqual([]);
    expect(status).toBe(0);

    // The sparse file is structurally valid ONNX (check_model), but ONNX's strict shape inference types a sparse
    // initialiser as sparse_tensor(float), which Gemm does not take: ONNX Runtime densifies it at load, stricter tools may not.
    const sparseFile = path.join(dir, 'sparse.onnx');
    writeFileSync(sparseFile, sparse!.onnx);
    const structural = spawnSync(PYTHON, ['-c', 'import onnx, sys; onnx.checker.check_model(onnx.load(sys.argv[1]))', sparseFile], { encoding: 'utf8' });
    expect(structural.status, structural.stderr).toBe(0);
    expect(runChecker([sparseFile]).reports[0].problems).toEqual([expect.stringMatching(/Gemm.*unsupported type: sparse_tensor\(float\)/)]);
  });
});
