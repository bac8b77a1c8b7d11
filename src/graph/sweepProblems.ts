import { getLoss } from '../losses/registry';
import { nodeById } from './queries';
import type { ExperimentFile } from './schema';
import type { GraphProblem } from './validateReport';

/**
 * Why a sweep's values or grid are refused, as data: the page words each in its language
 * (app/run/sweepProblemText.ts); sweepProblemMessage is the English the headless tools print.
 */
export type SweepProblem =
  | { code: 'noValues'; symbol: string }
  | { code: 'notANumber'; entry: string }
  | { code: 'listedTwice'; entry: string }
  | { code: 'notATapLayer'; entry: string; layers: string[] }
  | { code: 'noSuchLossParam'; key: string }
  /** A loss parameter outside its declared range, or fractional where it counts something. */
  | { code: 'lossParamRange'; nodeId: string; key: string; min: number; max: number; value: number }
  | { code: 'lossParamWhole'; nodeId: string; key: string; value: number }
  | { code: 'lossWeightRange'; value: number }
  /** Learning rates and width factors: above 0 and at most `max`. */
  | { code: 'learningRateRange' | 'widthRange'; max: number; value: number }
  | { code: 'pruningTargetRange'; min: number; max: number; value: number }
  | { code: 'axisCount' }
  | { code: 'sameParameter' }
  | { code: 'tooFewRuns' }
  | { code: 'tooManyRuns'; count: number; max: number }
  /** One run's graph fails validation: its values ("T = 4, lr = 0.01"), node label and problem. */
  | { code: 'variantInvalid'; values: string; nodeLabel: string | null; problem: GraphProblem }
  /** The value could not be applied to the graph (a node missing or of another kind). */
  | { code: 'notApplied'; message: string };

/** The English label of a loss block's parameter, or its key. */
export function lossParamLabel(file: ExperimentFile, nodeId: string, key: string): string {
  const node = nodeById(file, nodeId);
  return (node?.kind === 'loss' ? getLoss(node.params.lossId).params.find((def) => def.key === key)?.label : undefined) ?? key;
}

export function sweepProblemMessage(problem: SweepProblem, file: ExperimentFile): string {
  switch (problem.code) {
    case 'noValues': return `Give ${problem.symbol} at least one value.`;
    case 'notANumber': return `'${problem.entry}' is not a number.`;
    case 'listedTwice': return `${problem.entry} is listed twice.`;
    case 'notATapLayer': return `'${problem.entry}' is not a layer this tap can take (${problem.layers.join(', ')}).`;
    case 'noSuchLossParam': return `The loss has no parameter '${problem.key}'.`;
    case 'lossParamRange':
      return `${lossParamLabel(file, problem.nodeId, problem.key)} takes ${problem.min} to ${problem.max}, not ${problem.value}.`;
    case 'lossParamWhole': return `${lossParamLabel(file, problem.nodeId, problem.key)} is a whole number, not ${problem.value}.`;
    case 'lossWeightRange': return `A loss weight is 0 or more, not ${problem.value}.`;
    case 'learningRateRange': return `A learning rate is above 0 and at most ${problem.max}, not ${problem.value}.`;
    case 'widthRange': return `A width factor is above 0 and at most ${problem.max}, not ${problem.value}.`;
    case 'pruningTargetRange': return `A target sparsity is ${problem.min} to ${problem.max}, not ${problem.value}.`;
    case 'axisCount': return 'A sweep varies one or two parameters.';
    case 'sameParameter': return 'The two swept parameters are the same; pick another second parameter.';
    case 'tooFewRuns': return 'A sweep needs at least two runs: give more values.';
    case 'tooManyRuns': return `That is ${problem.count} runs; a sweep queues at most ${problem.max}.`;
    case 'variantInvalid':
      return `With ${problem.values}: ${problem.nodeLabel === null ? '' : `${problem.nodeLabel}: `}${problem.problem.message}`;
    case 'notApplied': return problem.message;
  }
}
