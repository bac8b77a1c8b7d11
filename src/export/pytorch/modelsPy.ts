import { summarizeArchitecture } from '../../models/shapes';
import type { ArchitectureSpec, LayerSpec, Shape } from '../../models/spec';
import { INPUT_LAYER_NAME, layerInputs } from '../../models/wiring';
import type { AdapterPlan, TrainingPlan } from '../../train/plan';
import { PyTorchExportError, py, pyClassName } from './pySource';

/**
 * models.py: one nn.Module per network of the plan, written out layer by layer from its spec, and
 * the plan's adapters. PyTorch is NCHW where the studio is NHWC; the generated code keeps the
 * studio's numbers anyway: flatten reads a map in H, W, C order (so dense kernels only transpose),
 * and 'same' padding is tfjs's (the extra row/column of an even total goes after, as in TF).
 * `forward` is one assignment per layer id into `h`, each layer reading its real inputs (a spec is a
 * small DAG: `from` and `add` inputs, see wiring.ts), and returns the logits and `h`, where losses
 * read tapped layers by id. Each layer's module is sized from the shape of the layer it reads.
 */

interface LayerCode {
  /** Constructor line(s) registering the module, or null for a functional layer. */
  init: string | null;
  /** Python expression of the layer's output given `x`, the expression of its input. */
  apply: (x: string) => string;
}

/** Python expression of an `add` layer's output: the element-wise sum of its inputs. */
const sumOf = (inputs: string[]): string => inputs.join(' + ');

/** The module's constructor arguments and forward for tfjs 'same'/'valid' padding of a square window. */
function padded(input: Shape, layer: { kernelSize: number; strides: number; padding: 'same' | 'valid' }): { padding: string; pad: (x: string) => string } {
  const [top, bottom] = layer.padding === 'same' ? samePadding(input[0], layer.kernelSize, layer.strides) : [0, 0];
  const [left, right] = layer.padding === 'same' ? samePadding(input[1], layer.kernelSize, layer.strides) : [0, 0];
  // PyTorch pads both sides alike; tfjs puts the odd extra row/column after, which F.pad says.
  const symmetric = top === bottom && left === right;
  return {
    padding: symmetric ? `(${top}, ${left})` : '0',
    pad: (x) => symmetric ? x : `F.pad(${x}, (${left}, ${right}, ${top}, ${bottom}))`,
  };
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
    case 'conv2d':
    case 'depthwiseConv2d': {
      if (input.length !== 3) throw new PyTorchExportError(`The PyTorch export needs a [H, W, C] map into ${where} (${layer.kind}); it reads [${input.join(', ')}].`);
      const { padding, pad } = padded(input, layer);
      const channels = input[2];
      const out = layer.kind === 'conv2d' ? layer.filters : channels;
      const groups = layer.kind === 'depthwiseConv2d' ? `, groups=${channels}` : '';
      const bias = layer.useBias === false ? ', bias=False' : '';
      const init = `nn.Conv2d(${channels}, ${out}, ${layer.kernelSize}, stride=${layer.strides}, padding=${padding}${groups}${bias})`;
      return { init, apply: (x) => `${self}(${pad(x)})` };
    }
    case 'globalAvgPool':
      if (input.length !== 3) throw new PyTorchExportError(`The PyTorch export needs a [H, W, C] map into ${where} (globalAvgPool); it reads [${input.join(', ')}].`);
      return { init: null, apply: (x) => `${x}.mean(dim=(2, 3))` };
    case 'activation':
      switch (layer.fn) {
        case 'relu6':
          return { init: null, apply: (x) => `F.relu6(${x})` };
        case 'sigmoid':
          return { init: null, apply: (x) => `torch.sigmoid(${x})` };
        default: {
          const unknown: never = layer.fn;
          throw new PyTorchExportError(`The PyTorch export has no code for activation '${String(unknown)}' (${where}).`);
        }
      }
    case 'add':
    case 'concat':
      // networkClass writes these from all their inputs itself; one input here would be a wiring error.
      throw new PyTorchExportError(`The PyTorch export writes ${layer.kind} layers from all their inputs (${where}).`);
    case 'maxPool':
    case 'avgPool': {
      const [top, bottom] = layer.padding === 'same' ? samePadding(input[0], layer.poolSize, layer.strides) : [0, 0];
      const [left, right] = layer.padding === 'same' ? samePadding(input[1], layer.poolSize, layer.strides) : [0, 0];
      const padded = top + bottom + left + right > 0;
      const pad = `(${left}, ${right}, ${top}, ${bottom})`;
      const pool = layer.kind === 'maxPool' ? 'nn.MaxPool2d' : 'nn.AvgPool2d';
      const init = `${pool}(${layer.poolSize}, stride=${layer.strides})`;
      if (!padded) return { init, apply: (x) => `${self}(${x})` };
      if (layer.kind === 'maxPool') return { init, apply: (x) => `${self}(F.pad(${x}, ${pad}, value=float('-inf')))` };
      // tfjs leaves the padding out of each window's count (it may be uneven): the zero-padded mean
      // divided by the mean of a zero-padded mask of ones is the mean over the real pixels only.
      return { init, apply: (x) => `${self}(F.pad(${x}, ${pad})) / ${self}(F.pad(torch.ones_like(${x}[:, :1]), ${pad}))` };
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
    case 'pad': {
      const [top, bottom, left, right] = layer.pads;
      const fill = layer.fill === 'lowest' ? ", value=float('-inf')" : '';
      return { init: null, apply: (x) => `F.pad(${x}, (${left}, ${right}, ${top}, ${bottom})${fill})` };
    }
    default: {
      const unknown: never = layer;
      throw new PyTorchExportError(`The PyTorch export has no code for layer ${JSON.stringify(unknown)}.`);
    }
  }
}

