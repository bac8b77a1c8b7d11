import type { ArchitectureSpec } from '../models/spec';
import type { TrainingPlan } from './plan';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel (nor pooling gradients), so it can
 * train dense models only. The studio's worker, the headless runner and the benchmark ask here.
 */
const LAYERS_WASM_CANNOT_TRAIN = new Set(['conv2d', 'maxPool', 'avgPool']);

export function layersWasmCannotTrain(spec: ArchitectureSpec): string[] {
  return spec.layers.filter((layer) => LAYERS_WASM_CANNOT_TRAIN.has(layer.kind)).map((layer) => `${spec.name}/${layer.id} (${layer.kind})`);
}

/** Why this plan cannot train on wasm, or null when it can. */
export function wasmRefusal(plan: TrainingPlan): string | null {
  const layers = [...layersWasmCannotTrain(plan.teacher.architecture), ...layersWasmCannotTrain(plan.student.architecture)];
  const convAdapters = plan.adapters.filter((adapter) => adapter.kind !== 'dense').map((adapter) => `adapter ${adapter.id} (${adapter.kind})`);
  const all = [...layers, ...convAdapters];
  if (all.length === 0) return null;
  return `WebAssembly cannot train convolutions or pooling (tfjs-backend-wasm has no Conv2DBackpropFilter kernel); ` +
    `this experiment has ${all.slice(0, 4).join(', ')}${all.length > 4 ? ', ...' : ''}`;
}
