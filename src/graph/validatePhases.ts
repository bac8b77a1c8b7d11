import type { ExperimentFile, GraphNode, ModelRole, NodeOf } from './schema';
import type { Report } from './validateReport';
import { describeNode, rolesOfSide } from './nodeKinds';
import { analyzeChain, analyzeChains, initialSeeds, orderChains, type ChainAnalysis } from './phases';
import { canonicalJson } from './contentHash';
import { defaultTrainerSettings } from './factory';
import { chainOfTrainer, lossesOfTrainer, nodeById, nodesOfKind } from './queries';
import { summarizeModel } from './shapes';

/**
 * Validation of who trains whom: each chain of trainers (one phase) must train something, each
 * network that learns must be trained by exactly one chain, and the chains must have an order in
 * which every network is trained before it teaches. Built on phases.ts, which compile shares.
 */

const learns = (role: ModelRole): boolean => role !== 'teacher';

/** "A", "A and B", "A, B and C". */
function listNames(nodes: readonly GraphNode[], conjunction: 'and' | 'or' = 'and'): string {
  const names = nodes.map(describeNode);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${conjunction} ${names[names.length - 1]}`;
}

function modelsById(experiment: ExperimentFile, ids: readonly string[]): NodeOf<'model'>[] {
  return ids.map((id) => nodeById(experiment, id)).filter((node): node is NodeOf<'model'> => node?.kind === 'model');
}

/** The models a trainer's chain trains, in graph order (none for a trainer on a loop of stages). */
export function learnersOfTrainer(experiment: ExperimentFile, trainerId: string): NodeOf<'model'>[] {
  const chain = chainOfTrainer(experiment, trainerId);
  return chain === undefined ? [] : modelsById(experiment, analyzeChain(experiment, chain).learners);
}

/**
 * 'Train up to' applies to every network of the chain that has that layer (the others train whole),
 * so it must name a layer of one of them, and not stop all of them before their first weights.
 */
export function checkTrainUpTo(experiment: ExperimentFile, node: NodeOf<'trainer'>, report: Report): void {
  const { trainUpTo } = node.params;
  const learners = learnersOfTrainer(experiment, node.id);
  if (trainUpTo === null || learners.length === 0) return;
  const having = learners.filter((model) => model.params.architecture.layers.some((layer) => layer.id === trainUpTo));
  const one = learners.length === 1;
  if (having.length === 0) {
    report(node.id, 'error', `'Train up to' names '${trainUpTo}', which is not a layer of ${listNames(learners, 'or')} ` +
      `(${one ? 'the network' : 'the networks'} this stage trains): pick one of ${one ? 'its' : 'their'} layers or clear it.`,
    { code: 'trainUpToUnknown', layer: trainUpTo, models: learners.map((model) => model.id) });
    return;
  }
  if (having.length < learners.length) {
    const whole = learners.filter((model) => !having.includes(model));
    report(node.id, 'warning', `'Train up to' '${trainUpTo}' is a layer of ${listNames(having)} only, so ${listNames(whole)} ` +
      `${whole.length === 1 ? 'trains' : 'train'} whole in this stage: pick a layer every network it trains has, or split the stage.`,
    { code: 'trainUpToPartial', layer: trainUpTo, having: having.map((model) => model.id), whole: whole.map((model) => model.id) });
    return;
  }
  const stopsBeforeWeights = having.every((model) => {
    const summary = summarizeModel(model.params.architecture);
    if (!summary.ok) return false;
    const last = summary.summary.layers.findIndex((layer) => layer.id === trainUpTo);
    return summary.summary.layers.slice(0, last + 1).every((layer) => layer.params === 0);
  });
  if (stopsBeforeWeights) {
    report(node.id, 'error', `'Train up to' stops at '${trainUpTo}', before the first layer with weights of ` +
      `${listNames(learners)}, so the stage would train nothing: pick a later layer or clear it.`,
    { code: 'trainUpToNoWeights', layer: trainUpTo, models: learners.map((model) => model.id) });
  }
}

/** Chains that must train something, and networks that must learn in one chain only. */
function checkChainLearners(experiment: ExperimentFile, chains: readonly ChainAnalysis[], report: Report): void {
  const trainedBy = new Map<string, ChainAnalysis>();
  for (const chain of chains) {
    const first = chain.trainers[0];
    const hasLosses = chain.trainers.some((trainer) => lossesOfTrainer(experiment, trainer.id).length > 0);
    if (hasLosses && chain.learners.length === 0) {
      report(first.id, 'error', `${describeNode(first)} trains nothing: no loss of its stages reads a network that learns ` +
        `(${rolesOfSide.student}) on its student side. Connect such a network's Logits to one of its losses ` +
        '(e.g. Cross-entropy with the labels), or a Guided layer of it to a feature loss.', { code: 'chainTrainsNothing' });
    }
    for (const model of modelsById(experiment, chain.learners)) {
      const other = trainedBy.get(model.id);
      if (other === undefined) {
        trainedBy.set(model.id, chain);
        continue;
      }
      const otherLast = other.trainers[other.trainers.length - 1];
      report(first.id, 'error', `${describeNode(model)} is already trained by ${describeNode(other.trainers[0])}, and a ` +
        `network learns in one sequence of stages: connect Next of ${describeNode(otherLast)} to After of ` +
        `${describeNode(first)} to make it a later stage, or train another network here.`,
      { code: 'trainedTwice', model: model.id, other: other.trainers[0].id, otherLast: otherLast.id });
    }
  }
}

