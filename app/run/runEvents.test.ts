import { describe, expect, it } from 'vitest';
import type { EpochMetrics, HeatmapPair, StepMetrics, TrainedModel, TrainWorkerMessage } from '../../src/protocol';
import type { PhaseKind, TrainingPlan } from '../../src/train/plan';
import { initialRunData, type RunData } from '../store/runSlice';
import { appendLossPoint, applyRunMessages, emptyLossSeries, MAX_LOSS_POINTS } from './runEvents';

const runId = 'run-1';

function runningState(): RunData {
  return { ...initialRunData(), status: 'running', runId };
}

const PHASE_KINDS: Record<string, PhaseKind> = { 'teacher:teacher': 'teacher', 'baseline:student': 'baseline', 'distill:trainer': 'student', 'distill:dml': 'student' };

function step(n: number, phaseId = 'distill:trainer'): StepMetrics {
  return { type: 'step', phaseId, kind: PHASE_KINDS[phaseId] ?? 'student', stageIndex: 0, step: n, epoch: 1, terms: { ce: 1 / n, kd: 2 / n }, total: 3 / n, metrics: {} };
}

function epoch(modelId: string, phaseId: string, testAccuracy: number): EpochMetrics & { runId: string } {
  return { type: 'epoch', phaseId, kind: PHASE_KINDS[phaseId] ?? 'student', modelId, stageIndex: 0, epoch: 1, trainAccuracy: testAccuracy + 0.05, validationAccuracy: testAccuracy, testAccuracy, runId };
}

function trained(modelId: string, role: TrainedModel['role']): TrainedModel {
  return { modelId, label: modelId, role, experimentName: 'DML', spec: { name: modelId, inputShape: [28, 28, 1], layers: [] }, datasetId: 'mnist', weights: [] };
}

/** Just what the fold reads of a plan: the phases' ids, kinds and labels. */
const plan = {
  phases: [
    { id: 'teacher:teacher', kind: 'teacher', label: 'Teacher' },
    { id: 'distill:trainer', kind: 'student', label: 'Student' },
  ],
} as unknown as TrainingPlan;

