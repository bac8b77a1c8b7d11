import { getLoss } from '../losses/registry';
import type { DatasetOptions } from '../data/types';
import type { ArchitectureSpec } from '../models/spec';
import {
  PLAN_VERSION, baselineIdFor, crossEntropyTerm,
  type AdapterPlan, type LossTermPlan, type ModelPlan, type PhasePlan, type StagePlan, type TensorRef, type TrainingPlan,
} from '../train/plan';
import type { ExperimentFile, NodeOf, TeacherTraining, TrainerParams, TrainerSettings } from './schema';
import { defaultTrainerSettings } from './factory';
import { edgesInto, lossesOfTrainer, nodeById, nodesOfKind } from './queries';
import { guidedAdapter, lossInputShapes } from './shapes';
import { validateGraph, type GraphProblem } from './validate';
import { canonicalJson, fnv1a64 } from './contentHash';
import { initialSeeds, modelFeedingLossPort, orderChains, type ChainAnalysis } from './phases';
import { probesOf } from './compileTerms';
import { classifierPlan } from './heads';
import { ensemblePlan } from './ensembles';

/**
 * Graph -> TrainingPlan. The plan is all the trainer sees.
 *
 * Phases, in order: every teacher trained on labels (its own settings, cached by content), then for
 * each stage sequence in teaching order, the baselines of its students and peers and the
 * distillation itself. A baseline is the student trained with cross-entropy only, with the final
 * stage's optimiser, learning rate, schedule and batch size, for the total epochs of all stages:
 * the same budget of passes over the data as the distilled student, so the gain is a fair
 * comparison. It starts from the same initial weights as the distilled student (same model seed)
 * and sees the data in the order of the first stage's seed. A pruned student's baseline instead
 * repeats its stages with cross-entropy alone and the same pruning, so its gain is at equal
 * sparsity. Every Ensemble node is listed for
 * evaluation after its members have trained; one that teaches is a loss input of its own kind.
 */

export class GraphCompileError extends Error {
  constructor(readonly problems: GraphProblem[]) {
    super(`The experiment cannot run yet:\n${problems.map((problem) => `- ${problem.message}`).join('\n')}`);
    this.name = 'GraphCompileError';
  }
}

/** Weight decay only when set, so plans and teacher keys of files without it stay as they were. */
export function trainerSettingsOf(params: TrainerParams): TrainerSettings {
  const { optimizer, learningRate, momentum, weightDecay, lrSchedule, epochs, batchSize, seed } = params;
  return structuredClone({ optimizer, learningRate, momentum, ...(weightDecay ? { weightDecay } : {}), lrSchedule, epochs, batchSize, seed });
}

/** Identifies a trained teacher: same architecture (name excluded), training settings and data give the same key. */
export function teacherCacheKey(architecture: ArchitectureSpec, settings: TrainerSettings, dataset: DatasetOptions): string {
  const content = { architecture: { inputShape: architecture.inputShape, layers: architecture.layers }, settings, dataset };
  return `teacher-${fnv1a64(canonicalJson(content))}`;
}

/** The Dataset node's options as the trainer reads them. Shuffled is left out, so plans and teacher keys stay as before the option. */
function datasetOptionsOf(node: NodeOf<'dataset'>): DatasetOptions {
  const { probeCount: _probes, sampler, augmentFlip, ...options } = node.params;
  return {
    ...options,
    ...(augmentFlip === true ? { augmentFlip } : {}),
    ...(sampler?.kind === 'classUniform' ? { sampler: { ...sampler } } : {}),
  };
}

type TeacherDataOverrides = Pick<TeacherTraining, 'augmentShift' | 'trainSubset' | 'sampler'>;

/**
 * A teacher's optimiser settings, and the data options it trains with: the dataset's, with the
 * teacher's own shift, subset and sampler where it sets them (a shuffled sampler left out, as on
 * the dataset, so the key does not depend on whether "shuffled" was written or implied).
 */
