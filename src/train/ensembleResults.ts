import type * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../data/types';
import type { EnsembleResult } from '../results';
import { ensembleLogits } from './ensembleLogits';
import { evaluateLogitsAccuracy, predictLogits } from './evaluate';
import type { EnsemblePlan } from './plan';

/**
 * The BAN ensemble as a result (Furlanello et al. 2018): the accuracy of the members' averaged
 * class probabilities on the validation and test splits, batch by batch in inference mode.
 * Null when a stop request cut the evaluation short (a part of a split is not its accuracy).
 */
export async function evaluateEnsemble(
  ensemble: EnsemblePlan,
  members: readonly tf.LayersModel[],
  params: number,
  data: Pick<LoadedDataset, 'validation' | 'test' | 'info'>,
  shouldStop: () => boolean,
): Promise<EnsembleResult | null> {
  if (members.length !== ensemble.members.length) {
    throw new Error(`The ensemble '${ensemble.label}' has ${ensemble.members.length} members but ${members.length} networks were given.`);
  }
  const logitsOf = (xs: tf.Tensor): tf.Tensor => ensembleLogits(members.map((model) => predictLogits(model, xs)));
  const validationAccuracy = await evaluateLogitsAccuracy(logitsOf, data.validation, data.info, { shouldStop });
  const testAccuracy = await evaluateLogitsAccuracy(logitsOf, data.test, data.info, { shouldStop });
  if (shouldStop()) return null;
  return { ensembleId: ensemble.id, label: ensemble.label, members: [...ensemble.members], testAccuracy, validationAccuracy, params };
}
