import type { LossDefinition } from './types';
import { crossEntropyLoss, decoupledKdLoss, knowledgeDistillationLoss, teacherFreeLoss, topScoreDifferenceLoss } from './definitions/logitLosses';
import { attentionTransferLoss, fitnetLoss, fspMatrixLoss, neuronSelectivityLoss } from './definitions/featureLosses';
import { adversarialKdLoss, correlationCongruenceLoss, variationalInformationLoss } from './definitions/learnedLosses';
import { contrastiveRepresentationLoss } from './definitions/contrastiveLoss';
import { factorTransferLoss } from './definitions/factorTransferLoss';
import { instanceRelationshipGraphLoss, probabilisticTransferLoss, relationalKdLoss, similarityPreservingLoss } from './definitions/relationLosses';

/**
 * Every loss the studio offers. The inspector, lessons, graph validation and trainer read these
 * entries. Losses with learned parts (VID, FT, adversarial KD, CC, CRD) create them through `createModule`.
 */
export const lossRegistry: readonly LossDefinition[] = Object.freeze([
  crossEntropyLoss,
  knowledgeDistillationLoss,
  teacherFreeLoss,
  decoupledKdLoss,
  topScoreDifferenceLoss,
  adversarialKdLoss,
  fitnetLoss,
  attentionTransferLoss,
  fspMatrixLoss,
  neuronSelectivityLoss,
  variationalInformationLoss,
  factorTransferLoss,
  similarityPreservingLoss,
  relationalKdLoss,
  probabilisticTransferLoss,
  instanceRelationshipGraphLoss,
  correlationCongruenceLoss,
  contrastiveRepresentationLoss,
]);

const byId = new Map(lossRegistry.map((definition) => [definition.id, definition]));

export function getLoss(id: string): LossDefinition {
  const definition = byId.get(id);
  if (definition === undefined) {
    throw new Error(`Unknown loss '${id}'. Known losses: ${lossRegistry.map((d) => d.id).join(', ')}.`);
  }
  return definition;
}