/** Roles whose promise the graph does not keep: learners never trained, peers alone, idle teachers. */
function checkRoles(experiment: ExperimentFile, chains: readonly ChainAnalysis[], report: Report): void {
  const trained = new Set(chains.flatMap((chain) => chain.learners));
  const teaching = new Set(chains.flatMap((chain) => Object.values(chain.teachersOf).flat()));
  for (const model of nodesOfKind(experiment, 'model')) {
    const name = describeNode(model);
    const { role } = model.params;
    if (learns(role) && !trained.has(model.id)) {
      if (teaching.has(model.id)) {
        report(model.id, 'error', `${name} teaches but is never trained: connect its Logits to the student side of a loss in a Trainer ` +
          '(e.g. Cross-entropy with the labels), so that it learns before it teaches.', { code: 'teachesButNeverTrained' });
      } else {
        report(model.id, 'error', `${name} is never trained: connect its Logits to a loss in a Trainer (e.g. Cross-entropy with the labels), ` +
          'or delete it.', { code: 'neverTrained' });
      }
    }
    if (role === 'assistant' && !teaching.has(model.id)) {
      report(model.id, 'warning', `${name} is an assistant but teaches nobody, so it is just a student: connect its Logits ` +
        '(or a Guide on its Layers) to the teacher side of a loss that trains another network, or make it a Student.',
      { code: 'assistantTeachesNobody' });
    }
    if (role === 'teacher' && !teaching.has(model.id)) {
      report(model.id, 'warning', `${name} teaches nothing: connect its Logits (or a Guide on its Layers) to the teacher ` +
        'side of a loss (e.g. KD) that trains another network, or delete it.', { code: 'teacherIdle' });
    }
  }
  for (const chain of chains) {
    const peers = modelsById(experiment, chain.learners).filter((model) => model.params.role === 'peer');
    if (peers.length !== 1) continue;
    const first = chain.trainers[0];
    // A Student cannot teach, so a lone peer that teaches someone is an Assistant.
    const instead = teaching.has(peers[0].id) ? 'assistant' : 'student';
    report(peers[0].id, 'error', `${describeNode(peers[0])} is the only peer ${describeNode(first)} trains: mutual ` +
      'learning needs at least two peers trained by the same trainer. Train a second Peer in it (each teaching the ' +
      `other with KD), or make ${describeNode(peers[0])} ${instead === 'assistant' ? 'an Assistant (it learns, then teaches)' : 'a Student'}.`,
    { code: 'lonePeer', trainer: first.id, instead });
  }
}

