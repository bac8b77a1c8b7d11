import type { LossDefinition } from './types';
import { crossEntropyLoss, decoupledKdLoss, knowledgeDistillationLoss, teacherFreeLoss } from './definitions/logitLosses';
import { attentionTransferLoss, fitnetLoss, fspMatrixLoss, neuronSelectivityLoss } from './definitions/featureLosses';
import { adversarialKdLoss, variationalInformationLoss } from './definitions/learnedLosses';
import { probabilisticTransferLoss, relationalKdLoss, similarityPreservingLoss } from './definitions/relationLosses';

/**
 * Every loss the studio offers. The inspector, lessons, graph validation and trainer read these
 * entries. Losses with learned parts (VID, adversarial KD) create them through `createModule`. Not yet
 * implemented: FT, CRD, CC, IRG, TSD.
 */
export const lossRegistry: readonly LossDefinition[] = Object.freeze([
  crossEntropyLoss,
  knowledgeDistillationLoss,
  teacherFreeLoss,
  decoupledKdLoss,
  adversarialKdLoss,
  fitnetLoss,
  attentionTransferLoss,
  fspMatrixLoss,
  neuronSelectivityLoss,
  variationalInformationLoss,
  similarityPreservingLoss,
  relationalKdLoss,
  probabilisticTransferLoss,
]);

const byId = new Map(lossRegistry.map((definition) => [definition.id, definition]));

export function getLoss(id: string): LossDefinition {
  const definition = byId.get(id);
  if (definition === undefined) {
    throw new Error(`Unknown loss '${id}'. Known losses: ${lossRegistry.map((d) => d.id).join(', ')}.`);
  }
  return definition;
}
