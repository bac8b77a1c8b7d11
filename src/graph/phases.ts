import { lossRegistry } from '../losses/registry';
import type { ExperimentFile, ModelRole, NodeOf } from './schema';
import { edgesInto, lossesOfTrainer, modelFeeding, nodeById, nodesOfKind, stageChains } from './queries';
import { describeNode } from './nodeKinds';
import { headModel } from './heads';
import { ensembleMembers } from './ensembles';

/**
 * Which networks each stage sequence trains and which teach them: the graph side of the plan's
 * phases, shared by validation (which explains what a graph cannot do) and compile.
 *
 * A chain of trainers (next -> after) is one distillation phase. It trains its *learners*: the models
 * read by the student side of its losses. The models read by the teacher side teach; those the
 * chain does not train run frozen. Peers in one chain teach each other (deep mutual learning). A
 * network may teach itself from another of its tensors (self-distillation): it is then a learner
 * with no teacher, and the teacher-side tensor is a detached target. An Ensemble node on the teacher
 * side makes every one of its members a teacher of the loss's learners.
 */

/** Which side of a loss a model can feed: teachers teach, students learn, assistants and peers do both. */
export function roleSides(role: ModelRole): ('teacher' | 'student')[] {
  switch (role) {
    case 'teacher': return ['teacher'];
    case 'student': return ['student'];
    case 'assistant':
    case 'peer': return ['teacher', 'student'];
  }
}

/**
 * The one network feeding an input port of a loss: directly (logits), through a guide/guided node
 * (features) or through an auxiliary classifier on one of its layers (logits). Undefined for an
 * Ensemble node, which feeds several (see lossPortTensors).
 */
export function modelFeedingLossPort(experiment: ExperimentFile, lossNodeId: string, port: string): NodeOf<'model'> | undefined {
  const tensors = lossPortTensors(experiment, lossNodeId, port);
  return tensors.length === 1 && tensors[0].via === undefined ? tensors[0].model : undefined;
}

/** What a loss port reads: a network and which of its tensors, `key` equal only for the very same tensor. */
export interface PortTensor {
  model: NodeOf<'model'>;
  key: string;
  /** For messages, e.g. "its logits", "its layer 'relu1'". */
  description: string;
  /** The Ensemble node the network's logits reach the loss through, averaged with the other members'. */
  via?: NodeOf<'ensemble'>;
}

/** The tensors a loss port reads: one, or one per member of an ensemble; none while unconnected. */
export function lossPortTensors(experiment: ExperimentFile, lossNodeId: string, port: string): PortTensor[] {
  const edge = edgesInto(experiment, lossNodeId, port)[0];
  const source = edge === undefined ? undefined : nodeById(experiment, edge.source);
  if (source?.kind === 'model') return [{ model: source, key: 'logits', description: 'its logits' }];
  if (source?.kind === 'guide' || source?.kind === 'guided') {
    const model = modelFeeding(experiment, source.id);
    // A guide and a guided node on the same layer read the same tensor (an adapter does not make it another).
    const layerId = source.params.layerId;
    return model === undefined ? [] : [{ model, key: `layer:${layerId}`, description: `its layer '${layerId}'` }];
  }
  if (source?.kind === 'head') {
    const model = headModel(experiment, source);
    return model === undefined ? [] : [{ model, key: `head:${source.id}`, description: `the logits of ${describeNode(source)}` }];
  }
  if (source?.kind === 'ensemble') {
    // Every member teaches the loss's learners, so phases order and freeze each of them as a teacher.
    return ensembleMembers(experiment, source).map((model) => ({
      model, key: `ensemble:${source.id}`, description: `its logits averaged in ${describeNode(source)}`, via: source,
    }));
  }
  return [];
}

/** The models on each side of a loss node, in port order (each at most once). */
export function lossSides(experiment: ExperimentFile, lossNode: NodeOf<'loss'>): { teacher: string[]; student: string[] } {
  const sides = { teacher: [] as string[], student: [] as string[] };
  const loss = lossRegistry.find((entry) => entry.id === lossNode.params.lossId);
  for (const port of loss?.ports ?? []) {
    if (port.side === 'data') continue;
    for (const { model } of lossPortTensors(experiment, lossNode.id, port.name)) {
      if (!sides[port.side].includes(model.id)) sides[port.side].push(model.id);
    }
  }
  return sides;
}

