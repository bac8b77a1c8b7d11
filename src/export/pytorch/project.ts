import { zipSync, strToU8 } from 'fflate';
import { getDatasetInfo } from '../../data/registry';
import type { ArchitectureSpec, LayerWeights } from '../../models/spec';
import { encodeWeights } from '../../models/weightsFile';
import type { TrainingPlan } from '../../train/plan';
import { dataPy } from './dataPy';
import { checkLossesSupported, lossesPy, pythonParams } from './lossesPy';
import { modelsPy } from './modelsPy';
import { PyTorchExportError } from './pySource';
import { projectReadme } from './readme';
import { trainPy } from './trainPy';
import { weightsPy } from './weightsPy';

/**
 * A runnable PyTorch project for a compiled experiment: models.py, losses.py, data.py,
 * studio_weights.py, train.py, config.json, requirements.txt, README.md and, when given, the
 * networks' and adapters' current weights in the studio's weights format (weights/).
 */

export interface ProjectWeights {
  layers: LayerWeights[];
  /** Trained weights (a teacher's phase is then skipped) rather than a network's initial ones. */
  trained: boolean;
}

export interface PyTorchProjectInput {
  plan: TrainingPlan;
  /** By model id. */
  weights?: Record<string, ProjectWeights>;
  /** By adapter id. */
  adapterWeights?: Record<string, LayerWeights[]>;
}

export interface ProjectFile { path: string; data: Uint8Array }

/** A file name from a model id (baseline ids hold a '/'). */
export const weightsStem = (id: string): string => id.replace(/[^A-Za-z0-9_.-]/g, '__');

/** The experiment's settings as train.py reads them. */
export function projectConfig(input: PyTorchProjectInput): Record<string, unknown> {
  const { plan } = input;
  checkLossesSupported(plan);
  const info = getDatasetInfo(plan.dataset.datasetId);
  for (const phase of plan.phases) {
    const sampler = phase.sampler ?? plan.dataset.sampler;
    if (sampler !== undefined && sampler.kind !== 'shuffled') {
      throw new PyTorchExportError(`The PyTorch export draws shuffled batches only; phase '${phase.label}' uses ${sampler.kind} batches.`);
    }
    // train.py has no masks: refused rather than exported as a dense training that silently differs.
    // A pruned student's baseline prunes too; the student's own stage is the one the user can turn off.
    const pruning = phase.kind === 'baseline' ? undefined : phase.stages.find((stage) => stage.pruning !== undefined);
    if (pruning !== undefined) {
      throw new PyTorchExportError(`The PyTorch export does not prune; stage '${pruning.name}' of '${phase.label}' does. Turn its pruning off to export the project.`);
    }
  }
  return {
    experimentName: plan.experimentName,
    dataset: {
      ...plan.dataset,
      augmentFlip: plan.dataset.augmentFlip ?? false,
      shape: info.shape,
      classes: info.classes,
      normalization: info.normalization,
    },
    models: plan.models.map((model) => ({
      id: model.id, label: model.label, role: model.role, seed: model.seed, taps: model.taps,
      ...(model.baselineOf === undefined ? {} : { baselineOf: model.baselineOf }),
    })),
    adapters: plan.adapters.map(({ id, kind, modelId, layerId }) => ({ id, kind, modelId, layerId })),
    phases: plan.phases.map((phase) => ({
      id: phase.id,
      kind: phase.kind,
      label: phase.label,
      trains: phase.trains,
      frozen: phase.frozen,
      augmentShift: phase.augmentShift,
      ...(phase.trainSubset === undefined ? {} : { trainSubset: phase.trainSubset }),
      stages: phase.stages.map((stage) => ({
        name: stage.name,
        settings: stage.settings,
        trainUpTo: stage.trainUpTo,
        terms: stage.terms.map(({ term, schedule }) => ({
          nodeId: term.nodeId,
          lossId: term.lossId,
          label: term.label,
          weight: term.weight,
          params: pythonParams(term),
          inputs: term.inputs,
          schedule,
        })),
      })),
    })),
    weights: Object.fromEntries(Object.entries(input.weights ?? {}).map(([id, entry]) => [id, { file: `weights/${weightsStem(id)}`, trained: entry.trained }])),
    adapterWeights: Object.fromEntries(Object.keys(input.adapterWeights ?? {}).map((id) => [id, `weights/adapter-${weightsStem(id)}`])),
  };
}

function weightFiles(stem: string, layers: LayerWeights[]): ProjectFile[] {
  const { layout, data } = encodeWeights(layers);
  return [
    { path: `${stem}.json`, data: strToU8(JSON.stringify(layout)) },
    { path: `${stem}.bin`, data },
  ];
}

/** Every file of the project, paths relative to its root. Throws PyTorchExportError for what it cannot write faithfully. */
export function pytorchProjectFiles(input: PyTorchProjectInput): ProjectFile[] {
  const config = projectConfig(input);
  const text = (path: string, content: string): ProjectFile => ({ path, data: strToU8(content) });
  const files = [
    text('config.json', JSON.stringify(config, null, 2) + '\n'),
    text('models.py', modelsPy(input.plan)),
    text('losses.py', lossesPy()),
    text('data.py', dataPy()),
    text('studio_weights.py', weightsPy()),
    text('train.py', trainPy()),
    text('requirements.txt', 'torch>=1.13\nnumpy\n'),
    text('README.md', projectReadme(input.plan, Object.keys(input.weights ?? {}))),
  ];
  for (const [id, entry] of Object.entries(input.weights ?? {})) files.push(...weightFiles(`weights/${weightsStem(id)}`, entry.layers));
  for (const [id, layers] of Object.entries(input.adapterWeights ?? {})) files.push(...weightFiles(`weights/adapter-${weightsStem(id)}`, layers));
  return files;
}

/** The project as one zip, every file under a folder named after the experiment. */
export function pytorchProjectZip(input: PyTorchProjectInput): { zip: Uint8Array; fileName: string } {
  const folder = `${input.plan.experimentName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'experiment'}-pytorch`;
  const entries: Record<string, Uint8Array> = {};
  for (const file of pytorchProjectFiles(input)) entries[`${folder}/${file.path}`] = file.data;
  return { zip: zipSync(entries, { level: 6 }), fileName: `${folder}.zip` };
}

/**
 * The project input for a plan and the networks a run trained (by model id): each network's
 * trained weights go with the project when its architecture is still the plan's, so edits made
 * since the run never ship weights of another shape.
 */
export function projectInputFor(plan: TrainingPlan, trained: Record<string, { spec: ArchitectureSpec; weights: LayerWeights[] }>): PyTorchProjectInput {
  const weights: Record<string, ProjectWeights> = {};
  for (const model of plan.models) {
    const run = trained[model.id];
    if (run !== undefined && JSON.stringify(run.spec) === JSON.stringify(model.architecture)) weights[model.id] = { layers: run.weights, trained: true };
  }
  return { plan, weights };
}