/** The chains on a loop of teaching (not those merely waiting for one), which no order can run. */
function chainsOnLoops(chains: readonly ChainAnalysis[], cyclic: readonly ChainAnalysis[]): ChainAnalysis[] {
  // A model trained by two chains counts as trained by the first in graph order, as in orderChains.
  const trainedBy = new Map<string, ChainAnalysis>();
  for (const chain of chains) for (const id of chain.learners) if (!trainedBy.has(id)) trainedBy.set(id, chain);
  const waitsFor = (chain: ChainAnalysis): ChainAnalysis[] => chain.frozen
    .map((id) => trainedBy.get(id))
    .filter((other): other is ChainAnalysis => other !== undefined && other !== chain && cyclic.includes(other));
  const reachesItself = (start: ChainAnalysis): boolean => {
    const seen = new Set<ChainAnalysis>();
    const stack = waitsFor(start);
    while (stack.length > 0) {
      const chain = stack.pop() as ChainAnalysis;
      if (chain === start) return true;
      if (seen.has(chain)) continue;
      seen.add(chain);
      stack.push(...waitsFor(chain));
    }
    return false;
  };
  return cyclic.filter(reachesItself);
}

function checkTeachingLoops(chains: readonly ChainAnalysis[], cyclic: readonly ChainAnalysis[], report: Report): void {
  const loop = chainsOnLoops(chains, cyclic);
  if (loop.length === 0) return;
  const names = listNames(loop.map((chain) => chain.trainers[0]));
  for (const chain of loop) {
    report(chain.trainers[0].id, 'error', `${names} teach each other in a loop: each runs frozen a network another one ` +
      'trains, so none can run first. Train networks that learn from each other in one Trainer and give them the Peer ' +
      'role (mutual learning), or remove one of the teaching losses.', { code: 'teachingLoop', trainers: loop.map((other) => other.trainers[0].id) });
  }
}

/** Who trains whom: the graph-wide rules of phases (see the module comment). */
export function checkPhases(experiment: ExperimentFile, report: Report): void {
  if (!nodesOfKind(experiment, 'model').some((model) => learns(model.params.role))) {
    report(null, 'error', 'The experiment has no network that learns. Add a Student (or an Assistant, or two Peers) ' +
      'and connect the dataset\'s Images to it.', { code: 'noLearner' });
  }
  if (nodesOfKind(experiment, 'trainer').length === 0) {
    report(null, 'error', 'The experiment has no Trainer. Add one and connect the losses (e.g. Cross-entropy and KD) to it.',
      { code: 'noTrainer' });
  }
  const chains = analyzeChains(experiment);
  const { ordered, cyclic } = orderChains(experiment, chains);
  checkChainLearners(experiment, chains, report);
  checkRoles(experiment, chains, report);
  checkTeachingLoops(chains, cyclic, report);
  checkIdenticalStarts(experiment, initialSeeds(experiment, ordered, defaultTrainerSettings.seed), report);
}

/** Two networks of the same layers and seed would start from the same weights (a born-again generation must not). */
function checkIdenticalStarts(experiment: ExperimentFile, seeds: ReadonlyMap<string, number>, report: Report): void {
  const seen = new Map<string, NodeOf<'model'>>();
  for (const model of nodesOfKind(experiment, 'model')) {
    const seed = seeds.get(model.id);
    if (seed === undefined) continue;
    const { inputShape, layers } = model.params.architecture;
    const key = `${seed}|${canonicalJson({ inputShape, layers })}`;
    const twin = seen.get(key);
    if (twin === undefined) {
      seen.set(key, model);
      continue;
    }
    report(model.id, 'warning', `${describeNode(model)} starts from the same weights as ${describeNode(twin)} (same layers, ` +
      `seed ${seed}): give ${model.params.role === 'teacher' ? 'its training' : 'its first trainer'} another seed so the two start apart.`,
    { code: 'identicalStart', twin: twin.id, seed, teacher: model.params.role === 'teacher' });
  }
}
