import { getLoss } from '../losses/registry';
import { PRUNING_LIMITS } from '../compress/types';
import type { LayerSpec } from '../models/spec';
import { modelFeeding, nodeById } from './queries';
import type { ExperimentFile, GraphNode } from './schema';
import type { SweepProblem } from './sweepProblems';
import { validateGraph } from './validate';
import type { GraphProblem } from './validateReport';

/**
 * Parameter sweeps: one experiment expanded into variants, each with one or two parameters set to
 * values from a list (a grid for two). Every variant is checked by validateGraph before the sweep
 * starts, so a value that breaks the graph is refused with its reason instead of failing a run later.
 */

export type SweepParameter =
  /** A numeric parameter of a loss block (KD's temperature T, DKD's alpha, ...). */
  | { kind: 'lossParam'; nodeId: string; key: string }
  /** A loss block's weight in its trainer's total. */
  | { kind: 'lossWeight'; nodeId: string }
  /** One trainer's learning rate, or every trainer's when nodeId is null. */
  | { kind: 'learningRate'; nodeId: string | null }
  /** A factor on a learner's dense units and conv filters (the logits layer keeps its classes). */
  | { kind: 'width'; nodeId: string }
  /** The layer a guide or guided node taps. */
  | { kind: 'tapLayer'; nodeId: string }
  /** The target sparsity of a pruning trainer (accuracy against sparsity, with and without the teacher). */
  | { kind: 'pruningTarget'; nodeId: string };

export type SweepValue = number | string;

export interface SweepAxis {
  parameter: SweepParameter;
  /** The parameter's short name, for messages: "T", "lr". */
  symbol: string;
  values: SweepValue[];
}

/** "T = 4, lr = 0.01": one run's values named. */
export const describeSweepValues = (axes: readonly Pick<SweepAxis, 'symbol'>[], values: readonly SweepValue[]): string =>
  axes.map((axis, index) => `${axis.symbol} = ${values[index]}`).join(', ');

/** One run of a sweep: its values (one per axis) and the experiment they make. */
export interface SweepVariant {
  values: SweepValue[];
  experiment: ExperimentFile;
}

/** A parameter offered in the sweep dialog. */
export interface SweepParameterChoice {
  parameter: SweepParameter;
  /** "KD (T = 20): T", "Distil: learning rate". */
  label: string;
  /** Short name for progress lines and chart axes: "T", "lr", "width ×". */
  symbol: string;
  /** The value in the graph now. */
  current: SweepValue;
  /** Layer ids a tap may take (tapLayer only): the ones whose variant passes validation. */
  layerChoices?: string[];
}

/** Most runs one sweep may queue; larger grids belong to the headless runner. */
export const MAX_SWEEP_RUNS = 24;

export const sweepParameterId = (parameter: SweepParameter): string =>
  `${parameter.kind}:${parameter.nodeId ?? '*'}${parameter.kind === 'lossParam' ? `:${parameter.key}` : ''}`;

/** Dense units and conv filters times `factor`, rounded, at least 1; the last (logits) layer unchanged. */
function scaleWidths(layers: LayerSpec[], factor: number): LayerSpec[] {
  const scale = (n: number): number => Math.max(1, Math.round(n * factor));
  return layers.map((layer, index) => {
    if (index === layers.length - 1) return layer;
    if (layer.kind === 'dense') return { ...layer, units: scale(layer.units) };
    if (layer.kind === 'conv2d') return { ...layer, filters: scale(layer.filters) };
    return layer;
  });
}

function patchNode(node: GraphNode, parameter: SweepParameter, value: SweepValue): GraphNode {
  const number = Number(value);
  switch (parameter.kind) {
    case 'lossParam':
      return node.kind === 'loss' ? { ...node, params: { ...node.params, params: { ...node.params.params, [parameter.key]: number } } } : node;
    case 'lossWeight':
      return node.kind === 'loss' ? { ...node, params: { ...node.params, weight: number } } : node;
    case 'learningRate':
      return node.kind === 'trainer' ? { ...node, params: { ...node.params, learningRate: number } } : node;
    case 'width': {
      if (node.kind !== 'model') return node;
      const { architecture } = node.params;
      return { ...node, params: { ...node.params, architecture: { ...architecture, layers: scaleWidths(architecture.layers, number) } } };
    }
    case 'pruningTarget':
      return node.kind === 'trainer' && node.params.pruning
        ? { ...node, params: { ...node.params, pruning: { ...node.params.pruning, targetSparsity: number } } } : node;
    case 'tapLayer':
      if (node.kind === 'guide') return { ...node, params: { ...node.params, layerId: String(value) } };
      return node.kind === 'guided' ? { ...node, params: { ...node.params, layerId: String(value) } } : node;
  }
}

