import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_DATA_ROOT, nodeAssetReader } from '../../../scripts/lib/node-assets';
import { pytorchUnavailable } from '../../../scripts/lib/pytorch-bench';
import { gatherBatch } from '../../data/batches';
import { loadDataset } from '../../data/loader';
import type { LoadedDataset } from '../../data/types';
import { compileExperiment } from '../../graph/compile';
import { parseExperiment } from '../../graph/serialize';
import { getLoss } from '../../losses/registry';
import { buildAdapter } from '../../models/adapters';
import { buildModel, getLayerWeights, setLayerWeights } from '../../models/builder';
import type { LayerWeights } from '../../models/spec';
import { decodeWeights } from '../../models/weightsFile';
import { evaluateAccuracy } from '../../train/evaluate';
import { createOptimizer } from '../../train/optimizer';
import { modelPlan, type TrainingPlan } from '../../train/plan';
import { trainStep, type Network } from '../../train/step';
import { importWeightsFile } from './importWeights';
import { pytorchProjectFiles, weightsStem, type ProjectWeights } from './project';

/**
 * The generated PyTorch project, run for real with Debian's python3-torch (CI installs it): a few
 * steps on CPU, two ranks under torch.distributed.run (gloo), the first step's loss terms against
 * the studio's trainStep on the same weights and batch, and the trained checkpoint read back into
 * a tfjs model whose test accuracy is PyTorch's.
 */

const PYTHON = process.env.PYTORCH_PYTHON ?? '/usr/bin/python3';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const unavailable = pytorchUnavailable();
if (unavailable) console.warn(`SKIPPED: ${unavailable}; the PyTorch project tests did not run.`);

const TRAIN_IMAGES = 512;
const TEST_IMAGES = 500;
const folders: string[] = [];

interface Studio {
  plan: TrainingPlan;
  networks: Map<string, Network & { dispose(): void }>;
  adapters: Map<string, tf.LayersModel>;
  weights: Record<string, ProjectWeights>;
  adapterWeights: Record<string, LayerWeights[]>;
}

function readWeights(stem: string): LayerWeights[] {
  return decodeWeights(JSON.parse(readFileSync(`${stem}.json`, 'utf8')), readFileSync(`${stem}.bin`), stem);
}

/** The preset compiled, on a tiny subset, with its networks built as the studio builds them: shipped teacher, seeded student and adapters. */
function studioSide(preset: string): Studio {
  const plan = compileExperiment(parseExperiment(readFileSync(path.join(ROOT, 'public', 'presets', preset), 'utf8')));
  plan.dataset = { ...plan.dataset, trainSubset: TRAIN_IMAGES, testSubset: TEST_IMAGES };
  const networks: Studio['networks'] = new Map();
  const weights: Record<string, ProjectWeights> = {};
  for (const model of plan.models) {
    if (model.baselineOf !== undefined) continue;
    const built = buildModel(model.architecture, { taps: model.taps, seed: model.seed });
    const teacherPhase = plan.phases.find((phase) => phase.kind === 'teacher' && phase.trains.includes(model.id));
    if (teacherPhase?.cacheKey !== undefined) {
      const shipped = readWeights(path.join(ROOT, 'public', 'teachers', teacherPhase.cacheKey));
      setLayerWeights(built, shipped);
      weights[model.id] = { layers: shipped, trained: true };
    } else {
      weights[model.id] = { layers: getLayerWeights(built, model.architecture), trained: false };
    }
    networks.set(model.id, { model: built, taps: model.taps, dispose: () => built.dispose() });
  }
  const adapters = new Map<string, tf.LayersModel>();
  const adapterWeights: Record<string, LayerWeights[]> = {};
  plan.adapters.forEach((adapterPlan, index) => {
    const adapter = buildAdapter(adapterPlan, modelPlan(plan, adapterPlan.modelId).seed + 1 + index);
    adapters.set(adapterPlan.id, adapter);
    adapterWeights[adapterPlan.id] = [{
      layerId: adapterPlan.id,
      tensors: adapter.getLayer(adapterPlan.id).getWeights().map((t) => ({ shape: [...t.shape], values: Float32Array.from(t.dataSync()) })),
    }];
  });
  return { plan, networks, adapters, weights, adapterWeights };
}

function writeProject(studio: Studio): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pytorch-project-'));
  folders.push(folder);
  for (const file of pytorchProjectFiles({ plan: studio.plan, weights: studio.weights, adapterWeights: studio.adapterWeights })) {
    mkdirSync(path.dirname(path.join(folder, file.path)), { recursive: true });
    writeFileSync(path.join(folder, file.path), file.data);
  }
  return folder;
}

