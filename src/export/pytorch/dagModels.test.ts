import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NODE_DATA_ROOT, nodeAssetReader } from '../../../scripts/lib/node-assets';
import { pytorchUnavailable } from '../../../scripts/lib/pytorch-bench';
import { gatherBatch } from '../../data/batches';
import { loadDataset } from '../../data/loader';
import { createRng } from '../../data/rng';
import type { LoadedDataset } from '../../data/types';
import { compileExperiment } from '../../graph/compile';
import { parseExperiment } from '../../graph/serialize';
import { getLoss } from '../../losses/registry';
import { buildModel, getLayerWeights, setLayerWeights, trainableVariablesUpTo } from '../../models/builder';
import { cifarArchitecturePresets } from '../../models/cifarPresets';
import type { ArchitectureSpec, LayerWeights } from '../../models/spec';
import { encodeWeights } from '../../models/weightsFile';
import { evaluateAccuracy } from '../../train/evaluate';
import { createOptimizer } from '../../train/optimizer';
import { modelPlan, type TrainingPlan } from '../../train/plan';
import { trainStep, type Network } from '../../train/step';
import { normalisedImages, seededStudent, tfjsLogits } from '../export.testkit';
import { dataPy } from './dataPy';
import { importWeightsFile } from './importWeights';
import { lossesPy } from './lossesPy';
import { modelsPy } from './modelsPy';
import { pytorchProjectFiles, weightsStem, type ProjectWeights } from './project';
import { trainPy } from './trainPy';
import { weightsPy } from './weightsPy';

/**
 * The DAG architectures (residual adds, `from` branches, global average pooling, depthwise convs,
 * relu6/sigmoid, bias-free convs) through the PyTorch project's models.py and studio_weights.py,
 * run for real with Debian's python3-torch: the same weights give the same logits on real CIFAR-10
 * test images (read and normalised by the project's data.py), studio_weights.save reads back into
 * tfjs bit-exactly, and train.py's trainUpTo keeps the studio's variables.
 */

const PYTHON = process.env.PYTORCH_PYTHON ?? '/usr/bin/python3';
const unavailable = pytorchUnavailable();
if (unavailable) console.warn(`SKIPPED: ${unavailable}; the PyTorch DAG model tests did not run.`);

const IMAGES = 4;
const folders: string[] = [];
let cifar: LoadedDataset;

/** Every kind and wiring the presets leave out: a channel concat, explicit zero and -Infinity pads, biased depthwise and convs, 'valid' and asymmetric 'same' padding, a branch from the image, a three-way add, sigmoid, padded max pooling, flatten of a map. */
const mixed: ArchitectureSpec = {
  name: 'mixed-dag',
  inputShape: [32, 32, 3],
  layers: [
    { kind: 'conv2d', id: 'c1', filters: 8, kernelSize: 3, strides: 2, padding: 'same' },
    { kind: 'depthwiseConv2d', id: 'dw', kernelSize: 3, strides: 1, padding: 'same' },
    { kind: 'activation', id: 'sig', fn: 'sigmoid' },
    { kind: 'conv2d', id: 'c2', filters: 8, kernelSize: 1, strides: 1, padding: 'valid', useBias: false, from: 'c1' },
    { kind: 'depthwiseConv2d', id: 'dw2', kernelSize: 2, strides: 1, padding: 'same', useBias: false, from: 'c1' },
    // PyTorch-style explicit borders: even zeros before a 'valid' conv, and -Infinity before a max pool.
    { kind: 'pad', id: 'pz', pads: [1, 1, 1, 1], fill: 'zero', from: 'input' },
    { kind: 'conv2d', id: 'c0', filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, from: 'pz' },
    { kind: 'add', id: 'sum', inputs: ['sig', 'c2', 'dw2', 'c0'] },
    { kind: 'activation', id: 'r6', fn: 'relu6' },
    { kind: 'concat', id: 'cat', inputs: ['r6', 'dw2'] },
    { kind: 'pad', id: 'plow', pads: [1, 0, 0, 1], fill: 'lowest' },
    { kind: 'maxPool', id: 'mp', poolSize: 3, strides: 2, padding: 'same' },
    // Ids that are also nn.Module attributes: models.py must still hold them as layers.
    { kind: 'batchNorm', id: 'eval', epsilon: 1e-3, momentum: 0.99 },
    // 'same' on an 8x8 map with 3x3 windows: one padded row and column, so edge windows average fewer pixels.
    { kind: 'avgPool', id: 'ap', poolSize: 3, strides: 2, padding: 'same' },
    { kind: 'flatten', id: 'flat' },
    { kind: 'dense', id: 'type', units: 16 },
    { kind: 'dropout', id: 'drop', rate: 0.5 },
    { kind: 'relu', id: 'r' },
    { kind: 'dense', id: 'logits', units: 10 },
  ],
};

