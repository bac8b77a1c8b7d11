import { describe, expect, it } from 'vitest';
import { MIN_STEPS_FOR_ESTIMATE, ProgressTracker } from './progress';

function clocked() {
  let ms = 0;
  const tracker = new ProgressTracker(() => ms);
  const steps = (phase: 'teacher' | 'baseline' | 'student', count: number, secondsEach: number): void => {
    for (let i = 0; i < count; i += 1) {
      ms += secondsEach * 1000;
      tracker.stepDone(phase);
    }
  };
  return { tracker, steps };
}

describe('ProgressTracker', () => {
  it('weighs each phase\'s steps by their cost: a costly teacher does not make the students look long', () => {
    const { tracker, steps } = clocked();
    tracker.plan('teacher', 10, 100);
    tracker.plan('student', 100, 1);
    tracker.startPhase('teacher');
    expect(tracker.secondsLeft()).toBeNull();
    steps('teacher', MIN_STEPS_FOR_ESTIMATE - 1, 1);
    expect(tracker.secondsLeft()).toBeNull();
    steps('teacher', 5 - (MIN_STEPS_FOR_ESTIMATE - 1), 1);
    // 5 of 1,100 units done per 5 s: 0.01 s per unit, 600 units left (500 teacher + 100 student).
    expect(tracker.fractionDone()).toBeCloseTo(500 / 1100, 12);
    expect(tracker.secondsLeft()).toBeCloseTo(6, 9);

    steps('teacher', 5, 1);
    tracker.startPhase('student');
    steps('student', 10, 0.02);
    // The student's own pace (0.02 s per unit) now sets the estimate for its 90 steps left.
    expect(tracker.fractionDone()).toBeCloseTo(1010 / 1100, 12);
    expect(tracker.secondsLeft()).toBeCloseTo(1.8, 9);
    steps('student', 90, 0.02);
    expect(tracker.fractionDone()).toBe(1);
    expect(tracker.secondsLeft()).toBe(0);
  });

  it('counts steps alike when no costs are given, and forgets dropped phases', () => {
    const { tracker, steps } = clocked();
    tracker.plan('teacher', 50);
    tracker.plan('baseline', 30);
    tracker.plan('student', 20);
    tracker.drop('teacher');
    tracker.startPhase('baseline');
    steps('baseline', 10, 0.5);
    expect(tracker.fractionDone()).toBeCloseTo(10 / 50, 12);
    expect(tracker.secondsLeft()).toBeCloseTo(40 * 0.5, 9);
    expect(() => tracker.plan('student', 20, 0)).toThrowError('must be positive');
  });

  it('extends a planned phase by steps found when it starts (a loss module\'s pre-training); an unplanned phase stays unestimated', () => {
    const { tracker, steps } = clocked();
    tracker.plan('student', 20);
    tracker.extend('student', 30);
    tracker.extend('teacher', 10);
    tracker.startPhase('student');
    steps('student', 10, 1);
    expect(tracker.fractionDone()).toBeCloseTo(10 / 50, 12);
    expect(tracker.secondsLeft()).toBeCloseTo(40, 9);
  });
});