export interface ChainAnalysis {
  /** The trainers in stage order. */
  trainers: NodeOf<'trainer'>[];
  /** Models trained by this chain, in graph node order. */
  learners: string[];
  /** For each learner, the models that teach it directly (teacher side of a loss whose student side reads it). */
  teachersOf: Record<string, string[]>;
  /** Teaching models this chain does not train (frozen during it). */
  frozen: string[];
}

export function analyzeChain(experiment: ExperimentFile, trainers: NodeOf<'trainer'>[]): ChainAnalysis {
  const learnerSet = new Set<string>();
  const teachersOf: Record<string, string[]> = {};
  const teaching = new Set<string>();
  for (const trainer of trainers) {
    for (const lossNode of lossesOfTrainer(experiment, trainer.id)) {
      const { teacher, student } = lossSides(experiment, lossNode);
      for (const learner of student) {
        learnerSet.add(learner);
        const list = (teachersOf[learner] ??= []);
        for (const id of teacher) if (id !== learner && !list.includes(id)) list.push(id);
      }
      for (const id of teacher) teaching.add(id);
    }
  }
  const modelOrder = nodesOfKind(experiment, 'model').map((model) => model.id);
  const learners = modelOrder.filter((id) => learnerSet.has(id));
  const frozen = modelOrder.filter((id) => teaching.has(id) && !learnerSet.has(id));
  return { trainers, learners, teachersOf, frozen };
}

export interface PhaseOrder {
  /** Chains in an order where each comes after the chains that train what it freezes. */
  ordered: ChainAnalysis[];
  /** Chains left on a cycle of teaching (each waits for another): none when the graph can run. */
  cyclic: ChainAnalysis[];
}

/** Every stage chain of the graph, analysed, in graph order. */
export function analyzeChains(experiment: ExperimentFile): ChainAnalysis[] {
  return stageChains(experiment).map((trainers) => analyzeChain(experiment, trainers));
}

/**
 * Orders the chains so every frozen model is trained before it teaches (Kahn's algorithm, stable).
 * Callers that already analysed the chains pass them, so the graph is walked once.
 */
export function orderChains(experiment: ExperimentFile, chains: readonly ChainAnalysis[] = analyzeChains(experiment)): PhaseOrder {
  const trainedBy = new Map<string, ChainAnalysis>();
  for (const chain of chains) for (const learner of chain.learners) if (!trainedBy.has(learner)) trainedBy.set(learner, chain);
  const ordered: ChainAnalysis[] = [];
  const pending = [...chains];
  let progressed = true;
  while (pending.length > 0 && progressed) {
    progressed = false;
    for (const chain of [...pending]) {
      const waitsFor = chain.frozen.map((id) => trainedBy.get(id)).filter((other) => other !== undefined && other !== chain);
      if (waitsFor.every((other) => ordered.includes(other as ChainAnalysis))) {
        ordered.push(chain);
        pending.splice(pending.indexOf(chain), 1);
        progressed = true;
      }
    }
  }
  return { ordered, cyclic: pending };
}

/**
 * Learners of the stage chains start from different weights: the k-th learner (counted over all
 * chains in teaching order) starts from its chain's first stage seed plus k times this stride. The
 * first keeps the stage's seed, as a single student always has; adapters and loss modules draw
 * seeds of their own from their model's.
 */
export const LEARNER_SEED_STRIDE = 1000;

/**
 * The seed each model's initial weights come from: a teacher's training seed, a learner's as above
 * (`ordered`: the chains in teaching order, from orderChains).
 */
export function initialSeeds(experiment: ExperimentFile, ordered: readonly ChainAnalysis[], defaultTeacherSeed: number): Map<string, number> {
  const seeds = new Map<string, number>();
  for (const model of nodesOfKind(experiment, 'model')) {
    if (model.params.role === 'teacher') seeds.set(model.id, model.params.teacherTraining?.seed ?? defaultTeacherSeed);
  }
  let k = 0;
  for (const chain of ordered) {
    for (const learner of chain.learners) {
      if (seeds.has(learner)) continue;
      seeds.set(learner, chain.trainers[0].params.seed + LEARNER_SEED_STRIDE * k);
      k += 1;
    }
  }
  return seeds;
}
