import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../../src/graph/compile';
import { buildPresetExperiment } from '../../src/graph/presetExperiments';
import type { TrainingPlan } from '../../src/train/plan';
import { teacherPhases } from './teacher-phases';

const plan = compileExperiment(buildPresetExperiment('hinton-mnist.json'));
const teacherPhase = plan.phases.find((phase) => phase.kind === 'teacher')!;

describe('teacherPhases', () => {
  it('gives each teacher phase with its cache key', () => {
    expect(teacherPhases(plan)).toEqual([{ modelId: 'teacher', label: plan.models.find((m) => m.id === 'teacher')!.label, cacheKey: teacherPhase.cacheKey }]);
    expect(teacherPhase.cacheKey).toMatch(/^teacher-[0-9a-f]+$/);
  });

  it('lists several teachers in plan order and picks one by --model, naming them when the id is not one', () => {
    const twoTeachers: TrainingPlan = {
      ...plan,
      models: [...plan.models, { ...plan.models[0], id: 'second', label: 'Second teacher' }],
      phases: [...plan.phases, { ...teacherPhase, id: 'teacher:second', trains: ['second'], cacheKey: 'teacher-2' }],
    };
    expect(teacherPhases(twoTeachers).map((t) => [t.modelId, t.cacheKey])).toEqual([['teacher', teacherPhase.cacheKey], ['second', 'teacher-2']]);
    expect(teacherPhases(twoTeachers, 'second')).toEqual([{ modelId: 'second', label: 'Second teacher', cacheKey: 'teacher-2' }]);
    expect(() => teacherPhases(twoTeachers, 'student')).toThrowError("'student' is not a teacher of 'Hinton KD on MNIST' (teachers: teacher, second).");
  });
});