/** Every CIFAR preset and the mixed spec, each with a layer to train up to (its ancestors must agree on both sides). */
const UP_TO: Record<string, string> = {
  resnet8: 's2b1-add', 'mobilenet-student': 'sep2-out', 'mixed-dag': 'sum', 'cifar-cnn-teacher': 'relu4', 'cifar-cnn-student': 'relu2',
};
/** On tfjs's CPU backend these take 25 s (wrn-40-2) and 55 s (resnet32x4); PYTORCH_TEST_BIG=1 runs them too. */
const BIG = new Set(['resnet32x4', 'wrn-40-2']);
const CASES: [string, ArchitectureSpec, string][] = [...Object.entries(cifarArchitecturePresets), ['mixed-dag', mixed] as const]
  .filter(([id]) => process.env.PYTORCH_TEST_BIG === '1' || !BIG.has(id))
  .map(([id, spec]) => [id, spec, UP_TO[id] ?? 's2b1-out']);

const CHECK_PY = `import json
import sys

import torch

import data
import models
import studio_weights
import train

config = json.load(open("check.json"))
splits = data.Splits(config["dataDir"], config["dataset"])
images, labels = splits.test
net = models.NETWORKS["net"]()
studio_weights.load(net, "weights/net")
net.eval()
with torch.no_grad():
    logits, h = net(splits.normalize(images))
studio_weights.save(net, "saved")
up_to = train.parameters_up_to(net, config["upTo"])
json.dump({"logits": logits.flatten().tolist(), "upTo": [list(p.shape) for p in up_to]}, open("out.json", "w"))
`;

/** A plan of one network, as modelsPy reads it. */
const onePlan = (spec: ArchitectureSpec) => ({ models: [{ id: 'net', architecture: spec }], adapters: [] }) as unknown as TrainingPlan;

/** seededStudent's random batch norm, plus random biases, so a bias mapped wrongly (or dropped) shows. */
function seeded(spec: ArchitectureSpec, seed: number): { model: tf.LayersModel; weights: LayerWeights[] } {
  const { model, weights } = seededStudent(spec, seed);
  const rng = createRng(seed + 1);
  const biased = weights.map((entry) => {
    const layer = spec.layers.find((candidate) => candidate.id === entry.layerId);
    if (layer?.kind === 'batchNorm') return entry;
    return { layerId: entry.layerId, tensors: entry.tensors.map((t, i) => i === 0 ? t : { shape: t.shape, values: Float32Array.from(t.values, () => rng.next() - 0.5) }) };
  });
  setLayerWeights(model, biased);
  return { model, weights: getLayerWeights(model, spec) };
}

function writeCheck(spec: ArchitectureSpec, weights: LayerWeights[], upTo: string): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pytorch-dag-'));
  folders.push(folder);
  const write = (name: string, content: string | Uint8Array) => writeFileSync(path.join(folder, name), content);
  write('models.py', modelsPy(onePlan(spec)));
  write('studio_weights.py', weightsPy());
  write('data.py', dataPy());
  write('losses.py', lossesPy());
  write('train.py', trainPy());
  write('check.py', CHECK_PY);
  const { layout, data } = encodeWeights(weights);
  const weightsDir = path.join(folder, 'weights');
  mkdirSync(weightsDir);
  writeFileSync(path.join(weightsDir, 'net.json'), JSON.stringify(layout));
  writeFileSync(path.join(weightsDir, 'net.bin'), data);
  const dataset = { datasetId: 'cifar10', validationSize: 0, testSubset: IMAGES, normalization: cifar.info.normalization };
  write('check.json', JSON.stringify({ dataDir: DEFAULT_NODE_DATA_ROOT, dataset, upTo }));
  return folder;
}