/** The experiment with one parameter set to `value`; throws when the node is missing or of another kind. */
export function applySweepValue(file: ExperimentFile, parameter: SweepParameter, value: SweepValue): ExperimentFile {
  const targets = parameter.nodeId === null ? file.nodes.filter((node) => node.kind === 'trainer') : [nodeById(file, parameter.nodeId)];
  const found = targets.filter((node): node is GraphNode => node !== undefined);
  if (found.length === 0) throw new Error(`The swept node '${parameter.nodeId ?? 'trainers'}' is not in the graph.`);
  const patched = new Map(found.map((node) => [node.id, patchNode(node, parameter, value)]));
  if (found.some((node) => patched.get(node.id) === node)) throw new Error(`Node '${found[0].label}' has no ${parameter.kind} to sweep.`);
  return { ...file, nodes: file.nodes.map((node) => patched.get(node.id) ?? node) };
}

/** The graph's errors, in validation order. */
const errorsOf = (file: ExperimentFile): GraphProblem[] => validateGraph(file).filter((p) => p.severity === 'error');

/** The parameters a sweep can vary in this experiment, in graph order. */
export function sweepParameterChoices(file: ExperimentFile): SweepParameterChoice[] {
  const choices: SweepParameterChoice[] = [];
  const trainers = file.nodes.filter((node) => node.kind === 'trainer');
  for (const node of file.nodes) {
    if (node.kind === 'loss') {
      for (const def of getLoss(node.params.lossId).params) {
        if (def.choices !== undefined) continue;
        choices.push({ parameter: { kind: 'lossParam', nodeId: node.id, key: def.key }, label: `${node.label}: ${def.label}`, symbol: def.key,
          current: node.params.params[def.key] ?? def.default });
      }
      choices.push({ parameter: { kind: 'lossWeight', nodeId: node.id }, label: `${node.label}: weight`, symbol: `w(${node.label})`, current: node.params.weight });
    } else if (node.kind === 'trainer') {
      choices.push({ parameter: { kind: 'learningRate', nodeId: node.id }, label: `${node.label}: learning rate`, symbol: 'lr', current: node.params.learningRate });
      if (node.params.pruning) {
        choices.push({ parameter: { kind: 'pruningTarget', nodeId: node.id }, label: `${node.label}: pruning target sparsity`, symbol: 'sparsity',
          current: node.params.pruning.targetSparsity });
      }
    } else if (node.kind === 'model' && node.params.role !== 'teacher') {
      choices.push({ parameter: { kind: 'width', nodeId: node.id }, label: `${node.label}: width factor`, symbol: 'width ×', current: 1 });
    } else if (node.kind === 'guide' || node.kind === 'guided') {
      const model = modelFeeding(file, node.id);
      const parameter: SweepParameter = { kind: 'tapLayer', nodeId: node.id };
      const layerChoices = (model?.params.architecture.layers ?? []).map((layer) => layer.id)
        .filter((layerId) => layerId === node.params.layerId || errorsOf(applySweepValue(file, parameter, layerId)).length === 0);
      if (layerChoices.length > 1) choices.push({ parameter, label: `${node.label}: tapped layer`, symbol: `layer(${node.label})`, current: node.params.layerId, layerChoices });
    }
  }
  if (trainers.length > 1) {
    choices.push({ parameter: { kind: 'learningRate', nodeId: null }, label: 'Every trainer: learning rate', symbol: 'lr', current: trainers[0].params.learningRate });
  }
  return choices;
}

const LEARNING_RATE_MAX = 10;
const WIDTH_MAX = 8;

