import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { architecturePresets } from '../models/presets';
import { summarizeArchitecture } from '../models/shapes';
import { loadMnistSubset, nodeOnnxRunner, normalisedImages, seededStudent, tfjsLogits } from './export.testkit';
import { readResultsFile } from '../resultsFile';
import { runExportJob } from './exportJob';

const firstFormatResults = readResultsFile(JSON.parse(readFileSync(new URL('../../docs/results/hinton-mnist-full/student-s3.json', import.meta.url), 'utf8')));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runExportJob', () => {
  it('verifies the ONNX export, fills the model card and zips a tfjs model that loads back', async () => {
    const spec = architecturePresets['cnn-student'];
    const { model, weights } = seededStudent(spec, 12);
    const before = tf.memory().numTensors;
    const result = await runExportJob({
      modelId: 'student', spec, weights, datasetId: 'mnist', format: 'onnx', options: { batchSize: 4 }, verifyImages: 18,
      experimentName: 'unit', results: firstFormatResults, includeTfjs: true,
    }, { read: nodeAssetReader(), runOnnx: nodeOnnxRunner });
    expect(tf.memory().numTensors).toBe(before);

    expect(result.report.samples).toBe(16); // rounded down to whole batches of 4
    expect(result.report.ok).toBe(true);
    expect(result.bundle).toBeNull();
    expect(result.card).toMatchObject({ modelId: 'student', name: 'cnn-student', params: summarizeArchitecture(spec).params, inputShape: [4, 1, 28, 28], outputs: ['logits'], opset: 11 });
    // The card reads the exported model's own result, its direct teacher's and its baseline's.
    // This file is an `--only student` run: no baseline, so no gain either.
    expect(result.card).toMatchObject({ testAccuracy: 0.9892, teacherAccuracy: 0.9897, baselineAccuracy: null, distillationGain: null, seed: 3 });

    const files = unzipSync(result.tfjsZip as Uint8Array);
    const modelJson = JSON.parse(strFromU8(files['cnn-student_tfjs/model.json']));
    const weightData = files['cnn-student_tfjs/weights.bin'];
    const loaded = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weightData.slice().buffer,
    }));
    const mnist = await loadMnistSubset(4, 1);
    const images = normalisedImages(mnist, 'test', 0, 4);
    const original = await tfjsLogits(model, images, spec.inputShape);
    const reloaded = await tfjsLogits(loaded, images, spec.inputShape);
    reloaded.forEach((value, i) => expect(value).toBeCloseTo(original[i], 5));
    model.dispose();
    loaded.dispose();
  });
});