function teacherTrainingOf(teacher: NodeOf<'model'>, dataset: DatasetOptions): { settings: TrainerSettings; data: DatasetOptions; own: TeacherDataOverrides } {
  const training: TeacherTraining = structuredClone(teacher.params.teacherTraining ?? (defaultTrainerSettings as TrainerSettings));
  const { augmentShift, trainSubset, sampler: ownSampler, ...settings } = training;
  const { sampler: datasetSampler, ...rest } = dataset;
  const sampler = ownSampler ?? datasetSampler;
  const data: DatasetOptions = {
    ...rest,
    augmentShift: augmentShift ?? dataset.augmentShift,
    trainSubset: trainSubset === undefined ? dataset.trainSubset : trainSubset,
    ...(sampler?.kind === 'classUniform' ? { sampler: { ...sampler } } : {}),
  };
  return { settings, data, own: { augmentShift, trainSubset, sampler: ownSampler } };
}

/** The cache key a teacher node's phase gets (what a cached or shipped teacher must match); null without a dataset. */
export function teacherCacheKeyOf(file: ExperimentFile, teacher: NodeOf<'model'>): string | null {
  const datasetNode = nodesOfKind(file, 'dataset')[0];
  if (datasetNode === undefined) return null;
  const { settings, data } = teacherTrainingOf(teacher, datasetOptionsOf(datasetNode));
  return teacherCacheKey(teacher.params.architecture, settings, data);
}

export const adapterIdFor = (guidedNodeId: string): string => `adapter-${guidedNodeId}`;

interface Resolution {
  terms: Map<string, LossTermPlan>;
  adapters: Map<string, AdapterPlan>;
}

function resolveTerm(experiment: ExperimentFile, lossNode: NodeOf<'loss'>, learners: readonly string[], resolution: Resolution): LossTermPlan {
  const cached = resolution.terms.get(lossNode.id);
  if (cached !== undefined) return cached;
  const loss = getLoss(lossNode.params.lossId);
  const inputs: Record<string, TensorRef> = {};
  for (const port of loss.ports) {
    if (port.type === 'labels') {
      inputs[port.name] = { kind: 'labels' };
      continue;
    }
    const source = nodeById(experiment, edgesInto(experiment, lossNode.id, port.name)[0]?.source ?? '');
    if (source?.kind === 'ensemble') {
      // Its members teach: frozen when trained earlier; a member this phase trains (a peer) gives a detached target.
      const { members } = ensemblePlan(experiment, source);
      inputs[port.name] = { kind: 'ensemble', members, detach: members.some((id) => learners.includes(id)) };
      continue;
    }
    const model = modelFeedingLossPort(experiment, lossNode.id, port.name);
    // validateGraph guarantees every port is connected to a model; reaching here is a bug in validation.
    if (model === undefined) throw new Error(`Loss node '${lossNode.id}' port '${port.name}' is not connected to a model.`);
    // A teacher-side input read from a model this phase trains is a target (mutual learning, self-distillation): no gradient through it.
    const detach = port.side === 'teacher' && learners.includes(model.id);
    if (source?.kind === 'head') {
      // An auxiliary classifier's logits: its layer through a classifier adapter of that network.
      const adapter = classifierPlan(experiment, source);
      resolution.adapters.set(adapter.id, adapter);
      inputs[port.name] = { kind: 'feature', model: model.id, layerId: adapter.layerId, adapterId: adapter.id, detach };
      continue;
    }
    if (port.type === 'logits') {
      inputs[port.name] = { kind: 'logits', model: model.id, detach };
      continue;
    }
    if (source?.kind !== 'guide' && source?.kind !== 'guided') {
      throw new Error(`Loss node '${lossNode.id}' port '${port.name}' takes a feature but is not fed by a guide or guided node.`);
    }
    let adapterId: string | null = null;
    if (source.kind === 'guided' && loss.needsAdapter) {
      const adapter = guidedAdapter(experiment, source);
      if (adapter.status === 'adapter') {
        adapterId = adapterIdFor(source.id);
        resolution.adapters.set(adapterId, {
          id: adapterId, kind: adapter.kind, modelId: model.id, layerId: source.params.layerId,
          inputShape: adapter.inputShape, outputShape: adapter.outputShape,
        });
      }
    }
    inputs[port.name] = { kind: 'feature', model: model.id, layerId: source.params.layerId, adapterId, detach };
  }
  const term: LossTermPlan = {
    nodeId: lossNode.id, lossId: loss.id, label: lossNode.label, weight: lossNode.params.weight, params: { ...lossNode.params.params }, inputs,
  };
  if (loss.createModule !== undefined) term.moduleShapes = structuredClone(lossInputShapes(experiment, lossNode.id));
  resolution.terms.set(lossNode.id, term);
  return term;
}

