import type { Goal } from './types';
import { lossParamOf, modelParamsOf, type LessonObservation } from './observation';

/** Whether a step's ask is done. Anything missing (a deleted node, no results yet) counts as not done. */
export function goalMet(goal: Goal, observation: LessonObservation): boolean {
  const { experiment } = observation;
  switch (goal.kind) {
    case 'nodeSelected':
      return observation.selectedNodeIds.includes(goal.nodeId);
    case 'lossParam': {
      const value = lossParamOf(experiment, goal.nodeId, goal.key);
      if (value === null) return false;
      return (goal.atLeast === undefined || value >= goal.atLeast) && (goal.atMost === undefined || value <= goal.atMost);
    }
    case 'compressionAtLeast': {
      const teacher = modelParamsOf(experiment, goal.teacherId);
      const student = modelParamsOf(experiment, goal.studentId);
      return teacher !== null && student !== null && student > 0 && teacher / student >= goal.ratio;
    }
    case 'runFinished': {
      const { results } = observation;
      // Results of another experiment (restored from an earlier visit) do not count.
      return observation.runStatus === 'finished' && results !== null && results.experimentName === experiment.name
        && results.distillations.some((report) => report.studentId === goal.studentId && report.distillationGain !== null);
    }
    case 'shown':
      return observation.shownTestIds.has(goal.testId);
  }
}
