import { summarizeArchitecture } from '../../models/shapes';
import type { ArchitectureSpec, LayerSpec, Shape } from '../../models/spec';
import type { AdapterPlan, TrainingPlan } from '../../train/plan';
import { PyTorchExportError, py, pyClassName } from './pySource';

/**
 * models.py: one nn.Module per network of the plan, written out layer by layer from its spec, and
 * the plan's adapters. PyTorch is NCHW where the studio is NHWC; the generated code keeps the
 * studio's numbers anyway: flatten reads a map in H, W, C order (so dense kernels only transpose),
 * and 'same' padding is tfjs's (the extra row/column of an even total goes after, as in TF).
 * `forward` is one assignment per layer id into `h`, and returns the logits and `h`, where losses
 * read tapped layers by id.
 */

interface LayerCode {
  /** Constructor line(s) registering the module, or null for a functional layer. */
  init: string | null;
  /** Python expression of the layer's output given `x`, the expression of its input. */
  apply: (x: string) => string;
}

/** tfjs 'same' padding along one axis: [before, after]. */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

function layerCode(layer: LayerSpec, input: Shape, modelName: string): LayerCode {
  const self = `self.layers[${py(layer.id)}]`;
  const where = `layer '${layer.id}' of '${modelName}'`;
  switch (layer.kind) {
    case 'dense':
      return { init: `nn.Linear(${input[0]}, ${layer.units})`, apply: (x) => `${self}(${x})` };
    case 'conv2d': {
      const [top, bottom] = layer.padding === 'same' ? samePadding(input[0], layer.kernelSize, layer.strides) : [0, 0];
      const [left, right] = layer.padding === 'same' ? samePadding(input[1], layer.kernelSize, layer.strides) : [0, 0];
      const symmetric = top === bottom && left === right;
      const init = `nn.Conv2d(${input[2]}, ${layer.filters}, ${layer.kernelSize}, stride=${layer.strides}, ` +
        `padding=${symmetric ? `(${top}, ${left})` : '0'})`;
      return { init, apply: (x) => symmetric ? `${self}(${x})` : `${self}(F.pad(${x}, (${left}, ${right}, ${top}, ${bottom})))` };
    }
    case 'maxPool':
    case 'avgPool': {
      const [top, bottom] = layer.padding === 'same' ? samePadding(input[0], layer.poolSize, layer.strides) : [0, 0];
      const [left, right] = layer.padding === 'same' ? samePadding(input[1], layer.poolSize, layer.strides) : [0, 0];
      const padded = top + bottom + left + right > 0;
      // tfjs's average pooling leaves padding out of each window's count, which a padded PyTorch pool cannot say.
      if (padded && layer.kind === 'avgPool') {
        throw new PyTorchExportError(`The PyTorch export cannot mirror 'same' average pooling with padding (${where}); use 'valid' padding.`);
      }
      const pool = layer.kind === 'maxPool' ? 'nn.MaxPool2d' : 'nn.AvgPool2d';
      const init = `${pool}(${layer.poolSize}, stride=${layer.strides})`;
      return { init, apply: (x) => padded ? `${self}(F.pad(${x}, (${left}, ${right}, ${top}, ${bottom}), value=float('-inf')))` : `${self}(${x})` };
    }
    case 'flatten':
      return { init: null, apply: (x) => input.length === 3 ? `${x}.permute(0, 2, 3, 1).flatten(1)` : `${x}.flatten(1)` };
    case 'relu':
      return { init: null, apply: (x) => `F.relu(${x})` };
    case 'batchNorm': {
      // Keras momentum m keeps m of the old statistics; PyTorch's momentum is the new share.
      const norm = input.length === 3 ? `nn.BatchNorm2d(${input[2]}` : `nn.BatchNorm1d(${input[0]}`;
      return { init: `${norm}, eps=${layer.epsilon}, momentum=${py(1 - layer.momentum)})`, apply: (x) => `${self}(${x})` };
    }
    case 'dropout':
      return { init: `nn.Dropout(${layer.rate})`, apply: (x) => `${self}(${x})` };
    default: {
      const unknown: never = layer;
      throw new PyTorchExportError(`The PyTorch export has no code for layer ${JSON.stringify(unknown)}.`);
    }
  }
}

/** How the studio's weights of each weighted layer map to the module's tensors (see studio_weights.py). */
const WEIGHT_KIND: Partial<Record<LayerSpec['kind'], string>> = { dense: 'dense', conv2d: 'conv2d', batchNorm: 'batchNorm' };