function runPython(folder: string, args: string[]): void {
  const result = spawnSync(PYTHON, args, { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

interface LogRecord { phase: string; stage: number; step: number; terms?: Record<string, number>; indices?: number[]; world?: number }

function readLog(out: string): LogRecord[] {
  return readFileSync(path.join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as LogRecord);
}

/** The studio's weighted loss terms of the first step of the plan's first distillation stage, on the batch PyTorch drew. */
async function studioFirstStep(studio: Studio, data: LoadedDataset, indices: number[]): Promise<Record<string, number>> {
  const phase = studio.plan.phases.find((candidate) => candidate.kind === 'student');
  if (!phase) throw new Error('no distillation phase');
  const stage = phase.stages[0];
  const batch = gatherBatch(data.train, data.info, indices);
  const variables = phase.trains.flatMap((id) => (studio.networks.get(id) as Network).model.trainableWeights.map((w) => w.read() as tf.Variable));
  const optimizer = createOptimizer(stage.settings);
  try {
    const outcome = await trainStep(
      { networks: studio.networks, trains: phase.trains, adapters: studio.adapters },
      stage.terms.map(({ term }) => ({ plan: term, definition: getLoss(term.lossId), weight: term.weight })),
      batch, variables, optimizer, stage.settings.learningRate, 0,
    );
    return outcome.terms;
  } finally {
    optimizer.dispose();
    tf.dispose([batch.xs, batch.ys]);
  }
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)('the exported PyTorch project', () => {
  it.each([
    ['hinton-mnist.json', 'student'],
    ['cnn-mnist-at.json', 'student'],
    ['fitnet-mnist.json', 'student'],
  ])('%s: trains on CPU, its first step equals the studio\'s, and its checkpoint re-imports', async (preset, studentId) => {
    const studio = studioSide(preset);
    const data = await loadDataset(studio.plan.dataset, nodeAssetReader());
    const folder = writeProject(studio);
    const out = path.join(folder, 'runs', 'cpu');
    runPython(folder, ['train.py', '--device', 'cpu', '--data-dir', DEFAULT_NODE_DATA_ROOT, '--out', out, '--max-steps', '3']);

    const log = readLog(out);
    const first = log.find((record) => record.indices !== undefined);
    if (!first?.terms || !first.indices) throw new Error('the log has no first step');
    expect(first.indices).toHaveLength(studio.plan.phases.find((p) => p.kind === 'student')?.stages[0].settings.batchSize ?? 0);
    // The studio's step on the same initial weights and the same images (it updates the studio's student afterwards).
    const expected = await studioFirstStep(studio, data, first.indices);
    expect(Object.keys(first.terms).sort()).toEqual(Object.keys(expected).sort());
    for (const [nodeId, value] of Object.entries(expected)) {
      expect(Math.abs(first.terms[nodeId] - value), `${nodeId}: PyTorch ${first.terms[nodeId]}, studio ${value}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(value)));
    }

    // The checkpoint, read back into a fresh tfjs student, scores PyTorch's test accuracy.
    const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as Record<string, { testAccuracy: number; trained: boolean }>;
    expect(results[studentId].trained).toBe(true);
    const student = modelPlan(studio.plan, studentId);
    const reimported = buildModel(student.architecture, { taps: [], seed: 99 });
    try {
      const stem = path.join(out, 'checkpoints', weightsStem(studentId));
      setLayerWeights(reimported, importWeightsFile(student.architecture, JSON.parse(readFileSync(`${stem}.json`, 'utf8')), readFileSync(`${stem}.bin`), stem));
      const accuracy = await evaluateAccuracy(reimported, data.test, data.info);
      expect(Math.abs(accuracy - results[studentId].testAccuracy)).toBeLessThanOrEqual(1 / TEST_IMAGES);
    } finally {
      reimported.dispose();
      for (const network of studio.networks.values()) network.dispose();
      for (const adapter of studio.adapters.values()) adapter.dispose();
    }
  }, 240_000);

  it('runs under torch.distributed.run on two gloo ranks; rank 0 writes the checkpoint', () => {
    const studio = studioSide('hinton-mnist.json');
    const folder = writeProject(studio);
    const out = path.join(folder, 'runs', 'ddp');
    try {
      // torch 1.13's launcher on Python 3.11 reads the default '--redirects 0 --tee 0' as None (IntFlag no longer
      // lists NONE) and crashes; tee-ing stderr (2) avoids that value and changes nothing else here.
      runPython(folder, ['-m', 'torch.distributed.run', '--nproc_per_node', '2', '--master_port', '29517', '--redirects', '2', '--tee', '2', 'train.py',
        '--device', 'cpu', '--data-dir', DEFAULT_NODE_DATA_ROOT, '--out', out, '--max-steps', '2']);
    } finally {
      for (const network of studio.networks.values()) network.dispose();
    }
    for (const rank of [0, 1]) {
      const report = JSON.parse(readFileSync(path.join(out, `rank${rank}.json`), 'utf8')) as { world: number; results: Record<string, unknown> };
      expect(report.world).toBe(2);
      expect(Object.keys(report.results)).toContain('student');
    }
    const steps = readLog(out).filter((record) => record.terms !== undefined);
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((record) => record.world === 2)).toBe(true);
    // Each rank takes half of the studio's batch of 64.
    expect(steps[0].indices).toHaveLength(32);
    expect(existsSync(path.join(out, 'checkpoints', 'student.bin'))).toBe(true);
  }, 240_000);
});
