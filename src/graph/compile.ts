import { getLoss } from '../losses/registry';
import type { DatasetOptions } from '../data/types';
import type { ArchitectureSpec } from '../models/spec';
import type {
  AdapterPlan, AttentionProbe, FspProbe, LossTermPlan, StagePlan, TensorRef, TrainingPlan,
} from '../train/plan';
import type { ExperimentFile, NodeOf, TeacherTraining, TrainerParams, TrainerSettings } from './schema';
import { defaultTrainerSettings } from './factory';
import { edgesInto, lossesOfTrainer, modelsWithRole, nodeById, nodesOfKind, stageChains } from './queries';
import { featurePorts, guidedAdapter } from './shapes';
import { validateGraph, type GraphProblem } from './validate';
import { canonicalJson, fnv1a64 } from './contentHash';

/**
 * Graph -> TrainingPlan. The plan is all the trainer sees.
 *
 * The baseline is the student trained with cross-entropy only, with the final stage's optimiser,
 * learning rate, schedule and batch size, for the total epochs of all stages: the same budget of
 * passes over the data as the distilled student, so the distillation gain is a fair comparison. Its
 * seed is the first stage's, the seed the distilled student is initialised with: both start from
 * the same weights.
 */

export class GraphCompileError extends Error {
  constructor(readonly problems: GraphProblem[]) {
    super(`The experiment cannot run yet:\n${problems.map((problem) => `- ${problem.message}`).join('\n')}`);
    this.name = 'GraphCompileError';
  }
}

export function trainerSettingsOf(params: TrainerParams): TrainerSettings {
  const { optimizer, learningRate, momentum, lrSchedule, epochs, batchSize, seed } = params;
  return structuredClone({ optimizer, learningRate, momentum, lrSchedule, epochs, batchSize, seed });
}

/** Identifies a trained teacher: same architecture (name excluded), training settings and data give the same key. */
export function teacherCacheKey(architecture: ArchitectureSpec, settings: TrainerSettings, dataset: DatasetOptions): string {
  const content = { architecture: { inputShape: architecture.inputShape, layers: architecture.layers }, settings, dataset };
  return `teacher-${fnv1a64(canonicalJson(content))}`;
}

export const adapterIdFor = (guidedNodeId: string): string => `adapter-${guidedNodeId}`;

interface Resolution {
  terms: Map<string, LossTermPlan>;
  adapters: Map<string, AdapterPlan>;
}

function resolveTerm(experiment: ExperimentFile, lossNode: NodeOf<'loss'>, resolution: Resolution): LossTermPlan {
  const cached = resolution.terms.get(lossNode.id);
  if (cached !== undefined) return cached;
  const loss = getLoss(lossNode.params.lossId);
  const inputs: Record<string, TensorRef> = {};
  for (const port of loss.ports) {
    const edge = edgesInto(experiment, lossNode.id, port.name)[0];
    const source = edge === undefined ? undefined : nodeById(experiment, edge.source);
    if (port.type === 'labels') {
      inputs[port.name] = { kind: 'labels' };
    } else if (port.type === 'logits' && port.side !== 'data') {
      inputs[port.name] = { kind: 'logits', side: port.side };
    } else if (source?.kind === 'guide') {
      inputs[port.name] = { kind: 'feature', side: 'teacher', layerId: source.params.layerId, adapterId: null };
    } else if (source?.kind === 'guided') {
      const adapter = loss.needsAdapter ? guidedAdapter(experiment, source) : { status: 'none' as const };
      let adapterId: string | null = null;
      if (adapter.status === 'adapter') {
        adapterId = adapterIdFor(source.id);
        resolution.adapters.set(adapterId, {
          id: adapterId, kind: adapter.kind, studentLayerId: source.params.layerId,
          inputShape: adapter.inputShape, outputShape: adapter.outputShape,
        });
      }
      inputs[port.name] = { kind: 'feature', side: 'student', layerId: source.params.layerId, adapterId };
    } else {
      // validateGraph guarantees every port is connected; reaching here is a bug in validation.
      throw new Error(`Loss node '${lossNode.id}' port '${port.name}' is not connected to a guide or guided node.`);
    }
  }
  const term: LossTermPlan = {
    nodeId: lossNode.id,
    lossId: loss.id,
    label: lossNode.label,
    weight: lossNode.params.weight,
    params: { ...lossNode.params.params },
    inputs,
  };
  resolution.terms.set(lossNode.id, term);
  return term;
}

