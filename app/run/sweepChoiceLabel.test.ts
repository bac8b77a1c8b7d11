import { describe, expect, it } from 'vitest';
import { buildPresetExperiment } from '../../src/graph/presetExperiments';
import { sweepParameterChoices, sweepParameterId } from '../../src/graph/sweepVariants';
import { sweepChoiceLabel } from './sweepChoiceLabel';

describe('sweep parameter names in the page language', () => {
  it('are the core English labels in English, for every parameter of a preset', () => {
    for (const preset of ['hinton-mnist.json', 'fitnet-mnist.json']) {
      const experiment = buildPresetExperiment(preset);
      for (const choice of sweepParameterChoices(experiment)) {
        expect(sweepChoiceLabel(experiment, choice, 'en'), sweepParameterId(choice.parameter)).toBe(choice.label);
      }
    }
  });

  it('are Chinese in Chinese: only the user\'s node labels and symbols stay as typed', () => {
    const experiment = buildPresetExperiment('hinton-mnist.json');
    const labels = new Map(sweepParameterChoices(experiment).map((choice) => [sweepParameterId(choice.parameter), sweepChoiceLabel(experiment, choice, 'zh')]));
    const kd = experiment.nodes.find((node) => node.id === 'kd');
    expect(labels.get('lossParam:kd:T')).toBe(`${kd?.label}：温度 T`);
    expect(labels.get(`lossWeight:kd`)).toBe(`${kd?.label}：权重`);
    for (const preset of ['hinton-mnist.json', 'fitnet-mnist.json', 'prune-kd-mnist.json']) {
      const file = buildPresetExperiment(preset);
      for (const choice of sweepParameterChoices(file)) {
        const nodeLabel = file.nodes.find((node) => node.id === choice.parameter.nodeId)?.label ?? '';
        expect(sweepChoiceLabel(file, choice, 'zh').replace(nodeLabel, ''), `${preset} ${sweepParameterId(choice.parameter)}`).not.toMatch(/[A-Za-z]{3,}/);
      }
    }
  });
});
