import type { ProgressEvent } from '../protocol';

/**
 * Counts steps over every phase of a run and estimates the time left. Phases differ a lot in cost
 * per step (a 2000-2000 teacher step costs about a hundred 50-50 student steps), so each phase is
 * planned with a relative cost per step (the runner uses training FLOPs per batch); the fraction
 * done and the time left weigh steps by it, and the seconds per unit of cost are measured in the
 * phase in progress. The estimate for later phases corrects itself as soon as they start.
 */

export const MIN_STEPS_FOR_ESTIMATE = 3;

export class ProgressTracker {
  private readonly plannedSteps = new Map<string, number>();
  private readonly costPerStep = new Map<string, number>();
  private readonly doneSteps = new Map<string, number>();
  private phaseStartedAt = 0;
  private phaseStepsAtStart = 0;
  private currentPhase: string | null = null;

  constructor(private readonly now: () => number) {}

  /** Declares (or re-declares, e.g. after a teacher-cache hit) a phase's total steps and their relative cost. */
  plan(phase: string, steps: number, costPerStep = 1): void {
    if (!(costPerStep > 0)) throw new Error(`A phase's cost per step must be positive, got ${costPerStep}.`);
    this.plannedSteps.set(phase, steps);
    this.costPerStep.set(phase, costPerStep);
    if (!this.doneSteps.has(phase)) this.doneSteps.set(phase, 0);
  }

  /** Adds steps to a planned phase (a loss module's pre-training, known once the phase builds it); an unplanned phase is not estimated, so stays so. */
  extend(phase: string, steps: number): void {
    const planned = this.plannedSteps.get(phase);
    if (planned !== undefined) this.plannedSteps.set(phase, planned + steps);
  }

  /** A phase that will not run (skipped, or its model came from the cache). */
  drop(phase: string): void {
    this.plannedSteps.delete(phase);
    this.costPerStep.delete(phase);
    this.doneSteps.delete(phase);
  }

  startPhase(phase: string): void {
    this.currentPhase = phase;
    this.phaseStartedAt = this.now();
    this.phaseStepsAtStart = this.doneSteps.get(phase) ?? 0;
  }

  stepDone(phase: string): void {
    this.doneSteps.set(phase, (this.doneSteps.get(phase) ?? 0) + 1);
  }

  /** Planned and done work, in steps weighted by their phase's cost. */
  private work(): { planned: number; done: number } {
    let planned = 0;
    let done = 0;
    for (const [phase, steps] of this.plannedSteps) {
      const cost = this.costPerStep.get(phase) ?? 1;
      planned += steps * cost;
      done += Math.min(steps, this.doneSteps.get(phase) ?? 0) * cost;
    }
    return { planned, done };
  }

  fractionDone(): number {
    const { planned, done } = this.work();
    return planned > 0 ? Math.min(1, done / planned) : 0;
  }

  secondsLeft(): number | null {
    if (this.currentPhase === null) return null;
    const stepsThisPhase = (this.doneSteps.get(this.currentPhase) ?? 0) - this.phaseStepsAtStart;
    if (stepsThisPhase < MIN_STEPS_FOR_ESTIMATE) return null;
    const cost = this.costPerStep.get(this.currentPhase) ?? 1;
    const secondsPerCost = (this.now() - this.phaseStartedAt) / 1000 / (stepsThisPhase * cost);
    const { planned, done } = this.work();
    return Math.max(0, (planned - done) * secondsPerCost);
  }

  event(fields: Omit<ProgressEvent, 'type' | 'fractionDone' | 'secondsLeft'>): ProgressEvent {
    return { type: 'progress', ...fields, fractionDone: this.fractionDone(), secondsLeft: this.secondsLeft() };
  }
}
