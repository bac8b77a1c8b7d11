import type { ExperimentFile } from '../../src/graph/schema';
import type { SweepParameterChoice } from '../../src/graph/sweepVariants';
import { nodeById } from '../../src/graph/queries';
import { getLoss } from '../../src/losses/registry';
import { lossParamText } from '../i18n/blocks/localizedBlocks';
import type { Language } from '../i18n/language';
import { runSweepTexts } from '../i18n/catalogs/runSweep';

/**
 * A sweep parameter's name in the page's language ("KD: Temperature T", "KD：温度 T"). The core's
 * `choice.label` is the English form the headless runner prints; node labels are the user's own.
 */
export function sweepChoiceLabel(experiment: ExperimentFile, choice: SweepParameterChoice, language: Language): string {
  const tx = runSweepTexts[language];
  const { parameter } = choice;
  const nodeLabel = parameter.nodeId === null ? '' : nodeById(experiment, parameter.nodeId)?.label ?? parameter.nodeId;
  switch (parameter.kind) {
    case 'lossParam': {
      const node = nodeById(experiment, parameter.nodeId);
      if (node?.kind !== 'loss') return choice.label;
      const loss = getLoss(node.params.lossId);
      const def = loss.params.find((candidate) => candidate.key === parameter.key);
      return def === undefined ? choice.label : tx.choiceLossParam(nodeLabel, lossParamText(loss, def, language).label);
    }
    case 'lossWeight': return tx.choiceLossWeight(nodeLabel);
    case 'learningRate': return parameter.nodeId === null ? tx.choiceEveryLearningRate : tx.choiceLearningRate(nodeLabel);
    case 'pruningTarget': return tx.choicePruningTarget(nodeLabel);
    case 'width': return tx.choiceWidth(nodeLabel);
    case 'tapLayer': return tx.choiceTapLayer(nodeLabel);
  }
}
