import { loadDataset } from '../data/loader';
import type { AssetReader } from '../data/types';
import { buildModel, setLayerWeights } from '../models/builder';
import type { LayerWeights } from '../models/spec';
import { evaluateAccuracy } from './evaluate';
import { modelPlan, type TrainingPlan } from './plan';

/**
 * Validation and test accuracy of stored teacher weights on the plan's data, measured the way the
 * runner measures a trained teacher: what a pretrained teacher is shipped with, and what the test
 * suite checks it still reaches.
 */
export async function measureTeacherAccuracy(
  plan: TrainingPlan,
  teacherId: string,
  weights: LayerWeights[],
  read: AssetReader,
): Promise<{ validationAccuracy: number; testAccuracy: number; validationCount: number; testCount: number }> {
  const loaded = await loadDataset(plan.dataset, read);
  const spec = modelPlan(plan, teacherId);
  const teacher = buildModel(spec.architecture, { taps: [], seed: spec.seed });
  try {
    setLayerWeights(teacher, weights);
    return {
      validationAccuracy: await evaluateAccuracy(teacher, loaded.validation, loaded.info),
      testAccuracy: await evaluateAccuracy(teacher, loaded.test, loaded.info),
      validationCount: loaded.validation.count,
      testCount: loaded.test.count,
    };
  } finally {
    teacher.dispose();
  }
}
