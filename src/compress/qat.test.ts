import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { splitToTensors } from '../data/batches';
import type { LoadedDataset } from '../data/types';
import { compileExperiment } from '../graph/compile';
import { parseExperiment, serializeExperiment } from '../graph/serialize';
import { modelResultById } from '../results';
import { readResultsFile } from '../resultsFile';
import { RunControl } from '../train/control';
import { evaluateAccuracy } from '../train/evaluate';
import { loadDataset } from '../data/loader';
import { buildModel, setLayerWeights } from '../models/builder';
import { runExperiment, type TrainEnv } from '../train/runner';
import { EventLog, tinyPreset } from '../train/testSupport';
import { DEFAULT_QUANTIZATION, quantizationAt } from './qat';
import { calibrate, evaluateInt8Accuracy } from './ptq';
import { quantizedForward } from './quantForward';
import { loadMnist, STUDENT, trainStudent } from './quant.testkit';
import { RangeObserver } from './rangeObserver';

let data: LoadedDataset;

beforeAll(async () => {
  data = await loadMnist(1000, 3000);
}, 120_000);

describe('QAT as a trainer stage', () => {
  it('later stages keep the QAT settings of an earlier one', () => {
    const q = { emaMomentum: 0.9, calibrationImages: 10 };
    expect([0, 1, 2].map((i) => quantizationAt([{}, { quantization: q }, {}], i))).toEqual([undefined, q, q]);
  });

  it('a KD stage with quantization trains through fake quantisation and reports INT8 accuracy and size; the file and results read back', async () => {
    const file = tinyPreset('cnn-mnist-kd.json');
    for (const node of file.nodes) if (node.kind === 'trainer') node.params.quantization = { emaMomentum: 0.9, calibrationImages: 64 };
    // The file round-trips with the new field (old files, without it, read as FP32).
    const reread = parseExperiment(serializeExperiment(file));
    expect(reread.nodes.find((node) => node.kind === 'trainer')?.params).toMatchObject({ quantization: { emaMomentum: 0.9, calibrationImages: 64 } });
    const log = new EventLog();
    const env: TrainEnv = { readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'wasm', now: () => performance.now(), probeEverySteps: 100 };
    const before = tf.memory().numTensors;
    const results = await runExperiment(compileExperiment(file), { teacher: true, baseline: false, student: true }, env);
    expect(log.ofType('error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    const student = results.models.find((model) => model.role === 'student');
    expect(student?.int8TestAccuracy).toBeGreaterThanOrEqual(0);
    expect(student?.int8TestAccuracy).toBeLessThanOrEqual(1);
    // INT8 kernels: well under a third of the float32 size.
    expect(student?.int8Bytes).toBeLessThan((student?.bytes ?? 0) / 2);
    const teacher = results.models.find((model) => model.role === 'teacher');
    expect(teacher && modelResultById(results, teacher.modelId)?.int8TestAccuracy).toBeUndefined();
    expect(readResultsFile(JSON.parse(JSON.stringify(results)))).toEqual(results);
  }, 240_000);

  it('a PTQ stage trains in float (the same student as without it) and quantises after training, calibrated on training images', async () => {
    const run = async (ptq: boolean) => {
      const file = tinyPreset('cnn-mnist-kd.json');
      if (ptq) for (const node of file.nodes) if (node.kind === 'trainer') node.params.quantization = { method: 'ptq', emaMomentum: 0.9, calibrationImages: 64 };
      const log = new EventLog();
      const env: TrainEnv = { readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'wasm', now: () => performance.now(), probeEverySteps: 100 };
      const plan = compileExperiment(parseExperiment(serializeExperiment(file)));
      const results = await runExperiment(plan, { teacher: true, baseline: false, student: true }, env);
      expect(log.ofType('error')).toEqual([]);
      return { plan, results, log, loaded: file };
    };
    const before = tf.memory().numTensors;
    const float = await run(false);
    const ptq = await run(true);
    expect(tf.memory().numTensors).toBe(before);
    const student = (results: typeof ptq.results) => results.models.find((model) => model.role === 'student')!;
    // PTQ does not touch training: the float student is the very same.
    expect(student(ptq.results).testAccuracy).toBe(student(float.results).testAccuracy);
    expect(student(float.results).int8TestAccuracy).toBeUndefined();
    expect(student(ptq.results)).toMatchObject({ int8Method: 'ptq' });
    // The INT8 accuracy is calibrate + evaluate on the trained weights, recomputed here on the same test images.
    const weights = ptq.log.ofType('weights').find((event) => event.model.role === 'student')!.model;
    expect(Object.keys(weights.int8Activations ?? {}).length).toBeGreaterThan(0);
    const model = buildModel(weights.spec, { taps: [], seed: 1 });
    setLayerWeights(model, weights.weights);
    const test = (await loadDataset(ptq.plan.dataset, nodeAssetReader()));
    const params = await calibrate(model, weights.spec, test.train, test.info, 64);
    expect(Object.fromEntries(params)).toEqual(weights.int8Activations);
    expect(await evaluateInt8Accuracy(model, weights.spec, params, test.test, test.info)).toBe(student(ptq.results).int8TestAccuracy);
    model.dispose();
    expect(readResultsFile(JSON.parse(JSON.stringify(ptq.results)))).toEqual(ptq.results);
  }, 300_000);

  it('measures PTQ against QAT on MNIST with the same 300 steps (1 seed)', async () => {
    // PTQ: 300 FP32 steps, then calibration on 500 training images.
    const ptqModel = await trainStudent(data, 300);
    const ptqParams = await calibrate(ptqModel, STUDENT, data.train, data.info, 500);
    const fp32 = await evaluateAccuracy(ptqModel, data.test, data.info);
    const ptq = await evaluateInt8Accuracy(ptqModel, STUDENT, ptqParams, data.test, data.info);
    ptqModel.dispose();
    // QAT: 200 FP32 steps, then 100 fake-quantised steps (EMA ranges started by the same calibration).
    const model = await trainStudent(data, 200);
    const observer = new RangeObserver();
    const calibration = splitToTensors(data.train, data.info, 0, 500);
    tf.tidy(() => {
      quantizedForward(model, STUDENT, calibration.xs, { quantizeWeights: false, activations: { kind: 'observe', observer }, training: false });
    });
    tf.dispose([calibration.xs, calibration.ys]);
    const optimizer = tf.train.adam(0.001);
    for (let step = 0; step < 100; step++) {
      const batch = splitToTensors(data.train, data.info, (step % 60) * 50, 50);
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(
        tf.oneHot(batch.ys.cast('int32') as tf.Tensor1D, 10),
        quantizedForward(model, STUDENT, batch.xs, { quantizeWeights: true, activations: { kind: 'ema', observer, momentum: DEFAULT_QUANTIZATION.emaMomentum }, training: true })[0],
      ) as tf.Scalar, true);
      tf.dispose([batch.xs, batch.ys]);
      loss?.dispose();
    }
    optimizer.dispose();
    const qat = await evaluateInt8Accuracy(model, STUDENT, await observer.freeze(), data.test, data.info);
    observer.dispose();
    model.dispose();
    console.log(`MNIST cnn-student, 300 steps, seed 1, 1000 test images: FP32 ${fp32.toFixed(4)}, PTQ INT8 ${ptq.toFixed(4)}, QAT INT8 ${qat.toFixed(4)}`);
    expect(ptq).toBeGreaterThan(0.85);
    expect(qat).toBeGreaterThan(0.85);
  }, 240_000);
});
