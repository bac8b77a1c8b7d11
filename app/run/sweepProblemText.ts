import type { ExperimentFile } from '../../src/graph/schema';
import { nodeById } from '../../src/graph/queries';
import type { SweepProblem } from '../../src/graph/sweepProblems';
import { getLoss } from '../../src/losses/registry';
import { problemText } from '../i18n/blocks/problemTexts';
import { lossParamText } from '../i18n/blocks/localizedBlocks';
import type { Language } from '../i18n/language';
import { runSweepTexts } from '../i18n/catalogs/runSweep';

/** A loss block's parameter label in the page's language ("Temperature T", "温度 T"), or its key. */
function lossParamName(experiment: ExperimentFile, nodeId: string, key: string, language: Language): string {
  const node = nodeById(experiment, nodeId);
  if (node?.kind !== 'loss') return key;
  const loss = getLoss(node.params.lossId);
  const def = loss.params.find((candidate) => candidate.key === key);
  return def === undefined ? key : lossParamText(loss, def, language).label;
}

/** Why the sweep dialog refuses values or a grid, in the page's language. */
export function sweepProblemText(problem: SweepProblem, experiment: ExperimentFile, language: Language): string {
  const tx = runSweepTexts[language];
  switch (problem.code) {
    case 'noValues': return tx.noValues(problem.symbol);
    case 'notANumber': return tx.notANumber(problem.entry);
    case 'listedTwice': return tx.listedTwice(problem.entry);
    case 'notATapLayer': return tx.notATapLayer(problem.entry, problem.layers.join(', '));
    case 'noSuchLossParam': return tx.noSuchLossParam(problem.key);
    case 'lossParamRange':
      return tx.lossParamRange(lossParamName(experiment, problem.nodeId, problem.key, language), problem.min, problem.max, problem.value);
    case 'lossParamWhole': return tx.lossParamWhole(lossParamName(experiment, problem.nodeId, problem.key, language), problem.value);
    case 'lossWeightRange': return tx.lossWeightRange(problem.value);
    case 'learningRateRange': return tx.learningRateRange(problem.max, problem.value);
    case 'widthRange': return tx.widthRange(problem.max, problem.value);
    case 'pruningTargetRange': return tx.pruningTargetRange(problem.min, problem.max, problem.value);
    case 'axisCount': return tx.axisCount;
    case 'sameParameter': return tx.sameParameter;
    case 'tooFewRuns': return tx.tooFewRuns;
    case 'tooManyRuns': return tx.tooManyRuns(problem.count, problem.max);
    case 'variantInvalid': {
      const text = problemText(problem.problem, experiment, language);
      return tx.variantInvalid(problem.values, problem.nodeLabel === null ? text : tx.nodeProblem(problem.nodeLabel, text));
    }
    case 'notApplied': return tx.notApplied(problem.message);
  }
}
