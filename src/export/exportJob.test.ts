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

  it('a channel-pruned student: the slimmed ONNX is verified and offered beside the dense one, and the Atlas bundle carries it', async () => {
    const spec = architecturePresets['cnn-student'];
    const { model, weights } = seededStudent(spec, 13);
    model.dispose();
    // conv2's channels 1 and 6 pruned as the pruner does: filter, bias, bn2's gamma and beta.
    const masked = weights.map((entry) => (entry.layerId !== 'conv2' && entry.layerId !== 'bn2') ? entry : {
      layerId: entry.layerId,
      tensors: entry.tensors.map((tensor, t) => (entry.layerId === 'bn2' && t > 1) ? tensor
        : { shape: tensor.shape, values: tensor.values.map((value, i) => ([1, 6].includes(i % 8) ? 0 : value)) }),
    });
    const before = tf.memory().numTensors;
    const result = await runExportJob({
      modelId: 'student', spec, weights: masked, datasetId: 'mnist', format: 'atc', options: { batchSize: 1, sampleFileCount: 2 }, verifyImages: 8,
      experimentName: 'unit', results: null, includeTfjs: false,
    }, { read: nodeAssetReader(), runOnnx: nodeOnnxRunner, createdAt: new Date('2026-01-01T00:00:00Z') });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.report.ok).toBe(true);
    const slimmed = result.pruned!.slimmed!;
    expect(slimmed.convs).toEqual([{ layerId: 'conv2', channelsBefore: 8, channelsAfter: 6 }]);
    expect(slimmed.report.ok).toBe(true);
    expect(slimmed.report.samples).toBe(8);
    expect(result.pruned!.denseBytes).toBe(result.onnx.length);
    expect(slimmed.onnx.length).toBeLessThan(result.onnx.length);
    // 25 % of one conv's channels: far from 2/3 zeros in any tensor, so no sparse file.
    expect(result.pruned!.sparse).toBeNull();

    const files = unzipSync(result.bundle as Uint8Array);
    const folder = result.bundleFolder as string;
    const bundled = files[`${folder}/model/student.onnx`];
    expect(Array.from(bundled)).toEqual(Array.from(slimmed.onnx));
    const readme = strFromU8(files[`${folder}/README.md`]);
    expect(readme).toContain('## Channel pruning: the slimmed network');
    expect(readme).toContain('| `conv2` | 8 | 6 |');
  });

  it('an unpruned student has no smaller files', async () => {
    const spec = architecturePresets['cnn-student'];
    const { model, weights } = seededStudent(spec, 14);
    model.dispose();
    const result = await runExportJob({
      modelId: 'student', spec, weights, datasetId: 'mnist', format: 'onnx', options: { batchSize: 1 }, verifyImages: 2,
      experimentName: 'unit', results: null, includeTfjs: false,
    }, { read: nodeAssetReader(), runOnnx: nodeOnnxRunner });
    expect(result.pruned).toBeNull();
  });
});
