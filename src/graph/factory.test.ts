import { describe, expect, it } from 'vitest';
import { createNode, paletteEntries } from './factory';
import { MODEL_ROLES } from './schema';

describe('model nodes for every role', () => {
  it('the palette offers a teacher, an assistant, a student and a peer', () => {
    const models = paletteEntries().filter((entry) => entry.kind === 'model');
    expect(models.map((entry) => [entry.key, entry.label, entry.options.role])).toEqual([
      ['teacher', 'Teacher', 'teacher'], ['assistant', 'Assistant', 'assistant'], ['student', 'Student', 'student'], ['peer', 'Peer', 'peer'],
    ]);
    for (const entry of models) expect(entry.description).not.toBe('');
  });

  it('a new model is labelled and named by its role; only a teacher has its own training settings', () => {
    for (const role of MODEL_ROLES) {
      const node = createNode('model', { role, existingIds: [`${role}-1`] });
      expect(node.id).toBe(`${role}-2`);
      expect(node.label).toBe(role[0].toUpperCase() + role.slice(1));
      expect(node.params.role).toBe(role);
      expect(node.params.teacherTraining !== undefined).toBe(role === 'teacher');
      expect(node.params.architecture.layers.length).toBeGreaterThan(0);
    }
  });
});
