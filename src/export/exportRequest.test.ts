import { describe, expect, it } from 'vitest';
import { buildPresetExperiment } from '../graph/presetExperiments';
import type { ExperimentFile } from '../graph/schema';
import type { TrainedModel } from '../protocol';
import { exportSettingsOf, studentOf, trainedStudentMismatch } from './exportRequest';

const article = buildPresetExperiment('article-mnist.json');

function trainedIn(experiment: ExperimentFile, modelId?: string): TrainedModel {
  const { modelId: id, spec, datasetId } = studentOf(experiment, modelId);
  const role = id.endsWith('/baseline') ? 'baseline' : 'student';
  return { modelId: id, label: role === 'baseline' ? 'Baseline' : 'Student', role, experimentName: experiment.name, spec: structuredClone(spec), datasetId, weights: [] };
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
    expect(message).toContain('This is "Student", trained in "');
    expect(message).toContain('not in the experiment now open');
  });

  it('says when the student was edited, its data set changed or it is gone', () => {
    const trained = trainedIn(article);
    const edited = withNodes(article, (node) => (node.kind === 'model' && node.params.role === 'student'
      ? { ...node, params: { ...node.params, architecture: { ...node.params.architecture, layers: node.params.architecture.layers.slice(1) } } }
      : node));
    expect(trainedStudentMismatch(trained, edited)).toContain('"Student" was edited in the graph after it was trained');

    const otherData = withNodes(article, (node) => (node.kind === 'dataset' ? { ...node, params: { ...node.params, datasetId: 'fashion-mnist' } } : node));
    expect(trainedStudentMismatch(trained, otherData)).toContain('"Student" was trained on mnist, the graph now uses fashion-mnist');

    const noStudent = { ...article, nodes: article.nodes.filter((node) => !(node.kind === 'model' && node.params.role === 'student')) };
    expect(trainedStudentMismatch(trained, noStudent)).toContain("The graph has no model 'student' or no data set any more");
  });

  it('compares a baseline with the model it is the twin of', () => {
    const baseline = trainedIn(article, 'student/baseline');
    expect(baseline).toMatchObject({ modelId: 'student/baseline', spec: studentOf(article).spec });
    expect(trainedStudentMismatch(baseline, article)).toBeNull();
  });
});

describe('studentOf: the exported model', () => {
  it('is the model the Export node takes, else the first student, else the one asked for by id', () => {
    expect(studentOf(article).modelId).toBe('student');
    expect(studentOf(article, 'teacher')).toMatchObject({ modelId: 'teacher', datasetId: 'mnist' });
    const teacherSpec = studentOf(article, 'teacher').spec;
    const exportingTeacher: ExperimentFile = {
      ...article,
      nodes: [...article.nodes, { id: 'export', kind: 'export', label: 'Export', position: { x: 0, y: 0 }, params: exportSettingsOf(article) }],
      edges: [...article.edges, { id: 'e-export', source: 'teacher', sourcePort: 'layers', target: 'export', targetPort: 'model' }],
    };
    expect(studentOf(exportingTeacher)).toEqual({ modelId: 'teacher', spec: teacherSpec, datasetId: 'mnist' });
    expect(() => studentOf(article, 'nobody')).toThrowError("The experiment needs the model 'nobody' and a Dataset node");
  });
});
