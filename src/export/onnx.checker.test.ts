import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allArchitecturePresets as architecturePresets } from '../models/presets';
import { seededStudent } from './export.testkit';
import { exportOnnx, type OnnxExportOptions } from './onnx';

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
});
