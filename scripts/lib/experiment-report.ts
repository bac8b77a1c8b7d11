/**
 * What the headless runner prints: progress lines while it trains (phase by phase, labelled as the
 * plan labels them) and the results at the end, every model and every distillation's three numbers.
 */
import type { TrainedModel, TrainEvent } from '../../src/protocol';
import { modelResultById, type ExperimentResults, type ModelResult } from '../../src/results';
import type { TrainingPlan } from '../../src/train/plan';

function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '--';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

const percent = (fraction: number): string => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : 'n/a');

export interface TerminalReporter {
  emit(event: TrainEvent): void;
  errors: TrainEvent[];
  /** Trained models other than teachers, by model id, as the runner sent them for export. */
  weights: Map<string, TrainedModel>;
}

/**
 * Terminal output: epochs and phase ends always, progress at most every two seconds. The plan
 * gives the labels of phases and models; without it, ids stand in.
 */
export function terminalReporter(write: (line: string) => void, plan?: TrainingPlan): TerminalReporter {
  let lastProgress = 0;
  let lastLoss = Number.NaN;
  const errors: TrainEvent[] = [];
  const weights = new Map<string, TrainedModel>();
  const phaseOf = (phaseId: string) => plan?.phases.find((phase) => phase.id === phaseId);
  const phaseLabel = (phaseId: string): string => phaseOf(phaseId)?.label ?? phaseId;
  const modelLabel = (modelId: string): string => plan?.models.find((model) => model.id === modelId)?.label ?? modelId;
  /** A phase that trains one model needs no model name on its lines; mutual learning does. */
  const several = (phaseId: string): boolean => (phaseOf(phaseId)?.trains.length ?? 1) > 1;
  const emit = (event: TrainEvent): void => {
    switch (event.type) {
      case 'step':
        lastLoss = event.total;
        return;
      case 'progress': {
        const now = Date.now();
        if (now - lastProgress < 2000 && event.step !== event.stepsTotal) return;
        lastProgress = now;
        write(`[${event.phaseLabel}] ${event.stageName} epoch ${event.epoch}/${event.epochs} step ${event.step}/${event.stepsTotal} ` +
          `loss ${lastLoss.toFixed(4)}  run ${(event.fractionDone * 100).toFixed(1)}%  left ${formatSeconds(event.secondsLeft)}`);
        return;
      }
      case 'epoch': {
        const who = several(event.phaseId) ? ` ${modelLabel(event.modelId)}` : '';
        write(`[${phaseLabel(event.phaseId)}]${who} epoch ${event.epoch}: train ${percent(event.trainAccuracy)}  ` +
          `validation ${percent(event.validationAccuracy)}  test ${percent(event.testAccuracy)}`);
        return;
      }
      case 'phaseDone': {
        const accuracies = event.models.length === 1
          ? `test accuracy ${percent(event.models[0].testAccuracy)}`
          : `test accuracy ${event.models.map((model) => `${modelLabel(model.modelId)} ${percent(model.testAccuracy)}`).join(', ')}`;
        write(`[${event.label}] done: ${accuracies}${event.fromCache ? ' (cached teacher)' : ''}`);
        return;
      }
      case 'log':
        write(event.message);
        return;
      case 'error':
        errors.push(event);
        write(`ERROR (${event.kind}): ${event.message}`);
        return;
      case 'weights':
        weights.set(event.model.modelId, event.model);
        return;
      default:
        return;
    }
  };
  return { emit, errors, weights };
}

const signedPoints = (value: number | null): string => (value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)} points`);

/**
 * The results as text: one line per model (with the plan, its models that did not run too, in plan
 * order), one per distillation with its teacher, compression, accuracy drop and gain, and one per
 * evaluated ensemble.
 */
export function formatResults(results: ExperimentResults, plan?: TrainingPlan): string {
  const listed = plan
    ? plan.models.map((model) => ({ id: model.id, label: model.label, role: model.role, result: modelResultById(results, model.id) }))
    : results.models.map((result) => ({ id: result.modelId, label: result.label, role: result.role, result }));
  const extra = results.models.filter((result) => !listed.some((entry) => entry.id === result.modelId));
  const entries = [...listed, ...extra.map((result) => ({ id: result.modelId, label: result.label, role: result.role, result }))];
  const name = (label: string, role: string): string => `${label} (${role})`;
  const width = Math.max(9, ...entries.map((entry) => name(entry.label, entry.role).length));
  const row = ({ label, role, result }: { label: string; role: string; result: ModelResult | null }): string =>
    `  ${name(label, role).padEnd(width)} ` + (result
      ? `test ${percent(result.testAccuracy)}  params ${result.params.toLocaleString('en')}  seed ${result.seed}  ` +
        `${result.trainingSeconds.toFixed(1)} s  ${result.inferenceMsPerSample.toFixed(3)} ms/sample${result.fromCache ? '  (cached)' : ''}` +
        (result.sparsity === undefined ? '' : `  sparsity ${percent(result.sparsity)}  non-zero ${(result.nonzeroParams ?? 0).toLocaleString('en')}  sparse ${(result.sparseBytes ?? 0).toLocaleString('en')} B`) +
        (result.onnxBytes === undefined ? '' : `  ONNX ${result.onnxBytes.toLocaleString('en')} B`) +
        (result.prunedOnnxBytes === undefined ? '' : `, ${result.prunedOnnxForm} ${result.prunedOnnxBytes.toLocaleString('en')} B`) +
        (result.int8TestAccuracy === undefined ? '' : `  INT8 (${(result.int8Method ?? 'qat').toUpperCase()}) test ${percent(result.int8TestAccuracy)}  ${(result.int8Bytes ?? 0).toLocaleString('en')} B`)
      : '(not run)');
  const labelOf = (id: string | null): string => (id === null ? 'none' : entries.find((entry) => entry.id === id)?.label ?? id);
  const distillations = results.distillations.map((report) =>
    `  ${labelOf(report.studentId)} from ${labelOf(report.teacherId)}: ` +
    `compression ${report.compressionRatio === null ? 'n/a' : `${report.compressionRatio.toFixed(2)}x`}  ` +
    `accuracy drop ${signedPoints(report.accuracyDrop)}  ` +
    `distillation gain ${report.baselineId === null ? 'n/a (no baseline)' : signedPoints(report.distillationGain)}`);
  const ensembles = (results.ensembles ?? []).map((ensemble) =>
    `  ${ensemble.label} (${ensemble.members.map(labelOf).join(' + ')}): test ${percent(ensemble.testAccuracy)}  ` +
    `validation ${percent(ensemble.validationAccuracy)}  params ${ensemble.params.toLocaleString('en')}`);
  return [
    `Results of '${results.experimentName}' on ${results.backend} (${results.trainCount} training / ${results.testCount} test images):`,
    ...entries.map(row),
    ...(distillations.length > 0 ? ['Distillations:', ...distillations] : []),
    ...(ensembles.length > 0 ? ['Ensembles (averaged probabilities):', ...ensembles] : []),
  ].join('\n');
}
