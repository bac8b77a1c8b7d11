import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeAssetReader } from '../../scripts/lib/node-assets';
import { compileExperiment } from '../graph/compile';
import { installTrainingKernels } from '../models/training-kernels';
import { modelResultById } from '../results';
import { readResultsFile } from '../resultsFile';
import { RunControl } from './control';
import { runExperiment, type TrainEnv } from './runner';
import { EventLog, tinyPreset } from './testSupport';

/**
 * The born-again ensembles preset on a tiny real run: generation 2 learns from the ensemble of
 * generations 0 and 1, and both Ensemble nodes are reported with the accuracy of their average.
 */

// wasm, as the studio trains its presets.
beforeAll(async () => {
  await tf.setBackend('wasm');
  installTrainingKernels('wasm');
});

function env(log: EventLog): TrainEnv {
  return { readAsset: nodeAssetReader(), emit: log.emit, control: new RunControl(), backend: 'wasm', now: () => performance.now(), probeEverySteps: 100 };
}


describe('born-again ensembles in a real run', () => {
  it('generation 2 learns from the ensemble of 0 and 1; both ensembles are reported, the results file reads back, nothing leaks', async () => {
    const before = tf.memory().numTensors;
    const log = new EventLog();
    const results = await runExperiment(compileExperiment(tinyPreset('ban-ensemble-mnist.json')), { teacher: true, baseline: true, student: true }, env(log));
    expect(log.ofType('error')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);

    expect(results.models.map((model) => model.modelId)).toEqual(['gen0', 'gen1', 'gen2/baseline', 'gen2']);
    const kd = log.ofType('step').filter((step) => step.phaseId === 'distill:trainer-gen2').map((step) => step.terms['kd-gen2']);
    expect(kd).toHaveLength(4);
    expect(kd.every((value) => Number.isFinite(value) && value >= 0)).toBe(true);

    const paramsOf = (ids: string[]): number => ids.reduce((sum, id) => sum + modelResultById(results, id)!.params, 0);
    expect(results.ensembles?.map((ensemble) => [ensemble.ensembleId, ensemble.members, ensemble.params])).toEqual([
      ['ensemble-gen01', ['gen0', 'gen1'], paramsOf(['gen0', 'gen1'])],
      ['ensemble-all', ['gen0', 'gen1', 'gen2'], paramsOf(['gen0', 'gen1', 'gen2'])],
    ]);
    for (const ensemble of results.ensembles ?? []) {
      for (const accuracy of [ensemble.testAccuracy, ensemble.validationAccuracy]) {
        expect(accuracy).toBeGreaterThanOrEqual(0);
        expect(accuracy).toBeLessThanOrEqual(1);
      }
    }
    // The ensemble of 0 and 1 is evaluated as soon as generation 1 has trained, before generation 2's phase.
    const evaluated = log.events.findIndex((event) => event.type === 'log' && event.message.startsWith('Ensemble "Generations 0 + 1": test accuracy'));
    const gen2Starts = log.events.findIndex((event) => event.type === 'step' && event.phaseId === 'distill:trainer-gen2');
    expect(evaluated).toBeGreaterThan(-1);
    expect(evaluated).toBeLessThan(gen2Starts);
    expect(log.ofType('result').at(-1)!.results).toEqual(results);

    expect(readResultsFile(JSON.parse(JSON.stringify(results)))).toEqual(results);
  });

  it('a run that does not train every member reports no ensemble, and says so with an empty list', async () => {
    const log = new EventLog();
    const results = await runExperiment(compileExperiment(tinyPreset('ban-ensemble-mnist.json')), { teacher: true, baseline: false, student: false }, env(log));
    expect(results.models.map((model) => model.modelId)).toEqual(['gen0']);
    expect(results.ensembles).toEqual([]);
  });
});
