import type { ArchitectureSpec, LayerSpec } from './spec';

/**
 * CIFAR-style architectures (input [32, 32, 3]) as small DAGs, after RepDistiller's models
 * (Tian et al. 2020): CIFAR ResNets (He et al. 2016; 1x1 conv + BN shortcut where shapes change),
 * wide ResNets (Zagoruyko & Komodakis 2016, pre-activation blocks) and a MobileNet-style student
 * (Howard et al. 2017: depthwise-separable blocks with ReLU6). Convs before batch norm have no
 * bias, as in the papers. Each block's output id (`<block>-out`) is a natural guide/guided tap.
 */

const CIFAR_INPUT: [number, number, number] = [32, 32, 3];

const conv = (id: string, filters: number, kernelSize: number, strides: number, from?: string): LayerSpec =>
  ({ kind: 'conv2d', id, filters, kernelSize, strides, padding: 'same', useBias: false, ...(from ? { from } : {}) });
// PyTorch's BatchNorm2d: eps 1e-5, running-average momentum 0.1 (tfjs counts momentum the other way).
const bn = (id: string, from?: string): LayerSpec => ({ kind: 'batchNorm', id, epsilon: 1e-5, momentum: 0.9, ...(from ? { from } : {}) });
const relu = (id: string): LayerSpec => ({ kind: 'relu', id });
const relu6 = (id: string): LayerSpec => ({ kind: 'activation', id, fn: 'relu6' });
const add = (id: string, inputs: string[]): LayerSpec => ({ kind: 'add', id, inputs });
const head = (classes: number): LayerSpec[] => [{ kind: 'globalAvgPool', id: 'pool' }, { kind: 'dense', id: 'logits', units: classes }];

/**
 * ResNet basic block: conv3x3-BN-ReLU-conv3x3-BN, plus the input (or a 1x1 conv + BN of it when
 * the stride or width changes), then ReLU. `input` is the id of the block's input layer.
 */
function basicBlock(name: string, input: string, inFilters: number, filters: number, strides: number): LayerSpec[] {
  const projected = strides !== 1 || inFilters !== filters;
  const shortcut = projected ? [conv(`${name}-sc`, filters, 1, strides, input), bn(`${name}-scbn`)] : [];
  return [
    conv(`${name}-conv1`, filters, 3, strides, input), bn(`${name}-bn1`), relu(`${name}-relu1`),
    conv(`${name}-conv2`, filters, 3, 1), bn(`${name}-bn2`),
    ...shortcut,
    add(`${name}-add`, [`${name}-bn2`, projected ? `${name}-scbn` : input]),
    relu(`${name}-out`),
  ];
}

/** CIFAR ResNet of `depth` = 6n + 2 with stage widths `widths` (RepDistiller's resnet8/20/32x4). */
export function cifarResNet(name: string, depth: number, widths: [number, number, number, number], classes = 10): ArchitectureSpec {
  if ((depth - 2) % 6 !== 0) throw new Error(`ResNet depth must be 6n + 2 (got ${depth}).`);
  const blocks = (depth - 2) / 6;
  const layers: LayerSpec[] = [conv('conv1', widths[0], 3, 1), bn('bn1'), relu('relu1')];
  let input = 'relu1';
  let inFilters = widths[0];
  for (let stage = 1; stage <= 3; stage++) {
    for (let b = 1; b <= blocks; b++) {
      const name = `s${stage}b${b}`;
      layers.push(...basicBlock(name, input, inFilters, widths[stage], stage > 1 && b === 1 ? 2 : 1));
      input = `${name}-out`;
      inFilters = widths[stage];
    }
  }
  return { name, inputShape: CIFAR_INPUT, layers: [...layers, ...head(classes)] };
}

/**
 * Wide-ResNet pre-activation block: BN-ReLU, conv3x3 (stride), BN-ReLU, conv3x3; added to the
 * input, or to a 1x1 conv of the pre-activated input when the width changes (as in RepDistiller).
 */
function wideBlock(name: string, input: string, inFilters: number, filters: number, strides: number): LayerSpec[] {
  const projected = inFilters !== filters || strides !== 1;
  return [
    bn(`${name}-bn1`, input), relu(`${name}-relu1`),
    conv(`${name}-conv1`, filters, 3, strides), bn(`${name}-bn2`), relu(`${name}-relu2`),
    conv(`${name}-conv2`, filters, 3, 1),
    ...(projected ? [conv(`${name}-sc`, filters, 1, strides, `${name}-relu1`)] : []),
    add(`${name}-out`, [`${name}-conv2`, projected ? `${name}-sc` : input]),
  ];
}