export function networkClass(spec: ArchitectureSpec, className: string): string {
  const summary = summarizeArchitecture(spec);
  const init: string[] = [];
  const forward: string[] = [];
  const weighted: string[] = [];
  let previous = 'input';
  let shape: Shape = [...spec.inputShape];
  spec.layers.forEach((layer, index) => {
    const code = layerCode(layer, shape, spec.name);
    if (code.init !== null) init.push(`        self.layers[${py(layer.id)}] = ${code.init}`);
    forward.push(`        h[${py(layer.id)}] = ${code.apply(`h[${py(previous)}]`)}`);
    const kind = WEIGHT_KIND[layer.kind];
    if (kind !== undefined) weighted.push(`(${py(layer.id)}, ${py(kind)})`);
    previous = layer.id;
    shape = summary.layers[index].outputShape;
  });
  return [
    `class ${className}(nn.Module):`,
    `    """${spec.name}: input [C, H, W] = [${spec.inputShape[2]}, ${spec.inputShape[0]}, ${spec.inputShape[1]}]."""`,
    `    WEIGHTED = [${weighted.join(', ')}]`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.layers = nn.ModuleDict()',
    ...init,
    '',
    '    def forward(self, x):',
    `        h = {"input": x}`,
    ...forward,
    `        return h[${py(previous)}], h`,
  ].join('\n');
}

function adapterEntry(adapter: AdapterPlan): string {
  const [inShape, outShape] = [adapter.inputShape, adapter.outputShape];
  switch (adapter.kind) {
    case 'conv1x1':
    case 'conv3x3': {
      const k = adapter.kind === 'conv1x1' ? 1 : 3;
      return `Adapter(${py(adapter.id)}, "conv2d", nn.Conv2d(${inShape[2]}, ${outShape[2]}, ${k}, padding=${(k - 1) / 2}))`;
    }
    case 'dense':
      return `Adapter(${py(adapter.id)}, "dense", nn.Linear(${inShape[0]}, ${outShape[0]}))`;
    case 'classifier':
      return `Adapter(${py(adapter.id)}, "dense", nn.Linear(${inShape[inShape.length - 1]}, ${outShape[0]}), pool=${inShape.length === 3 ? 'True' : 'False'})`;
    default: {
      const unknown: never = adapter.kind;
      throw new PyTorchExportError(`The PyTorch export has no code for adapter kind '${String(unknown)}'.`);
    }
  }
}

const HEADER = `"""Networks of the experiment, generated by Distillation Studio from its architecture specs.

Inputs are NCHW. Each forward returns (logits, h) where h maps every layer id to its output, so a
loss reads a tapped layer as h["relu2"]. Feature maps are NCHW; flatten reads H, W, C order, as the
studio does, so a studio dense kernel [in, out] is this module's weight transposed.
"""
import torch
import torch.nn.functional as F
from torch import nn
`;

const ADAPTER_CLASS = `
class Adapter(nn.Module):
    """A FitNet regressor (1x1/3x3 conv or dense, linear) or an auxiliary classifier (global average pool, dense)."""

    def __init__(self, layer_id, kind, layer, pool=False):
        super().__init__()
        self.layer_id, self.kind, self.layer, self.pool = layer_id, kind, layer, pool

    def forward(self, x):
        return self.layer(x.mean(dim=(2, 3)) if self.pool else x)
`;

/** models.py for the plan: a class per distinct network (a baseline shares its student's class). */
export function modelsPy(plan: TrainingPlan): string {
  const classes = new Map<string, string>();
  const parts = [HEADER];
  for (const model of plan.models) {
    if (model.baselineOf !== undefined) continue;
    const name = pyClassName(model.id, classes);
    classes.set(model.id, name);
    parts.push('', networkClass(model.architecture, name));
  }
  parts.push(ADAPTER_CLASS);
  const registry = plan.models.map((model) => `    ${py(model.id)}: ${classes.get(model.baselineOf ?? model.id) ?? 'None'},`);
  parts.push('# Model id (the studio node id) -> class.', 'NETWORKS = {', ...registry, '}', '');
  parts.push('', 'def build_adapters():', '    """Adapter id -> module, as the plan defines them."""', '    return {');
  for (const adapter of plan.adapters) parts.push(`        ${py(adapter.id)}: ${adapterEntry(adapter)},`);
  parts.push('    }', '');
  return parts.join('\n');
}