/** Why a value cannot be swept, or null when it can (the graph check comes after, on the whole variant). */
function valueProblem(file: ExperimentFile, choice: SweepParameterChoice, value: SweepValue): SweepProblem | null {
  const { parameter } = choice;
  if (parameter.kind === 'tapLayer') {
    return choice.layerChoices?.includes(String(value)) ? null : { code: 'notATapLayer', entry: String(value), layers: choice.layerChoices ?? [] };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return { code: 'notANumber', entry: String(value) };
  switch (parameter.kind) {
    case 'lossParam': {
      const node = nodeById(file, parameter.nodeId);
      const def = node?.kind === 'loss' ? getLoss(node.params.lossId).params.find((d) => d.key === parameter.key) : undefined;
      if (def === undefined) return { code: 'noSuchLossParam', key: parameter.key };
      const where = { nodeId: parameter.nodeId, key: parameter.key, value };
      if (value < def.min || value > def.max) return { code: 'lossParamRange', ...where, min: def.min, max: def.max };
      return def.integer && !Number.isInteger(value) ? { code: 'lossParamWhole', ...where } : null;
    }
    case 'lossWeight':
      return value < 0 ? { code: 'lossWeightRange', value } : null;
    case 'learningRate':
      return value <= 0 || value > LEARNING_RATE_MAX ? { code: 'learningRateRange', max: LEARNING_RATE_MAX, value } : null;
    case 'width':
      return value <= 0 || value > WIDTH_MAX ? { code: 'widthRange', max: WIDTH_MAX, value } : null;
    case 'pruningTarget': {
      const { min, max } = PRUNING_LIMITS.targetSparsity;
      return value < min || value > max ? { code: 'pruningTargetRange', min, max, value } : null;
    }
  }
}

/** Reads "1, 4, 20" (commas or spaces) into values for a parameter; a problem names the first bad entry. */
export function parseSweepValues(file: ExperimentFile, choice: SweepParameterChoice, text: string): { values: SweepValue[] } | { problem: SweepProblem } {
  const entries = text.split(/[,\s]+/).filter((entry) => entry !== '');
  if (entries.length === 0) return { problem: { code: 'noValues', symbol: choice.symbol } };
  const values: SweepValue[] = [];
  for (const entry of entries) {
    const value = choice.parameter.kind === 'tapLayer' ? entry : Number(entry);
    const problem = typeof value === 'number' && Number.isNaN(value) ? { code: 'notANumber' as const, entry } : valueProblem(file, choice, value);
    if (problem !== null) return { problem };
    if (values.includes(value)) return { problem: { code: 'listedTwice', entry } };
    values.push(value);
  }
  return { values };
}

/**
 * Every variant of the grid, the first axis varying slowest, each validated; the first variant
 * that has a graph error refuses the whole sweep with its reason.
 */
export function expandSweep(file: ExperimentFile, axes: SweepAxis[]): { variants: SweepVariant[] } | { problem: SweepProblem } {
  if (axes.length < 1 || axes.length > 2) return { problem: { code: 'axisCount' } };
  if (axes.length === 2 && sweepParameterId(axes[0].parameter) === sweepParameterId(axes[1].parameter)) {
    return { problem: { code: 'sameParameter' } };
  }
  const count = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (count < 2) return { problem: { code: 'tooFewRuns' } };
  if (count > MAX_SWEEP_RUNS) return { problem: { code: 'tooManyRuns', count, max: MAX_SWEEP_RUNS } };
  let grid: SweepValue[][] = [[]];
  for (const axis of axes) grid = grid.flatMap((values) => axis.values.map((value) => [...values, value]));
  const variants: SweepVariant[] = [];
  for (const values of grid) {
    let experiment: ExperimentFile;
    try {
      experiment = axes.reduce((patched, axis, index) => applySweepValue(patched, axis.parameter, values[index]), file);
    } catch (error) {
      return { problem: { code: 'notApplied', message: error instanceof Error ? error.message : String(error) } };
    }
    const [first] = errorsOf(experiment);
    if (first !== undefined) {
      const nodeLabel = first.nodeId === null ? null : nodeById(experiment, first.nodeId)?.label ?? first.nodeId;
      return { problem: { code: 'variantInvalid', values: describeSweepValues(axes, values), nodeLabel, problem: first } };
    }
    variants.push({ values, experiment });
  }
  return { variants };
}
