import { describe, expect, it } from 'vitest';
import { architecturePresets, getArchitecturePreset, presetTapPairs } from './presets';
import { layerOutputShape, summarizeArchitecture } from './shapes';
import { checkAdapterPlan } from './adapters';

const shapeOf = (presetId: string, layerId: string) => layerOutputShape(architecturePresets[presetId], layerId);

describe('architecture presets', () => {
  it('are all valid, end in 10 logits and take MNIST input', () => {
    for (const spec of Object.values(architecturePresets)) {
      expect(summarizeArchitecture(spec).outputShape).toEqual([10]);
      expect(spec.inputShape).toEqual([28, 28, 1]);
    }
  });

  it('keep Hinton\'s dropout (0.2 input, 0.5 hidden) and the article\'s 50-unit student', () => {
    const rates = architecturePresets['hinton-teacher'].layers.flatMap((l) => (l.kind === 'dropout' ? [l.rate] : []));
    expect(rates).toEqual([0.2, 0.5, 0.5]);
    expect(architecturePresets['hinton-student'].layers.some((l) => l.kind === 'dropout')).toBe(false);
    const units = architecturePresets['article-student'].layers.flatMap((l) => (l.kind === 'dense' ? [l.units] : []));
    expect(units).toEqual([50, 50, 10]);
  });

  it('count the CNNs as by hand', () => {
    const conv = (k: number, cin: number, cout: number) => k * k * cin * cout + cout;
    const bn = (c: number) => 4 * c;
    expect(summarizeArchitecture(architecturePresets['cnn-teacher']).params).toBe(
      conv(3, 1, 8) + bn(8) + conv(3, 8, 8) + bn(8) + conv(3, 8, 8) + bn(8) + conv(3, 8, 16) + bn(16)
      + (3 * 3 * 16 * 128 + 128) + (128 * 10 + 10),
    );
    expect(summarizeArchitecture(architecturePresets['cnn-student']).params).toBe(
      conv(3, 1, 4) + bn(4) + conv(3, 4, 8) + bn(8) + conv(3, 8, 8) + bn(8) + (7 * 7 * 8 * 10 + 10),
    );
  });

  it('offer tap pairs that fit their methods', () => {
    for (const pairs of presetTapPairs) {
      for (const { teacherLayerId, studentLayerId } of pairs.attention) {
        expect(shapeOf(pairs.student, studentLayerId).slice(0, 2)).toEqual(shapeOf(pairs.teacher, teacherLayerId).slice(0, 2));
      }
      for (const { teacherLayerIds, studentLayerIds } of pairs.fsp) {
        const [t1, t2] = teacherLayerIds.map((id) => shapeOf(pairs.teacher, id));
        const [s1, s2] = studentLayerIds.map((id) => shapeOf(pairs.student, id));
        expect(t2.slice(0, 2)).toEqual(t1.slice(0, 2));
        expect(s2.slice(0, 2)).toEqual(s1.slice(0, 2));
        expect([s1[2], s2[2]]).toEqual([t1[2], t2[2]]);
      }
      for (const hint of pairs.hints) {
        const inputShape = shapeOf(pairs.student, hint.studentLayerId);
        const outputShape = shapeOf(pairs.teacher, hint.teacherLayerId);
        if (hint.adapter === null) {
          expect(inputShape).toEqual(outputShape);
        } else {
          expect(inputShape).not.toEqual(outputShape);
          expect(() => checkAdapterPlan({ id: 'a', kind: hint.adapter ?? 'dense', modelId: 'student', layerId: hint.studentLayerId, inputShape, outputShape }))
            .not.toThrow();
        }
      }
    }
  });

  it('hand out copies', () => {
    const copy = getArchitecturePreset('cnn-student');
    copy.layers.pop();
    expect(architecturePresets['cnn-student'].layers.at(-1)?.id).toBe('logits');
    expect(() => getArchitecturePreset('nope')).toThrow(/known presets: hinton-teacher/);
  });
});
