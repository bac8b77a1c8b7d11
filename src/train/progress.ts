import type { ProgressEvent } from '../protocol';
import type { RunPhase } from './plan';

/**
 * Counts steps over every phase of a run and estimates the time left from the measured time per
 * step of the phase in progress (later phases are assumed to cost the same per step; the estimate
 * corrects itself as soon as they start).
 */

export const MIN_STEPS_FOR_ESTIMATE = 3;

export class ProgressTracker {
  private readonly plannedSteps = new Map<RunPhase, number>();
  private readonly doneSteps = new Map<RunPhase, number>();
  private phaseStartedAt = 0;
  private phaseStepsAtStart = 0;
  private currentPhase: RunPhase | null = null;

  constructor(private readonly now: () => number) {}

  /** Declares (or re-declares, e.g. after a teacher-cache hit) a phase's total steps. */
  plan(phase: RunPhase, steps: number): void {
    this.plannedSteps.set(phase, steps);
    if (!this.doneSteps.has(phase)) this.doneSteps.set(phase, 0);
  }

  /** A phase that will not run (skipped, or its model came from the cache). */
  drop(phase: RunPhase): void {
    this.plannedSteps.delete(phase);
    this.doneSteps.delete(phase);
  }

  startPhase(phase: RunPhase): void {
    this.currentPhase = phase;
    this.phaseStartedAt = this.now();
    this.phaseStepsAtStart = this.doneSteps.get(phase) ?? 0;
  }

  stepDone(phase: RunPhase): void {
    this.doneSteps.set(phase, (this.doneSteps.get(phase) ?? 0) + 1);
  }

  get totalSteps(): number {
    let total = 0;
    for (const steps of this.plannedSteps.values()) total += steps;
    return total;
  }

  get completedSteps(): number {
    let done = 0;
    for (const steps of this.doneSteps.values()) done += steps;
    return done;
  }

  fractionDone(): number {
    const total = this.totalSteps;
    return total > 0 ? Math.min(1, this.completedSteps / total) : 0;
  }

  secondsLeft(): number | null {
    if (this.currentPhase === null) return null;
    const stepsThisPhase = (this.doneSteps.get(this.currentPhase) ?? 0) - this.phaseStepsAtStart;
    if (stepsThisPhase < MIN_STEPS_FOR_ESTIMATE) return null;
    const secondsPerStep = (this.now() - this.phaseStartedAt) / 1000 / stepsThisPhase;
    return Math.max(0, (this.totalSteps - this.completedSteps) * secondsPerStep);
  }

  event(fields: Omit<ProgressEvent, 'type' | 'fractionDone' | 'secondsLeft'>): ProgressEvent {
    return { type: 'progress', ...fields, fractionDone: this.fractionDone(), secondsLeft: this.secondsLeft() };
  }
}
