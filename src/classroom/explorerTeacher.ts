/**
 * The temperature explorer's data: the shipped Hinton teacher's logits on the first few real MNIST
 * test images, computed without any training. The teacher is the one public/teachers/index.json
 * lists for the Hinton preset; its architecture comes from compiling that preset, so a recipe change
 * that was not re-shipped is reported instead of loading weights into the wrong shape.
 */
import * as tf from '@tensorflow/tfjs';
import { splitToTensors } from '../data/batches';
import { getDatasetEntry } from '../data/registry';
import type { AssetReader } from '../data/types';
import { compileExperiment } from '../graph/compile';
import { buildPresetExperiment } from '../graph/presetExperiments';
import { buildModel, setLayerWeights } from '../models/builder';
import { predictLogits } from '../train/evaluate';
import { modelPlan } from '../train/plan';
import { parsePretrainedIndex, PRETRAINED_INDEX, pretrainedTeachers, type PretrainedFileReader } from '../train/pretrained';

export const EXPLORER_PRESET = 'hinton-mnist.json';
export const EXPLORER_IMAGE_COUNT = 12;

export interface ExplorerLogits {
  teacherKey: string;
  teacherLabel: string;
  /** As listed in the index when the teacher was shipped. */
  testAccuracy: number;
  classNames: string[];
  imageShape: [number, number, number];
  /** [image][H*W*C] pixels in [0, 255], for drawing the digits. */
  images: number[][];
  labels: number[];
  /** [image][class] raw logits, so the page can apply any temperature. */
  logits: number[][];
}

export class ExplorerTeacherError extends Error {
  override readonly name = 'ExplorerTeacherError';
}

const decoder = new TextDecoder();

/** The shipped teacher of the Hinton preset: its index entry and the compiled plan's model for it. */
async function findHintonTeacher(readTeacherFile: PretrainedFileReader) {
  const indexBytes = await readTeacherFile(PRETRAINED_INDEX);
  if (indexBytes === null) throw new ExplorerTeacherError(`No pretrained teachers are shipped: /teachers/${PRETRAINED_INDEX} is missing.`);
  const index = parsePretrainedIndex(JSON.parse(decoder.decode(indexBytes)));
  const entry = index.teachers.find((teacher) => teacher.presets.includes(EXPLORER_PRESET));
  if (entry === undefined) throw new ExplorerTeacherError(`/teachers/${PRETRAINED_INDEX} lists no teacher for ${EXPLORER_PRESET}.`);
  const plan = compileExperiment(buildPresetExperiment(EXPLORER_PRESET));
  const phase = plan.phases.find((candidate) => candidate.kind === 'teacher' && candidate.cacheKey === entry.key);
  if (phase === undefined) {
    throw new ExplorerTeacherError(`${EXPLORER_PRESET} no longer compiles to the shipped teacher ${entry.key}: re-ship it with npm run ship-teacher.`);
  }
  return { entry, plan, model: modelPlan(plan, phase.trains[0]) };
}

export async function explorerTeacherLogits(
  readTeacherFile: PretrainedFileReader,
  readAsset: AssetReader,
  count = EXPLORER_IMAGE_COUNT,
): Promise<ExplorerLogits> {
  const { entry, plan, model } = await findHintonTeacher(readTeacherFile);
  const weights = await pretrainedTeachers(readTeacherFile).get(entry.key);
  if (weights === null) throw new ExplorerTeacherError(`The weights of pretrained teacher ${entry.key} could not be found.`);

  // Only the test split is read (one shard plus labels); train and validation are empty ranges.
  const dataset = getDatasetEntry(plan.dataset.datasetId);
  const none = { first: 0, count: 0 };
  const { test } = await dataset.load(dataset.info, { train: none, validation: none, test: { first: 0, count } }, readAsset);

  const teacher = buildModel(model.architecture, { taps: [], seed: model.seed });
  try {
    setLayerWeights(teacher, weights);
    const logits = tf.tidy(() => {
      const batch = splitToTensors(test, dataset.info, 0, count);
      return predictLogits(teacher, batch.xs);
    });
    const values = (await logits.array()) as number[][];
    logits.dispose();
    const pixels = dataset.info.shape[0] * dataset.info.shape[1] * dataset.info.shape[2];
    return {
      teacherKey: entry.key,
      teacherLabel: model.label,
      testAccuracy: entry.testAccuracy,
      classNames: dataset.info.classNames,
      imageShape: dataset.info.shape,
      images: Array.from({ length: count }, (_, i) => Array.from(test.images.subarray(i * pixels, (i + 1) * pixels))),
      labels: Array.from(test.labels),
      logits: values,
    };
  } finally {
    teacher.dispose();
  }
}
