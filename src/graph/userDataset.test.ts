import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registerUserDataset, unregisterUserDataset } from '../data/registry';
import type { DatasetInfo } from '../data/types';
import { parseExperiment } from './serialize';
import { validateGraph } from './validate';

/** The graph checks on a Dataset node that names images imported in a browser (src/data/userImages/). */

const hinton = () => parseExperiment(readFileSync('public/presets/hinton-mnist.json', 'utf8'));

function withDataset(datasetId: string) {
  const file = hinton();
  return { ...file, nodes: file.nodes.map((node) => (node.kind === 'dataset' ? { ...node, params: { ...node.params, datasetId, trainSubset: null, testSubset: null, validationSize: 3 } } : node)) };
}

const flowers: DatasetInfo = {
  id: 'user:flowers-0123456789', label: 'flowers', shape: [32, 32, 3], classes: 3, classNames: ['daisy', 'rose', 'tulip'],
  normalization: { mean: [0.5, 0.4, 0.3], std: [0.2, 0.2, 0.2] }, trainCount: 30, testCount: 6, citation: 'Your images',
  userImport: { source: 'flowers.zip', validationCount: 3 },
};

describe('a user dataset in the graph checks', () => {
  it('is a problem with the remedy when this browser does not have it', () => {
    const problems = validateGraph(withDataset(flowers.id)).filter((p) => p.detail?.code === 'userDatasetMissing');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('import the images again');
  });

  it('once registered, flags models whose input shape or classes do not match it', () => {
    registerUserDataset(flowers);
    try {
      const problems = validateGraph(withDataset(flowers.id));
      expect(problems.some((p) => p.detail?.code === 'userDatasetMissing')).toBe(false);
      expect(problems.filter((p) => p.detail?.code === 'outputUnits').map((p) => p.detail)).toContainEqual(
        { code: 'outputUnits', units: 10, classes: 3, dataset: flowers.id });
      expect(problems.some((p) => p.message.includes('expects images [28, 28, 1] but the dataset gives [32, 32, 3]'))).toBe(true);
    } finally {
      unregisterUserDataset(flowers.id);
    }
  });
});