/** WRN-depth-k: depth = 6n + 4, stage widths 16k, 32k, 64k, a final BN-ReLU before pooling. */
export function wideResNet(name: string, depth: number, widen: number, classes = 10): ArchitectureSpec {
  if ((depth - 4) % 6 !== 0) throw new Error(`WRN depth must be 6n + 4 (got ${depth}).`);
  const blocks = (depth - 4) / 6;
  const widths = [16, 16 * widen, 32 * widen, 64 * widen];
  const layers: LayerSpec[] = [conv('conv1', 16, 3, 1)];
  let input = 'conv1';
  let inFilters = 16;
  for (let stage = 1; stage <= 3; stage++) {
    for (let b = 1; b <= blocks; b++) {
      const name = `s${stage}b${b}`;
      layers.push(...wideBlock(name, input, inFilters, widths[stage], stage > 1 && b === 1 ? 2 : 1));
      input = `${name}-out`;
      inFilters = widths[stage];
    }
  }
  return { name, inputShape: CIFAR_INPUT, layers: [...layers, bn('bn-final'), relu('relu-final'), ...head(classes)] };
}

/** Depthwise 3x3 (stride) - BN - ReLU6, pointwise 1x1 - BN - ReLU6 (`<name>-out`). */
function separableBlock(name: string, filters: number, strides: number): LayerSpec[] {
  return [
    { kind: 'depthwiseConv2d', id: `${name}-dw`, kernelSize: 3, strides, padding: 'same', useBias: false },
    bn(`${name}-bn1`), relu6(`${name}-relu1`),
    conv(`${name}-pw`, filters, 1, 1), bn(`${name}-bn2`), relu6(`${name}-out`),
  ];
}

/** A small MobileNet (v1-style) for 32x32 images: a conv stem and five separable blocks. */
export function mobileNetStudent(name = 'mobilenet-student', classes = 10): ArchitectureSpec {
  const plan: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1]];
  return {
    name,
    inputShape: CIFAR_INPUT,
    layers: [
      conv('conv1', 32, 3, 1), bn('bn1'), relu6('relu1'),
      ...plan.flatMap(([filters, strides], i) => separableBlock(`sep${i + 1}`, filters, strides)),
      ...head(classes),
    ],
  };
}

/**
 * Laptop-size plain CNNs for CIFAR-10 (the KD / AT / FitNet presets): conv3x3-BN-ReLU blocks
 * (`conv<n>`, `bn<n>`, `relu<n>`), 2x2 max pooling, global average pooling and a dense head.
 * `plan` lists each block's filters, with 'pool' after the blocks that halve the resolution.
 * Teacher relu2 [32, 32, 16] / relu4 [16, 16, 32] / relu5 [8, 8, 64] and student relu1 [32, 32, 8]
 * / relu2 [16, 16, 16] / relu3 [8, 8, 32] have equal H x W for attention transfer.
 */
export function cifarPlainCnn(name: string, plan: (number | 'pool')[], classes = 10): ArchitectureSpec {
  const layers: LayerSpec[] = [];
  let n = 0;
  let pools = 0;
  for (const step of plan) {
    if (step === 'pool') {
      pools += 1;
      layers.push({ kind: 'maxPool', id: `pool${pools}`, poolSize: 2, strides: 2, padding: 'valid' });
      continue;
    }
    n += 1;
    layers.push(conv(`conv${n}`, step, 3, 1), bn(`bn${n}`), relu(`relu${n}`));
  }
  return { name, inputShape: CIFAR_INPUT, layers: [...layers, ...head(classes)] };
}

export const cifarArchitecturePresets: Record<string, ArchitectureSpec> = {
  resnet8: cifarResNet('resnet8', 8, [16, 16, 32, 64]),
  resnet20: cifarResNet('resnet20', 20, [16, 16, 32, 64]),
  resnet32x4: cifarResNet('resnet32x4', 32, [32, 64, 128, 256]),
  'wrn-16-1': wideResNet('wrn-16-1', 16, 1),
  'wrn-16-2': wideResNet('wrn-16-2', 16, 2),
  'wrn-40-2': wideResNet('wrn-40-2', 40, 2),
  'mobilenet-student': mobileNetStudent(),
  'cifar-cnn-teacher': cifarPlainCnn('cifar-cnn-teacher', [16, 16, 'pool', 32, 32, 'pool', 64, 'pool']),
  'cifar-cnn-student': cifarPlainCnn('cifar-cnn-student', [8, 'pool', 16, 'pool', 32, 'pool']),
};
