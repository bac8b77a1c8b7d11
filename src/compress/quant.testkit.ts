/**
 * Shared by the quantisation tests (Node only): a cnn-student trained for a few hundred real
 * steps on real MNIST images, so INT8 accuracy is measured on a model that has learnt something.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installTrainingKernels } from '../models/training-kernels';
import { splitToTensors } from '../data/batches';
import type { LoadedDataset } from '../data/types';
import { loadMnistSubset } from '../export/export.testkit';
import { buildModel } from '../models/builder';
import { architecturePresets } from '../models/presets';
import type { ArchitectureSpec } from '../models/spec';

export const STUDENT: ArchitectureSpec = architecturePresets['cnn-student'];

/** Plain cross-entropy training with Adam, batches in order over the training split. */
export async function trainStudent(data: LoadedDataset, steps: number, batchSize = 50, seed = 1): Promise<tf.LayersModel> {
  const model = buildModel(STUDENT, { taps: [], seed });
  const optimizer = tf.train.adam(0.003);
  const perEpoch = Math.floor(data.train.count / batchSize);
  for (let step = 0; step < steps; step++) {
    const batch = splitToTensors(data.train, data.info, (step % perEpoch) * batchSize, batchSize);
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(
      tf.oneHot(batch.ys.cast('int32') as tf.Tensor1D, 10), model.apply(batch.xs, { training: true }) as tf.Tensor,
    ) as tf.Scalar, true);
    tf.dispose([batch.xs, batch.ys]);
    loss?.dispose();
  }
  optimizer.dispose();
  return model;
}

/** Sets the wasm backend and loads real MNIST subsets. */
export async function loadMnist(testCount: number, trainCount: number): Promise<LoadedDataset> {
  // wasm, as the studio trains its presets (the cpu backend is several times slower).
  await tf.setBackend('wasm');
  installTrainingKernels('wasm');
  return loadMnistSubset(testCount, trainCount);
}
