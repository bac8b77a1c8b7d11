import type { StepMetrics, TrainWorkerMessage } from '../../src/protocol';
import type { FspDistancePoint, LossSeries, RunData } from '../store/runSlice';

/**
 * Folds worker messages into the run state. Pure, so a batch of messages becomes one store update
 * (the controller flushes batches a few times a second instead of re-rendering on every step).
 */

/** Enough points for a smooth curve; beyond that the chart only costs render time. */
export const MAX_LOSS_POINTS = 300;
const MAX_LOG_LINES = 200;
const MAX_FSP_POINTS = 300;

export function appendLossPoint(series: LossSeries, step: StepMetrics): LossSeries {
  if (step.step % series.stride !== 0) return series;
  const point = { step: step.step, epoch: step.epoch, total: step.total, terms: step.terms };
  const points = [...series.points, point];
  if (points.length <= MAX_LOSS_POINTS) return { stride: series.stride, points };
  const stride = series.stride * 2;
  return { stride, points: points.filter((p) => p.step % stride === 0) };
}

function appendFsp(history: FspDistancePoint[], point: FspDistancePoint): FspDistancePoint[] {
  const next = [...history, point];
  // Keep the first point (the start of training) and thin the rest evenly.
  return next.length <= MAX_FSP_POINTS ? next : next.filter((_, i) => i === 0 || i % 2 === 1);
}

export function applyRunMessage(run: RunData, message: TrainWorkerMessage): RunData {
  if (message.runId !== run.runId) return run;
  switch (message.type) {
    case 'backend':
      return { ...run, backend: { name: message.backend, reason: message.reason } };
    case 'log':
      return { ...run, log: [...run.log, { message: message.message, warning: message.warning === true }].slice(-MAX_LOG_LINES) };
    case 'status':
      // A reported error stays visible even if the runner later says it stopped.
      return run.status === 'error' ? run : { ...run, status: message.state };
    case 'progress':
      return { ...run, progress: message };
    case 'step':
      return {
        ...run,
        lossSeries: { ...run.lossSeries, [message.phase]: appendLossPoint(run.lossSeries[message.phase], message) },
      };
    case 'epoch':
      return { ...run, epochMetrics: [...run.epochMetrics, message] };
    case 'probe': {
      const fspHistory =
        message.fsp.length === 0
          ? run.fspHistory
          : appendFsp(run.fspHistory, {
              phase: message.phase,
              step: message.step,
              distances: Object.fromEntries(message.fsp.map((pair) => [pair.id, pair.distance])),
            });
      return { ...run, probe: message, fspHistory };
    }
    case 'phaseDone':
      return { ...run, phasesDone: [...run.phasesDone, message] };
    case 'result':
      return { ...run, results: message.results };
    case 'weights':
      return { ...run, trainedModels: { ...run.trainedModels, [message.phase]: message.model } };
    case 'error':
      return {
        ...run,
        status: 'error',
        error: { kind: message.kind, message: message.message, problems: [], lossTerm: message.lossTerm },
      };
  }
}

export function applyRunMessages(run: RunData, messages: readonly TrainWorkerMessage[]): RunData {
  return messages.reduce(applyRunMessage, run);
}
