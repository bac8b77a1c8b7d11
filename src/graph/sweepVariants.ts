import { getLoss } from '../losses/registry';
import { PRUNING_LIMITS } from '../compress/types';
import type { LayerSpec } from '../models/spec';
import { modelFeeding, nodeById } from './queries';
import type { ExperimentFile, GraphNode } from './schema';
import { validateGraph } from './validate';

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

const errorsOf = (file: ExperimentFile): string[] => {
  const labels = new Map(file.nodes.map((node) => [node.id, node.label]));
  return validateGraph(file).filter((p) => p.severity === 'error')
    .map((p) => (p.nodeId === null ? p.message : `${labels.get(p.nodeId) ?? p.nodeId}: ${p.message}`));
};

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

/** Why a value cannot be swept, or null when it can (the graph check comes after, on the whole variant). */
function valueProblem(file: ExperimentFile, choice: SweepParameterChoice, value: SweepValue): string | null {
  const { parameter } = choice;
  if (parameter.kind === 'tapLayer') {
    return choice.layerChoices?.includes(String(value)) ? null : `'${value}' is not a layer this tap can take (${(choice.layerChoices ?? []).join(', ')}).`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `'${value}' is not a number.`;
  switch (parameter.kind) {
    case 'lossParam': {
      const node = nodeById(file, parameter.nodeId);
      const def = node?.kind === 'loss' ? getLoss(node.params.lossId).params.find((d) => d.key === parameter.key) : undefined;
      if (def === undefined) return `The loss has no parameter '${parameter.key}'.`;
      if (value < def.min || value > def.max) return `${def.label} takes ${def.min} to ${def.max}, not ${value}.`;
      return def.integer && !Number.isInteger(value) ? `${def.label} is a whole number, not ${value}.` : null;
    }
    case 'lossWeight':
      return value < 0 ? `A loss weight is 0 or more, not ${value}.` : null;
    case 'learningRate':
      return value <= 0 || value > 10 ? `A learning rate is above 0 and at most 10, not ${value}.` : null;
    case 'width':
      return value <= 0 || value > 8 ? `A width factor is above 0 and at most 8, not ${value}.` : null;
    case 'pruningTarget': {
      const { min, max } = PRUNING_LIMITS.targetSparsity;
      return value < min || value > max ? `A target sparsity is ${min} to ${max}, not ${value}.` : null;
    }
  }
}

/** Reads "1, 4, 20" (commas or spaces) into values for a parameter; an error names the first bad entry. */
export function parseSweepValues(file: ExperimentFile, choice: SweepParameterChoice, text: string): { values: SweepValue[] } | { error: string } {
  const entries = text.split(/[,\s]+/).filter((entry) => entry !== '');
  if (entries.length === 0) return { error: `Give ${choice.symbol} at least one value.` };
  const values: SweepValue[] = [];
  for (const entry of entries) {
    const value = choice.parameter.kind === 'tapLayer' ? entry : Number(entry);
    const problem = typeof value === 'number' && Number.isNaN(value) ? `'${entry}' is not a number.` : valueProblem(file, choice, value);
    if (problem !== null) return { error: problem };
    if (values.includes(value)) return { error: `${entry} is listed twice.` };
    values.push(value);
  }
  return { values };
}

/**
 * Every variant of the grid, the first axis varying slowest, each validated; the first variant
 * that has a graph error refuses the whole sweep with its reason.
 */
export function expandSweep(file: ExperimentFile, axes: SweepAxis[]): { variants: SweepVariant[] } | { error: string } {
  if (axes.length < 1 || axes.length > 2) return { error: 'A sweep varies one or two parameters.' };
  if (axes.length === 2 && sweepParameterId(axes[0].parameter) === sweepParameterId(axes[1].parameter)) {
    return { error: 'The two swept parameters are the same; pick another second parameter.' };
  }
  const count = axes.reduce((product, axis) => product * axis.values.length, 1);
  if (count < 2) return { error: 'A sweep needs at least two runs: give more values.' };
  if (count > MAX_SWEEP_RUNS) return { error: `That is ${count} runs; a sweep queues at most ${MAX_SWEEP_RUNS}.` };
  let grid: SweepValue[][] = [[]];
  for (const axis of axes) grid = grid.flatMap((values) => axis.values.map((value) => [...values, value]));
  const variants: SweepVariant[] = [];
  for (const values of grid) {
    let experiment: ExperimentFile;
    try {
      experiment = axes.reduce((patched, axis, index) => applySweepValue(patched, axis.parameter, values[index]), file);
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
    const errors = errorsOf(experiment);
    if (errors.length > 0) return { error: `With ${describeSweepValues(axes, values)}: ${errors[0]}` };
    variants.push({ values, experiment });
  }
  return { variants };
}
