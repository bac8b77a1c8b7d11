import type { StepMetrics, TrainWorkerMessage } from '../../src/protocol';
import type { PhaseKind } from '../../src/train/plan';
import type { FspDistancePoint, LossSeries, RunData, StoppedAt } from '../store/runSlice';

/**
 * Folds worker messages into the run state, keyed by phase id (loss curves, FSP distances) and by
 * model id (epochs, trained models). Pure, so a batch of messages becomes one store update (the
 * controller flushes batches a few times a second instead of re-rendering on every step).
 */

/** Enough points for a smooth curve; beyond that the chart only costs render time. */
export const MAX_LOSS_POINTS = 300;
const MAX_LOG_LINES = 200;
const MAX_FSP_POINTS = 300;

export function emptyLossSeries(phaseId: string, kind: PhaseKind, label: string): LossSeries {
  return { phaseId, kind, label, stride: 1, points: [] };
}

export function appendLossPoint(series: LossSeries, step: StepMetrics): LossSeries {
  if (step.step % series.stride !== 0) return series;
  const point = { step: step.step, epoch: step.epoch, total: step.total, terms: step.terms, metrics: step.metrics };
  const points = [...series.points, point];
  if (points.length <= MAX_LOSS_POINTS) return { ...series, points };
  const stride = series.stride * 2;
  return { ...series, stride, points: points.filter((p) => p.step % stride === 0) };
}

function appendFsp(history: readonly FspDistancePoint[], point: FspDistancePoint): FspDistancePoint[] {
  const next = [...history, point];
  // Keep the first point (the start of training) and thin the rest evenly.
  return next.length <= MAX_FSP_POINTS ? next : next.filter((_, i) => i === 0 || i % 2 === 1);
}

/** A phase's label: the plan's, else the one its progress reported, else its id. */
export function phaseLabelOf(run: RunData, phaseId: string): string {
  return run.plan?.phases.find((phase) => phase.id === phaseId)?.label
    ?? (run.progress?.phaseId === phaseId ? run.progress.phaseLabel : undefined)
    ?? run.phasesDone.find((done) => done.phaseId === phaseId)?.label
    ?? phaseId;
}

/** The series of a phase relabelled, when the phase is known under a better label than its id. */
function relabel(lossSeries: RunData['lossSeries'], phaseId: string, label: string): RunData['lossSeries'] {
  const series = lossSeries[phaseId];
  return series === undefined || series.label === label ? lossSeries : { ...lossSeries, [phaseId]: { ...series, label } };
}

/** The last step the worker reported before it confirmed the stop (it finishes the step in flight first). */
function stoppedAtOf(run: RunData): StoppedAt | null {
  const progress = run.progress;
  if (progress === null) return null;
  const { phaseId, step, stepsTotal, epoch, epochs } = progress;
  return { phaseId, step, stepsTotal, epoch, epochs };
}

export function applyRunMessage(run: RunData, message: TrainWorkerMessage): RunData {
  if (message.runId !== run.runId) return run;
  switch (message.type) {
    case 'backend':
      return {
        ...run,
        backend: { name: message.backend, reason: message.reason, ...(message.measured && { measured: message.measured }), ...(message.threads !== undefined && { threads: message.threads }) },
      };
    case 'log':
      return {
        ...run,
        log: [...run.log, { message: message.message, warning: message.warning === true, ...(message.detail && { detail: message.detail }) }]
          .slice(-MAX_LOG_LINES),
      };
    case 'status':
      // A reported error stays visible even if the runner later says it stopped.
      if (run.status === 'error') return run;
      return { ...run, status: message.state, stoppedAt: message.state === 'stopped' ? stoppedAtOf(run) : run.stoppedAt };
    case 'progress':
      return { ...run, progress: message, lossSeries: relabel(run.lossSeries, message.phaseId, message.phaseLabel) };
    case 'step': {
      const series = run.lossSeries[message.phaseId] ?? emptyLossSeries(message.phaseId, message.kind, phaseLabelOf(run, message.phaseId));
      const next = appendLossPoint(series, message);
      return next === series && message.phaseId in run.lossSeries ? run : { ...run, lossSeries: { ...run.lossSeries, [message.phaseId]: next } };
    }
    case 'epoch':
      return { ...run, epochMetrics: { ...run.epochMetrics, [message.modelId]: [...(run.epochMetrics[message.modelId] ?? []), message] } };
    case 'probe': {
      if (message.fsp.length === 0) return { ...run, probe: message };
      const point = { step: message.step, distances: Object.fromEntries(message.fsp.map((pair) => [pair.id, pair.distance])) };
      const fspHistory = { ...run.fspHistory, [message.phaseId]: appendFsp(run.fspHistory[message.phaseId] ?? [], point) };
      return { ...run, probe: message, fspHistory };
    }
    case 'phaseDone':
      return { ...run, phasesDone: [...run.phasesDone, message], lossSeries: relabel(run.lossSeries, message.phaseId, message.label) };
    case 'result':
      return { ...run, results: message.results };
    case 'weights':
      return { ...run, trainedModels: { ...run.trainedModels, [message.model.modelId]: message.model } };
    case 'error':
      return {
        ...run,
        status: 'error',
        error: { kind: message.kind, message: message.message, problems: [], lossTerm: message.lossTerm, ...(message.detail && { detail: message.detail }) },
      };
  }
}

export function applyRunMessages(run: RunData, messages: readonly TrainWorkerMessage[]): RunData {
  return messages.reduce(applyRunMessage, run);
}
