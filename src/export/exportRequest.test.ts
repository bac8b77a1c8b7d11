import { describe, expect, it } from 'vitest';
import { buildPresetExperiment } from '../graph/presetExperiments';
import type { ExperimentFile } from '../graph/schema';
import type { TrainedModel } from '../protocol';
import { studentOf, trainedStudentMismatch } from './exportRequest';

const article = buildPresetExperiment('article-mnist.json');

function trainedIn(experiment: ExperimentFile): TrainedModel {
  const { spec, datasetId } = studentOf(experiment);
  return { experimentName: experiment.name, spec: structuredClone(spec), datasetId, weights: [] };
}

/** The experiment with its student's and dataset's params changed by `patch`. */
function withNodes(experiment: ExperimentFile, patch: (node: ExperimentFile['nodes'][number]) => ExperimentFile['nodes'][number]): ExperimentFile {
  return { ...experiment, nodes: experiment.nodes.map(patch) };
}

describe('trainedStudentMismatch', () => {
  it('is null for the experiment and student that were trained, whatever the key order', () => {
    const trained = trainedIn(article);
    expect(trainedStudentMismatch(trained, article)).toBeNull();
    const reordered = { ...trained, spec: Object.fromEntries(Object.entries(trained.spec).reverse()) as TrainedModel['spec'] };
    expect(trainedStudentMismatch(reordered, article)).toBeNull();
  });

  it('names the experiment the student came from when another one is open', () => {
    const message = trainedStudentMismatch(trainedIn(buildPresetExperiment('hinton-mnist.json')), article);
    expect(message).toContain('trained in "');
    expect(message).toContain('not in the experiment now open');
  });

  it('says when the student was edited, its data set changed or it is gone', () => {
    const trained = trainedIn(article);
    const edited = withNodes(article, (node) => (node.kind === 'model' && node.params.role === 'student'
      ? { ...node, params: { ...node.params, architecture: { ...node.params.architecture, layers: node.params.architecture.layers.slice(1) } } }
      : node));
    expect(trainedStudentMismatch(trained, edited)).toContain('edited after it was trained');

    const otherData = withNodes(article, (node) => (node.kind === 'dataset' ? { ...node, params: { ...node.params, datasetId: 'fashion-mnist' } } : node));
    expect(trainedStudentMismatch(trained, otherData)).toContain('trained on mnist, the graph now uses fashion-mnist');

    const noStudent = { ...article, nodes: article.nodes.filter((node) => !(node.kind === 'model' && node.params.role === 'student')) };
    expect(trainedStudentMismatch(trained, noStudent)).toContain('no student or data set any more');
  });
});
