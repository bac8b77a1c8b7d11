import type { Language } from '../language';
import type { ExperimentFile } from '../../../src/graph/schema';
import type { GraphProblem } from '../../../src/graph/validate';
import { lossRegistry } from '../../../src/losses/registry';
import { connectionRefusalText, nodeNameZh } from './connectionTexts';
import { lossPortLabel } from './localizedBlocks';
import { problemZh } from './problemTextsZh';
import { datasetLabel } from '../datasetTexts';

/**
 * A graph problem in the interface language: English is the validator's own text, Chinese is
 * written from the problem's code and parameters (problemTextsZh.ts).
 */
export function problemText(problem: GraphProblem, experiment: ExperimentFile, language: Language): string {
  if (language !== 'zh') return problem.message;
  const node = experiment.nodes.find((n) => n.id === problem.nodeId);
  const nameOf = (id: string | null) => nodeNameZh(experiment.nodes.find((n) => n.id === id));
  const loss = node?.kind === 'loss' ? lossRegistry.find((entry) => entry.id === node.params.lossId) : undefined;
  const port = (name: string) => {
    const def = loss?.ports.find((p) => p.name === name || p.label === name);
    return loss === undefined || def === undefined ? name : lossPortLabel(loss, def, 'zh');
  };
  return problemZh(problem.detail, {
    name: nameOf(problem.nodeId), nameOf, port, dataset: (id) => datasetLabel(id, 'zh'), refusal: (refusal) => connectionRefusalText(refusal, experiment, 'zh'),
  });
}