beforeAll(async () => {
  if (unavailable) return;
  cifar = await loadDataset(
    { datasetId: 'cifar10', trainSubset: 8, validationSize: 0, testSubset: IMAGES, augmentShift: 0 },
    nodeAssetReader(),
  );
}, 300_000);

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe.skipIf(unavailable !== null)('DAG models in the PyTorch project', () => {
  it.each(CASES)('%s: PyTorch logits on CIFAR-10 equal tfjs\'s, saved weights re-import exactly, trainUpTo keeps the same variables', async (id, spec, upTo) => {
    const { model, weights } = seeded(spec, 11);
    const reimported = buildModel(spec, { taps: [], seed: 99 });
    try {
      const images = normalisedImages(cifar, 'test', 0, IMAGES);
      const expected = await tfjsLogits(model, images, spec.inputShape);
      const folder = writeCheck(spec, weights, upTo);
      const result = spawnSync(PYTHON, ['check.py'], { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      if (result.status !== 0) throw new Error(`check.py failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
      const out = JSON.parse(readFileSync(path.join(folder, 'out.json'), 'utf8')) as { logits: number[]; upTo: number[][] };

      expect(out.logits).toHaveLength(expected.length);
      const scale = Math.max(1, ...expected.map(Math.abs));
      const maxDiff = Math.max(...out.logits.map((value, i) => Math.abs(value - expected[i])));
      console.log(`${id}: max |logit| ${scale.toPrecision(3)}, max |PyTorch - tfjs| ${maxDiff.toExponential(2)}`);
      expect(maxDiff).toBeLessThanOrEqual(1e-4 * scale);

      // studio_weights.save -> importWeightsFile -> setLayerWeights: the very same tensors and logits.
      const stem = path.join(folder, 'saved');
      const back = importWeightsFile(spec, JSON.parse(readFileSync(`${stem}.json`, 'utf8')), readFileSync(`${stem}.bin`), stem);
      expect(back.map((layer) => layer.layerId)).toEqual(weights.map((layer) => layer.layerId));
      back.forEach((layer, i) => {
        expect(layer.tensors.map((t) => t.shape)).toEqual(weights[i].tensors.map((t) => t.shape));
        layer.tensors.forEach((t, j) => expect(t.values).toEqual(weights[i].tensors[j].values));
      });
      setLayerWeights(reimported, back);
      expect(await tfjsLogits(reimported, images, spec.inputShape)).toEqual(expected);

      // FitNet's trainUpTo: the parameters of the layers feeding `upTo`, as the studio's variables.
      const variables = trainableVariablesUpTo(model, spec, upTo);
      expect(out.upTo.map((shape) => shape.reduce((a, b) => a * b, 1)).reduce((a, b) => a + b, 0))
        .toBe(variables.reduce((sum, variable) => sum + variable.size, 0));
      expect(out.upTo).toHaveLength(variables.length);
    } finally {
      model.dispose();
      reimported.dispose();
    }
  }, 240_000);
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Hinton KD on CIFAR-10: the MNIST preset with its dataset and networks swapped for CIFAR ones. */
function cifarKdPlan(teacher: ArchitectureSpec, student: ArchitectureSpec): TrainingPlan {
  const experiment = JSON.parse(readFileSync(path.join(ROOT, 'public', 'presets', 'hinton-mnist.json'), 'utf8')) as
    { name: string; nodes: { id: string; params: Record<string, unknown> }[] };
  experiment.name = 'Hinton KD on CIFAR-10';
  for (const node of experiment.nodes) {
    if (node.id === 'dataset') node.params = { ...node.params, datasetId: 'cifar10', validationSize: 0 };
    if (node.id === 'teacher') node.params = { ...node.params, architecture: teacher };
    if (node.id === 'student') node.params = { ...node.params, architecture: student };
  }
  const plan = compileExperiment(parseExperiment(JSON.stringify(experiment)));
  plan.dataset = { ...plan.dataset, trainSubset: 256, testSubset: 100 };
  // A small batch keeps tfjs's CPU step (and PyTorch's) short; nothing here depends on its size.
  for (const phase of plan.phases) for (const stage of phase.stages) stage.settings = { ...stage.settings, batchSize: 8 };
  return plan;
}

describe.skipIf(unavailable !== null)('a CIFAR-10 experiment of DAG models as a PyTorch project', () => {
  it('trains with data.py\'s CIFAR-10, its first step equals the studio\'s, and its checkpoint re-imports', async () => {
    const plan = cifarKdPlan(cifarArchitecturePresets.resnet8, cifarArchitecturePresets['mobilenet-student']);
    const data = await loadDataset(plan.dataset, nodeAssetReader());
    const networks = new Map<string, Network & { dispose(): void }>();
    const weights: Record<string, ProjectWeights> = {};
    for (const model of plan.models) {
      if (model.baselineOf !== undefined) continue;
      const built = seeded(model.architecture, model.seed);
      // The teacher's weights count as trained, so train.py skips its phase and both sides distil from the same teacher.
      weights[model.id] = { layers: built.weights, trained: model.role === 'teacher' };
      networks.set(model.id, { model: built.model, taps: model.taps, dispose: () => built.model.dispose() });
    }
    const folder = mkdtempSync(path.join(os.tmpdir(), 'pytorch-cifar-'));
    folders.push(folder);
    for (const file of pytorchProjectFiles({ plan, weights })) {
      mkdirSync(path.dirname(path.join(folder, file.path)), { recursive: true });
      writeFileSync(path.join(folder, file.path), file.data);
    }
    const out = path.join(folder, 'runs', 'cpu');
    let started = Date.now();
    const run = spawnSync(PYTHON, ['train.py', '--device', 'cpu', '--data-dir', DEFAULT_NODE_DATA_ROOT, '--out', out, '--max-steps', '2'],
      { cwd: folder, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
    const reimported = buildModel(cifarArchitecturePresets['mobilenet-student'], { taps: [], seed: 99 });
    try {
      console.log(`train.py: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      started = Date.now();
      if (run.status !== 0) throw new Error(`train.py failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
      const log = readFileSync(path.join(out, 'log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as
        { phase: string; terms?: Record<string, number>; indices?: number[] });
      const first = log.find((record) => record.indices !== undefined);
      if (!first?.terms || !first.indices) throw new Error('the log has no first step');

      const phase = plan.phases.find((candidate) => candidate.kind === 'student');
      if (!phase) throw new Error('no distillation phase');
      const stage = phase.stages[0];
      const batch = gatherBatch(data.train, data.info, first.indices);
      const variables = phase.trains.flatMap((id) => (networks.get(id) as Network).model.trainableWeights.map((w) => w.read() as tf.Variable));
      const optimizer = createOptimizer(stage.settings);
      let expected: Record<string, number>;
      try {
        expected = (await trainStep(
          { networks, trains: phase.trains, adapters: new Map() },
          stage.terms.map(({ term }) => ({ plan: term, definition: getLoss(term.lossId), weight: term.weight })),
          batch, variables, optimizer, stage.settings.learningRate, 0,
        )).terms;
      } finally {
        optimizer.dispose();
        tf.dispose([batch.xs, batch.ys]);
      }
      console.log(`studio step: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      expect(Object.keys(first.terms).sort()).toEqual(Object.keys(expected).sort());
      for (const [nodeId, value] of Object.entries(expected)) {
        console.log(`CIFAR-10 KD first step, ${nodeId}: PyTorch ${first.terms[nodeId]}, studio ${value}`);
        expect(Math.abs(first.terms[nodeId] - value), nodeId).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(value)));
      }

      const results = JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8')) as Record<string, { testAccuracy: number; trained: boolean }>;
      expect(results.student.trained).toBe(true);
      const student = modelPlan(plan, 'student');
      const stem = path.join(out, 'checkpoints', weightsStem('student'));
      expect(existsSync(`${stem}.bin`)).toBe(true);
      setLayerWeights(reimported, importWeightsFile(student.architecture, JSON.parse(readFileSync(`${stem}.json`, 'utf8')), readFileSync(`${stem}.bin`), stem));
      const accuracy = await evaluateAccuracy(reimported, data.test, data.info);
      expect(Math.abs(accuracy - results.student.testAccuracy)).toBeLessThanOrEqual(1 / 100);
    } finally {
      reimported.dispose();
      for (const network of networks.values()) network.dispose();
    }
  }, 300_000);
});
