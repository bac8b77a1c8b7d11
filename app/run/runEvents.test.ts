import { describe, expect, it } from 'vitest';
import type { StepMetrics, TrainWorkerMessage } from '../../src/protocol';
import { initialRunData, type RunData } from '../store/runSlice';
import { appendLossPoint, applyRunMessages, MAX_LOSS_POINTS } from './runEvents';

const runId = 'run-1';

function runningState(): RunData {
  return { ...initialRunData(), status: 'running', runId };
}

function step(n: number, phase: StepMetrics['phase'] = 'student'): StepMetrics {
  return { type: 'step', phase, stageIndex: 0, step: n, epoch: 1, terms: { ce: 1 / n, kd: 2 / n }, total: 3 / n };
}

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

  it('records backend, steps per phase, epochs, results and the final status', () => {
    const messages: TrainWorkerMessage[] = [
      { type: 'backend', backend: 'webgl', reason: 'chosen', runId },
      { ...step(1, 'teacher'), runId },
      { ...step(2, 'teacher'), runId },
      { ...step(1, 'student'), runId },
      { type: 'epoch', phase: 'teacher', stageIndex: 0, epoch: 1, trainAccuracy: 0.5, validationAccuracy: 0.4, testAccuracy: 0.45, runId },
      { type: 'status', state: 'finished', runId },
    ];
    const next = applyRunMessages(runningState(), messages);
    expect(next.backend).toEqual({ name: 'webgl', reason: 'chosen' });
    expect(next.lossSeries.teacher.points.map((p) => p.step)).toEqual([1, 2]);
    expect(next.lossSeries.student.points[0].terms).toEqual({ ce: 1, kd: 2 });
    expect(next.lossSeries.baseline.points).toHaveLength(0);
    expect(next.epochMetrics).toHaveLength(1);
    expect(next.status).toBe('finished');
  });

  it('keeps a reported error visible when the runner then says it stopped', () => {
    const next = applyRunMessages(runningState(), [
      { type: 'error', kind: 'diverged', message: 'KD became NaN', lossTerm: 'kd-1', runId },
      { type: 'status', state: 'stopped', runId },
    ]);
    expect(next.status).toBe('error');
    expect(next.error).toEqual({ kind: 'diverged', message: 'KD became NaN', problems: [], lossTerm: 'kd-1' });
  });

  it('keeps the FSP distance of every probe snapshot that has FSP pairs', () => {
    const pair = { id: 'fsp-1', label: 'FSP', rows: 1, cols: 1, teacher: [[1]], student: [[0]], distance: 0.25 };
    const probe = {
      type: 'probe' as const, phase: 'student' as const, step: 10, teacherLogits: [], studentLogits: [], labels: [],
      images: [], imageShape: [28, 28, 1] as [number, number, number], attention: [], fsp: [pair], runId,
    };
    const next = applyRunMessages(runningState(), [probe, { ...probe, step: 20, fsp: [{ ...pair, distance: 0.125 }] }]);
    expect(next.fspHistory).toEqual([
      { phase: 'student', step: 10, distances: { 'fsp-1': 0.25 } },
      { phase: 'student', step: 20, distances: { 'fsp-1': 0.125 } },
    ]);
    expect(next.probe?.step).toBe(20);
  });
});

describe('appendLossPoint', () => {
  it('thins a long series by doubling the stride, keeping multiples of it', () => {
    let series = { stride: 1, points: [] as RunData['lossSeries']['teacher']['points'] };
    for (let n = 1; n <= MAX_LOSS_POINTS + 1; n++) series = appendLossPoint(series, step(n));
    expect(series.stride).toBe(2);
    expect(series.points).toHaveLength(Math.floor((MAX_LOSS_POINTS + 1) / 2));
    expect(series.points.every((p) => p.step % 2 === 0)).toBe(true);
    // Odd steps are now skipped, even ones kept.
    expect(appendLossPoint(series, step(MAX_LOSS_POINTS + 2)).points).toHaveLength(series.points.length + 1);
    expect(appendLossPoint(series, step(MAX_LOSS_POINTS + 3))).toBe(series);
  });
});