describe('applyRunMessages', () => {
  it('ignores messages of another run', () => {
    const state = runningState();
    const next = applyRunMessages(state, [{ type: 'status', state: 'finished', runId: 'old-run' }]);
    expect(next).toBe(state);
  });

  it('keeps log lines in order, marking warnings, and only the latest 200', () => {
    const messages: TrainWorkerMessage[] = [
      { type: 'log', message: 'Data: 256 training images.', runId },
      { type: 'log', message: 'The pretrained teacher could not be read; training the teacher instead.', warning: true, runId },
      ...Array.from({ length: 250 }, (_, i): TrainWorkerMessage => ({ type: 'log', message: `line ${i}`, runId })),
    ];
    const early = applyRunMessages(runningState(), messages.slice(0, 2));
    expect(early.log).toEqual([
      { message: 'Data: 256 training images.', warning: false },
      { message: 'The pretrained teacher could not be read; training the teacher instead.', warning: true },
    ]);
    const all = applyRunMessages(runningState(), messages);
    expect(all.log).toHaveLength(200);
    expect(all.log.at(-1)).toEqual({ message: 'line 249', warning: false });
  });

  it('records backend, steps per phase with their labels, epochs per model, results and the final status', () => {
    const messages: TrainWorkerMessage[] = [
      { type: 'backend', backend: 'webgl', reason: 'chosen', runId },
      { ...step(1, 'teacher:teacher'), runId },
      { ...step(2, 'teacher:teacher'), runId },
      { ...step(1, 'distill:trainer'), runId },
      epoch('teacher', 'teacher:teacher', 0.45),
      { type: 'status', state: 'finished', runId },
    ];
    const next = applyRunMessages({ ...runningState(), plan }, messages);
    expect(next.backend).toEqual({ name: 'webgl', reason: 'chosen' });
    expect(Object.keys(next.lossSeries)).toEqual(['teacher:teacher', 'distill:trainer']);
    expect(next.lossSeries['teacher:teacher']).toMatchObject({ kind: 'teacher', label: 'Teacher' });
    expect(next.lossSeries['teacher:teacher'].points.map((p) => p.step)).toEqual([1, 2]);
    expect(next.lossSeries['distill:trainer'].points[0].terms).toEqual({ ce: 1, kd: 2 });
    expect(next.lossSeries['baseline:student']).toBeUndefined();
    expect(Object.keys(next.epochMetrics)).toEqual(['teacher']);
    expect(next.epochMetrics.teacher.map((m) => m.testAccuracy)).toEqual([0.45]);
    expect(next.status).toBe('finished');
  });

  it('keeps the thread count wasm reports with its backend', () => {
    const next = applyRunMessages(runningState(), [{ type: 'backend', backend: 'wasm', reason: 'chosen', threads: 2, runId }]);
    expect(next.backend).toEqual({ name: 'wasm', reason: 'chosen', threads: 2 });
  });

  it('names a phase the plan does not know by its progress label', () => {
    const next = applyRunMessages(runningState(), [
      { ...step(1, 'baseline:student'), runId },
      {
        type: 'progress', phaseId: 'baseline:student', kind: 'baseline', phaseLabel: 'Baseline', stageIndex: 0, stageName: 'Baseline',
        epoch: 1, epochs: 1, step: 1, stepsTotal: 4, fractionDone: 0.25, secondsLeft: null, runId,
      },
    ]);
    expect(next.lossSeries['baseline:student']).toMatchObject({ phaseId: 'baseline:student', kind: 'baseline', label: 'Baseline' });
    expect(next.progress?.phaseLabel).toBe('Baseline');
  });

  it('folds a mutual-learning phase: two peers trained together give two epoch series and two trained models', () => {
    const messages: TrainWorkerMessage[] = [
      { ...step(1, 'distill:dml'), terms: { 'dml-a': 0.5, 'dml-b': 0.7 }, total: 1.2, runId },
      epoch('peer-a', 'distill:dml', 0.6),
      epoch('peer-b', 'distill:dml', 0.55),
      epoch('peer-a', 'distill:dml', 0.7),
      epoch('peer-b', 'distill:dml', 0.68),
      { type: 'weights', model: trained('peer-a', 'peer'), runId },
      { type: 'weights', model: trained('peer-b', 'peer'), runId },
      {
        type: 'phaseDone', phaseId: 'distill:dml', kind: 'student', label: 'Peer A + Peer B', fromCache: false, runId,
        models: [{ modelId: 'peer-a', testAccuracy: 0.7 }, { modelId: 'peer-b', testAccuracy: 0.68 }],
      },
    ];
    const next = applyRunMessages(runningState(), messages);
    expect(Object.keys(next.lossSeries)).toEqual(['distill:dml']);
    expect(next.lossSeries['distill:dml'].label).toBe('Peer A + Peer B');
    expect(next.epochMetrics['peer-a'].map((m) => m.testAccuracy)).toEqual([0.6, 0.7]);
    expect(next.epochMetrics['peer-b'].map((m) => m.testAccuracy)).toEqual([0.55, 0.68]);
    expect(Object.keys(next.trainedModels)).toEqual(['peer-a', 'peer-b']);
    expect(next.trainedModels['peer-b'].role).toBe('peer');
    expect(next.phasesDone.map((done) => done.models.length)).toEqual([2]);
  });

  it('records the last reported step of the phase in flight when the stop is confirmed', () => {
    const progress = (n: number): TrainWorkerMessage => ({
      type: 'progress', phaseId: 'distill:trainer', kind: 'student', phaseLabel: 'Student', stageIndex: 0, stageName: 'KD',
      epoch: 1, epochs: 2, step: n, stepsTotal: 8, fractionDone: n / 8, secondsLeft: null, runId,
    });
    const running = applyRunMessages(runningState(), [progress(2), progress(3)]);
    expect(running.stoppedAt).toBeNull();
    const stopped = applyRunMessages(running, [{ type: 'status', state: 'stopped', runId }]);
    expect(stopped.status).toBe('stopped');
    expect(stopped.stoppedAt).toEqual({ phaseId: 'distill:trainer', step: 3, stepsTotal: 8, epoch: 1, epochs: 2 });
  });

  it('keeps a reported error visible when the runner then says it stopped', () => {
    const next = applyRunMessages(runningState(), [
      { type: 'error', kind: 'diverged', message: 'KD became NaN', lossTerm: 'kd-1', runId },
      { type: 'status', state: 'stopped', runId },
    ]);
    expect(next.status).toBe('error');
    expect(next.error).toEqual({ kind: 'diverged', message: 'KD became NaN', problems: [], lossTerm: 'kd-1' });
  });

  it('keeps the FSP distance of every probe snapshot that has FSP pairs, per phase', () => {
    const pair: HeatmapPair = {
      id: 'fsp-1', label: 'FSP', teacherModel: 'teacher', studentModel: 'student', rows: 1, cols: 1, teacher: [[1]], student: [[0]], distance: 0.25,
    };
    const probe = {
      type: 'probe' as const, phaseId: 'distill:trainer', kind: 'student' as const, step: 10, logits: [], labels: [],
      images: [], imageShape: [28, 28, 1] as [number, number, number], attention: [], fsp: [pair], relations: [], runId,
    };
    const next = applyRunMessages(runningState(), [
      { ...probe, phaseId: 'baseline:student', kind: 'baseline', step: 5, fsp: [{ ...pair, distance: 0.5 }] },
      probe,
      { ...probe, step: 20, fsp: [{ ...pair, distance: 0.125 }] },
      { ...probe, step: 30, fsp: [] },
    ]);
    expect(next.fspHistory).toEqual({
      'baseline:student': [{ step: 5, distances: { 'fsp-1': 0.5 } }],
      'distill:trainer': [{ step: 10, distances: { 'fsp-1': 0.25 } }, { step: 20, distances: { 'fsp-1': 0.125 } }],
    });
    expect(next.probe?.step).toBe(30);
  });
});

describe('appendLossPoint', () => {
  it('thins a long series by doubling the stride, keeping multiples of it', () => {
    let series = emptyLossSeries('distill:trainer', 'student', 'Student');
    for (let n = 1; n <= MAX_LOSS_POINTS + 1; n++) series = appendLossPoint(series, step(n));
    expect(series.stride).toBe(2);
    expect(series.label).toBe('Student');
    expect(series.points).toHaveLength(Math.floor((MAX_LOSS_POINTS + 1) / 2));
    expect(series.points.every((p) => p.step % 2 === 0)).toBe(true);
    // Odd steps are now skipped, even ones kept.
    expect(appendLossPoint(series, step(MAX_LOSS_POINTS + 2)).points).toHaveLength(series.points.length + 1);
    expect(appendLossPoint(series, step(MAX_LOSS_POINTS + 3))).toBe(series);
  });
});
