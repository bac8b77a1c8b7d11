import type { ExperimentFile } from './schema';

/** The largest seed a trainer accepts (the inspector's range). */
const MAX_SEED = 2 ** 31 - 1;

/**
 * The experiment with every trainer's seed moved on by `offset`: the baseline and the distilled
 * student start from another initialisation and data order, while the teacher keeps its own seed
 * (and so its cache key). Offset 0 is the experiment as drawn, so a seed sweep's first run is the
 * single run. Presets seed every trainer with 1, so offset k matches `--student-seed k+1` of the
 * headless runner.
 */
export function withStudentSeedOffset(file: ExperimentFile, offset: number): ExperimentFile {
  if (!Number.isInteger(offset) || offset < 0) throw new Error(`A seed offset is a whole number ≥ 0, not ${offset}.`);
  return {
    ...file,
    nodes: file.nodes.map((node) => {
      if (node.kind !== 'trainer') return node;
      const seed = node.params.seed + offset;
      if (seed > MAX_SEED) throw new Error(`${node.label}: seed ${node.params.seed} + ${offset} is past the largest seed, ${MAX_SEED}.`);
      return { ...node, params: { ...node.params, seed } };
    }),
  };
}