function modelNode(file: ExperimentFile, id: string): NodeOf<'model'> {
  const node = nodeById(file, id);
  if (node?.kind !== 'model') throw new Error(`'${id}' is not a model node.`);
  return node;
}

function distillationPhase(file: ExperimentFile, chain: ChainAnalysis, resolution: Resolution, augmentShift: number): PhasePlan {
  const stages: StagePlan[] = chain.trainers.map((trainer) => ({
    nodeId: trainer.id,
    name: trainer.params.stageName,
    settings: trainerSettingsOf(trainer.params),
    terms: lossesOfTrainer(file, trainer.id).map((lossNode) => ({
      term: resolveTerm(file, lossNode, chain.learners, resolution),
      schedule: structuredClone(trainer.params.weightSchedules[lossNode.id] ?? { kind: 'constant' }),
    })),
    trainUpTo: trainer.params.trainUpTo,
    ...(trainer.params.pruning !== undefined ? { pruning: structuredClone(trainer.params.pruning) } : {}),
    ...(trainer.params.quantization ? { quantization: structuredClone(trainer.params.quantization) } : {}),
  }));
  return {
    id: `distill:${chain.trainers[0].id}`,
    kind: 'student',
    label: chain.learners.map((id) => modelNode(file, id).label).join(' + '),
    trains: [...chain.learners],
    frozen: [...chain.frozen],
    teachers: structuredClone(chain.teachersOf),
    stages,
    augmentShift,
  };
}

/**
 * The baseline's stages when the student is pruned: the student's own stages, each with
 * cross-entropy alone, its settings and its pruning, so the gain compares networks of equal
 * sparsity (distillation's effect, not pruning's).
 */
function prunedBaselineStages(id: string, chain: ChainAnalysis): StagePlan[] {
  return chain.trainers.map((trainer) => ({
    nodeId: trainer.id,
    name: `Baseline: ${trainer.params.stageName}`,
    settings: trainerSettingsOf(trainer.params),
    terms: [{ term: crossEntropyTerm(id), schedule: { kind: 'constant' } }],
    trainUpTo: null,
    ...(trainer.params.pruning !== undefined ? { pruning: structuredClone(trainer.params.pruning) } : {}),
  }));
}

function baselinePhase(learner: ModelPlan, chain: ChainAnalysis, label: string, augmentShift: number): { model: ModelPlan; phase: PhasePlan } {
  const settings = trainerSettingsOf(chain.trainers[chain.trainers.length - 1].params);
  const id = baselineIdFor(learner.id);
  const pruned = chain.trainers.some((trainer) => trainer.params.pruning !== undefined);
  const stage: StagePlan = {
    nodeId: chain.trainers[0].id,
    name: 'Baseline',
    settings: {
      ...settings,
      epochs: chain.trainers.reduce((sum, trainer) => sum + trainer.params.epochs, 0),
      seed: chain.trainers[0].params.seed,
    },
    terms: [{ term: crossEntropyTerm(id), schedule: { kind: 'constant' } }],
    trainUpTo: null,
  };
  return {
    model: { ...structuredClone(learner), id, label, role: 'baseline', taps: [...learner.taps], baselineOf: learner.id },
    phase: { id: `baseline:${learner.id}`, kind: 'baseline', label, trains: [id], frozen: [], teachers: {}, stages: pruned ? prunedBaselineStages(id, chain) : [stage], augmentShift },
  };
}