function tapsInLayerOrder(architecture: ArchitectureSpec, layerIds: Set<string>): string[] {
  return architecture.layers.map((layer) => layer.id).filter((id) => layerIds.has(id));
}

function featureLayer(term: LossTermPlan, port: string | undefined): string {
  const ref = port === undefined ? undefined : term.inputs[port];
  return ref?.kind === 'feature' ? ref.layerId : '';
}

function probesOf(terms: LossTermPlan[]): { temperature: number; attention: AttentionProbe[]; fsp: FspProbe[] } {
  const kd = terms.find((term) => term.lossId === 'kd');
  const attention: AttentionProbe[] = [];
  const fsp: FspProbe[] = [];
  for (const term of terms) {
    const loss = getLoss(term.lossId);
    const [t1, t2] = featurePorts(loss, 'teacher');
    const [s1, s2] = featurePorts(loss, 'student');
    if (term.lossId === 'at') {
      attention.push({
        id: term.nodeId, label: term.label, teacherLayerId: featureLayer(term, t1), studentLayerId: featureLayer(term, s1), p: term.params.p ?? 2,
      });
    } else if (term.lossId === 'fsp') {
      fsp.push({
        id: term.nodeId,
        label: term.label,
        teacherLayerIds: [featureLayer(term, t1), featureLayer(term, t2)],
        studentLayerIds: [featureLayer(term, s1), featureLayer(term, s2)],
      });
    }
  }
  return { temperature: kd?.params.T ?? 1, attention, fsp };
}

/** Compiles a valid experiment into the trainer's plan; throws GraphCompileError listing the errors otherwise. */
export function compileExperiment(file: ExperimentFile): TrainingPlan {
  const errors = validateGraph(file).filter((problem) => problem.severity === 'error');
  if (errors.length > 0) throw new GraphCompileError(errors);

  const datasetNode = nodesOfKind(file, 'dataset')[0];
  const teacher = modelsWithRole(file, 'teacher')[0];
  const student = modelsWithRole(file, 'student')[0];
  const { probeCount, ...datasetOptions } = datasetNode.params;
  const dataset: DatasetOptions = { ...datasetOptions };
  const teacherTraining: TeacherTraining = structuredClone(teacher.params.teacherTraining ?? (defaultTrainerSettings as TrainerSettings));
  const { augmentShift: teacherShift, ...teacherSettings } = teacherTraining;
  const teacherAugmentShift = teacherShift ?? dataset.augmentShift;

  const resolution: Resolution = { terms: new Map(), adapters: new Map() };
  const trainers = stageChains(file)[0];
  const stages: StagePlan[] = trainers.map((trainer) => ({
    nodeId: trainer.id,
    name: trainer.params.stageName,
    settings: trainerSettingsOf(trainer.params),
    terms: lossesOfTrainer(file, trainer.id).map((lossNode) => ({
      term: resolveTerm(file, lossNode, resolution),
      schedule: structuredClone(trainer.params.weightSchedules[lossNode.id] ?? { kind: 'constant' }),
    })),
    trainUpTo: trainer.params.trainUpTo,
  }));

  const terms = [...resolution.terms.values()];
  const tapped = (side: 'teacher' | 'student'): Set<string> => new Set(terms.flatMap((term) =>
    Object.values(term.inputs).flatMap((ref) => (ref.kind === 'feature' && ref.side === side ? [ref.layerId] : []))));

  const finalStage = stages[stages.length - 1];
  return {
    planVersion: 1,
    experimentName: file.name,
    dataset,
    teacher: {
      architecture: structuredClone(teacher.params.architecture),
      settings: teacherSettings,
      augmentShift: teacherAugmentShift,
      // Keyed by the shift the teacher actually trains with, wherever it is set.
      cacheKey: teacherCacheKey(teacher.params.architecture, teacherSettings, { ...dataset, augmentShift: teacherAugmentShift }),
    },
    student: { architecture: structuredClone(student.params.architecture) },
    teacherTaps: tapsInLayerOrder(teacher.params.architecture, tapped('teacher')),
    studentTaps: tapsInLayerOrder(student.params.architecture, tapped('student')),
    adapters: [...resolution.adapters.values()],
    stages,
    baseline: {
      ...structuredClone(finalStage.settings),
      epochs: stages.reduce((sum, stage) => sum + stage.settings.epochs, 0),
      seed: stages[0].settings.seed,
    },
    probes: { count: probeCount, ...probesOf(terms) },
  };
}