/** How the studio's weights of each weighted layer map to the module's tensors (see studio_weights.py). */
const WEIGHT_KIND: Partial<Record<LayerSpec['kind'], string>> = {
  dense: 'dense', conv2d: 'conv2d', depthwiseConv2d: 'depthwiseConv2d', batchNorm: 'batchNorm',
};

export function networkClass(spec: ArchitectureSpec, className: string): string {
  const summary = summarizeArchitecture(spec);
  const inputs = layerInputs(spec);
  const shapes = new Map<string, Shape>([[INPUT_LAYER_NAME, [...spec.inputShape]]]);
  const init: string[] = [];
  const forward: string[] = [];
  const weighted: string[] = [];
  const wiring: string[] = [];
  spec.layers.forEach((layer, index) => {
    const reads = inputs[index].map((id) => `h[${py(id)}]`);
    let output: string;
    if (layer.kind === 'add') {
      output = sumOf(reads);
    } else if (layer.kind === 'concat') {
      // dim 1 is the channel axis of an NCHW map, and the feature axis of a vector (kept in tfjs order here).
      output = `torch.cat([${reads.join(', ')}], dim=1)`;
    } else {
      const code = layerCode(layer, shapes.get(inputs[index][0]) as Shape, spec.name);
      if (code.init !== null) init.push(`        self.layers[${py(layer.id)}] = ${code.init}`);
      output = code.apply(reads[0]);
    }
    forward.push(`        h[${py(layer.id)}] = ${output}`);
    wiring.push(`${py(layer.id)}: [${inputs[index].map((id) => py(id)).join(', ')}]`);
    const kind = WEIGHT_KIND[layer.kind];
    if (kind !== undefined) weighted.push(`(${py(layer.id)}, ${py(kind)})`);
    shapes.set(layer.id, summary.layers[index].outputShape);
  });
  const last = spec.layers[spec.layers.length - 1].id;
  return [
    `class ${className}(nn.Module):`,
    `    """${spec.name}: input [C, H, W] = [${spec.inputShape[2]}, ${spec.inputShape[0]}, ${spec.inputShape[1]}]."""`,
    `    WEIGHTED = [${weighted.join(', ')}]`,
    `    # Layer id -> the ids it reads ("input" is the image), for training up to a layer.`,
    `    INPUTS = {${wiring.join(', ')}}`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    '        self.layers = Layers()',
    ...init,
    '',
    '    def forward(self, x):',
    `        h = {"input": x}`,
    ...forward,
    `        return h[${py(last)}], h`,
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


class Layers(nn.ModuleDict):
    """The network's modules by studio layer id. Stored under "l_" + id, so an id that is also a
    Module attribute ("eval", "type", "training") is a layer like any other."""

    def __setitem__(self, layer_id, module):
        super().__setitem__("l_" + layer_id, module)

    def __getitem__(self, layer_id):
        return super().__getitem__("l_" + layer_id)

    def items(self):
        return [(key[2:], module) for key, module in super().items()]
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