/** Compiles a valid experiment into the trainer's plan; throws GraphCompileError listing the errors otherwise. */
export function compileExperiment(file: ExperimentFile): TrainingPlan {
  const errors = validateGraph(file).filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new GraphCompileError(errors);

  const { probeCount } = nodesOfKind(file, 'dataset')[0].params;
  const dataset = datasetOptionsOf(nodesOfKind(file, 'dataset')[0]);
  const chains = orderChains(file).ordered;
  const resolution: Resolution = { terms: new Map(), adapters: new Map() };
  const distillations = chains.map((chain) => distillationPhase(file, chain, resolution, dataset.augmentShift));
  const terms = [...resolution.terms.values()];
  const tapsOf = (model: NodeOf<'model'>): string[] => {
    const layerIds = new Set(terms.flatMap((term) => Object.values(term.inputs)
      .flatMap((ref) => (ref.kind === 'feature' && ref.model === model.id ? [ref.layerId] : []))));
    return model.params.architecture.layers.map((layer) => layer.id).filter((id) => layerIds.has(id));
  };

  const models: ModelPlan[] = [];
  const phases: PhasePlan[] = [];
  for (const teacher of nodesOfKind(file, 'model').filter((node) => node.params.role === 'teacher')) {
    const { settings, data: teacherData, own: { trainSubset: ownSubset, sampler: ownSampler } } = teacherTrainingOf(teacher, dataset);
    models.push({ id: teacher.id, label: teacher.label, role: 'teacher', architecture: structuredClone(teacher.params.architecture), taps: tapsOf(teacher), seed: settings.seed });
    phases.push({
      id: `teacher:${teacher.id}`, kind: 'teacher', label: teacher.label, trains: [teacher.id], frozen: [], teachers: {},
      stages: [{ nodeId: teacher.id, name: teacher.label, settings, terms: [{ term: crossEntropyTerm(teacher.id), schedule: { kind: 'constant' } }], trainUpTo: null }],
      augmentShift: teacherData.augmentShift,
      ...(ownSubset !== undefined && ownSubset !== dataset.trainSubset ? { trainSubset: ownSubset } : {}),
      ...(ownSampler !== undefined ? { sampler: ownSampler } : {}),
      // Keyed by the data the teacher actually trains on, wherever it is set.
      cacheKey: teacherCacheKey(teacher.params.architecture, settings, teacherData),
      // An imported teacher is restored from its stored weights, never trained.
      ...(teacher.params.imported ? { cacheKey: teacher.params.imported.weightsKey, importedFile: teacher.params.imported.fileName } : {}),
    });
  }

  const baselineCount = chains.flatMap((chain) => chain.learners)
    .filter((id) => ['student', 'peer'].includes(modelNode(file, id).params.role)).length;
  const seeds = initialSeeds(file, chains, defaultTrainerSettings.seed);
  chains.forEach((chain, index) => {
    const learners = chain.learners.map((id): ModelPlan => {
      const node = modelNode(file, id);
      return { id, label: node.label, role: node.params.role, architecture: structuredClone(node.params.architecture), taps: tapsOf(node), seed: seeds.get(id) as number };
    });
    for (const learner of learners) {
      if (learner.role !== 'student' && learner.role !== 'peer') continue;
      const label = baselineCount === 1 ? 'Baseline' : `${learner.label} baseline`;
      const baseline = baselinePhase(learner, chain, label, dataset.augmentShift);
      models.push(baseline.model);
      phases.push(baseline.phase);
    }
    models.push(...learners);
    phases.push(distillations[index]);
  });

  return {
    planVersion: PLAN_VERSION,
    experimentName: file.name,
    dataset,
    models,
    phases,
    adapters: [...resolution.adapters.values()],
    ensembles: nodesOfKind(file, 'ensemble').map((node) => ensemblePlan(file, node)),
    probes: { count: probeCount, ...probesOf(terms) },
  };
}
