import { describe, expect, it } from 'vitest';
import type { TrainingPlan } from '../../src/train/plan';
import { knownModels, labelLookup, modelColors, ROLE_COLORS, shadeOf } from './modelColors';

describe('modelColors', () => {
  it('colours by role and gives several models of one role distinct shades', () => {
    const colors = modelColors([
      { modelId: 'teacher', role: 'teacher' },
      { modelId: 'peer-a', role: 'peer' },
      { modelId: 'peer-b', role: 'peer' },
      { modelId: 'peer-c', role: 'peer' },
      { modelId: 'student/baseline', role: 'baseline' },
    ]);
    expect(colors.get('teacher')).toBe(ROLE_COLORS.teacher);
    expect(colors.get('peer-a')).toBe(ROLE_COLORS.peer);
    expect(colors.get('student/baseline')).toBe(ROLE_COLORS.baseline);
    const peers = ['peer-a', 'peer-b', 'peer-c'].map((id) => colors.get(id));
    expect(new Set(peers).size).toBe(3);
  });

  it('shades darker, then lighter, further each time', () => {
    expect(shadeOf('#808080', 0)).toBe('#808080');
    // 30 % of the way to black, then to white.
    expect(shadeOf('#808080', 1)).toBe('#5a5a5a');
    expect(shadeOf('#808080', 2)).toBe('#a6a6a6');
    expect(shadeOf('#808080', 3)).toBe('#333333');
  });
});

describe('knownModels', () => {
  it('lists the plan\'s models in plan order, then models only other sources name', () => {
    const plan = { models: [{ id: 't', label: 'Teacher', role: 'teacher' }, { id: 's', label: 'Student', role: 'student' }] } as unknown as TrainingPlan;
    const models = knownModels(plan, [{ modelId: 's', label: 'other label', role: 'student' }, { modelId: 'x', label: 'X', role: 'peer' }]);
    expect(models).toEqual([
      { modelId: 't', label: 'Teacher', role: 'teacher' },
      { modelId: 's', label: 'Student', role: 'student' },
      { modelId: 'x', label: 'X', role: 'peer' },
    ]);
    expect(['t', 'unknown'].map(labelLookup(models))).toEqual(['Teacher', 'unknown']);
  });
});
