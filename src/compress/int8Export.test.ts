import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { INT8_QDQ_FILE, int8ReadmeSection } from '../export/bundleInt8';
import { nodeOnnxRunner } from '../export/export.testkit';
import { runExportJob } from '../export/exportJob';
import { summarizeOnnx } from '../export/onnx';
import { getLayerWeights } from '../models/builder';
import { calibrate } from './ptq';
import { loadMnist, STUDENT, trainStudent } from './quant.testkit';

/**
 * The export job with INT8 activation parameters (here from calibration of a 150-step student;
 * a QAT run sends its own): QDQ ONNX verified with onnxruntime-node, and added to the Atlas bundle.
 */
describe('INT8 export job and Atlas bundle', () => {
  it('exports, verifies and bundles the QDQ model next to the float one', async () => {
    const data = await loadMnist(64, 1000);
    const model = await trainStudent(data, 150);
    const activations = Object.fromEntries(await calibrate(model, STUDENT, data.train, data.info, 200));
    const weights = getLayerWeights(model, STUDENT);
    model.dispose();
    const before = tf.memory().numTensors;
    const result = await runExportJob({
      modelId: 'student', spec: STUDENT, weights, datasetId: 'mnist', format: 'atc', options: { batchSize: 1 }, verifyImages: 32,
      experimentName: 'unit', results: null, includeTfjs: false, int8Activations: activations,
    }, { read: nodeAssetReader(), runOnnx: nodeOnnxRunner, createdAt: new Date('2026-01-01T00:00:00Z') });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.report.ok).toBe(true);
    const int8 = result.int8;
    if (!int8) throw new Error('no INT8 export');
    console.log(`INT8 export job: max |diff| ${int8.report.maxAbsDiff.toExponential(2)}, agreement ${int8.report.classAgreement} on ${int8.report.samples} images`);
    expect(int8.report.samples).toBe(32);
    expect(int8.report.classAgreement).toBeGreaterThanOrEqual(0.95);
    expect(int8.report.maxAbsDiff).toBeLessThan(0.1);
    expect(summarizeOnnx(int8.onnx).ops).toContain('QuantizeLinear');
    const files = unzipSync(result.bundle as Uint8Array);
    const folder = result.bundleFolder as string;
    expect(Array.from(files[`${folder}/${INT8_QDQ_FILE}`])).toEqual(Array.from(int8.onnx));
    const readme = strFromU8(files[`${folder}/README.md`]);
    expect(readme).toContain('INT8: which file takes which path');
    expect(readme).toContain('Not verified');
    const manifest = JSON.parse(strFromU8(files[`${folder}/manifest.json`])) as { files: Record<string, unknown> };
    expect(Object.keys(manifest.files)).toContain(INT8_QDQ_FILE);
    // Without results the README cannot say how the student became INT8, and claims neither method.
    expect(readme).toContain('quantised to INT8 in the studio');
    expect(readme).not.toMatch(/QAT|PTQ/);
  }, 240_000);

  it("the bundle README names the student's INT8 method: QAT ranges or PTQ calibration", () => {
    expect(int8ReadmeSection('qat')).toContain("the QAT student's float weights");
    expect(int8ReadmeSection('qat')).not.toContain('PTQ');
    expect(int8ReadmeSection('ptq')).toContain('PTQ: activation ranges calibrated on training images');
    expect(int8ReadmeSection('ptq')).toContain("does not read the studio's calibrated ranges stored in the QDQ file");
    expect(int8ReadmeSection('ptq')).not.toContain('QAT');
  });
});
