import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileExperiment } from '../graph/compile';
import { buildPresetExperiment } from '../graph/presetExperiments';
import type { ImportedTeacher, NodeOf } from '../graph/schema';
import { ExperimentFileError, parseExperiment, serializeExperiment } from '../graph/serialize';
import { importedWeightsKey } from './importedTeacher';
import { convertOnnxTeacher } from './onnxToSpec';

/**
 * The experiment file side of an imported teacher: ModelParams.imported saves and opens, files
 * without it are unchanged, a damaged field is a located file problem, and the compiled plan
 * restores the teacher from its stored weights instead of training it.
 */

const imported: ImportedTeacher = {
  format: 'onnx', fileName: 'mnist-torch-teacher.onnx', sha256: 'ab'.repeat(32), weightsKey: importedWeightsKey('ab'.repeat(32), [28, 28, 1]),
  opset: 13, producer: 'pytorch 1.13.0', maxAbsDiff: 2.9e-6, parityImages: 100,
};

function withImportedTeacher() {
  const experiment = buildPresetExperiment('hinton-mnist.json');
  const teacher = experiment.nodes.find((node) => node.id === 'teacher') as NodeOf<'model'>;
  const { spec } = convertOnnxTeacher(new Uint8Array(readFileSync('e2e/fixtures/mnist-torch-teacher.onnx')), { shape: [28, 28, 1], classes: 10 });
  teacher.params = { ...teacher.params, architecture: spec, imported };
  return experiment;
}

describe('an imported teacher in the experiment file', () => {
  it('saves and opens unchanged; a preset without it serialises exactly as before', () => {
    const experiment = withImportedTeacher();
    const reopened = parseExperiment(serializeExperiment(experiment));
    expect(reopened).toEqual(experiment);
    const plain = buildPresetExperiment('hinton-mnist.json');
    expect(serializeExperiment(parseExperiment(serializeExperiment(plain)))).toBe(serializeExperiment(plain));
    expect(serializeExperiment(plain)).not.toContain('imported');
  });

  it('refuses a damaged imported field with its path', () => {
    const raw = JSON.parse(serializeExperiment(withImportedTeacher()));
    raw.nodes.find((node: { id: string }) => node.id === 'teacher').params.imported.opset = 'thirteen';
    expect(() => parseExperiment(raw)).toThrow(ExperimentFileError);
    expect(() => parseExperiment(raw)).toThrow(/imported\.opset/);
  });

  it('compiles to a teacher phase restored from the stored weights', () => {
    const phase = compileExperiment(withImportedTeacher()).phases.find((candidate) => candidate.kind === 'teacher');
    expect(phase?.cacheKey).toBe(imported.weightsKey);
    expect(phase?.importedFile).toBe('mnist-torch-teacher.onnx');
    const plainPhase = compileExperiment(buildPresetExperiment('hinton-mnist.json')).phases.find((candidate) => candidate.kind === 'teacher');
    expect(plainPhase?.importedFile).toBeUndefined();
    expect(plainPhase?.cacheKey).toMatch(/^teacher-/);
  });
});
