import type { Language } from '../language';
import type { ExperimentFile } from '../../../src/graph/schema';
import type { GraphProblem } from '../../../src/graph/validate';
import { nodeNameZh } from './connectionTexts';
import { problemZh } from './problemTextsZh';

/**
 * A graph problem in the interface language. Problems with a `detail` are written in Chinese in
 * problemTextsZh.ts; the others, and every problem in English, are the validator's own text.
 */
export function problemText(problem: GraphProblem, experiment: ExperimentFile, language: Language): string {
  const detail = problem.detail;
  if (language !== 'zh' || detail === undefined) return problem.message;
  const nameOf = (id: string | null) => nodeNameZh(experiment.nodes.find((n) => n.id === id));
  return problemZh(detail, nameOf(problem.nodeId), nameOf);
}
