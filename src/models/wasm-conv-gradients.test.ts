import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { installFastConvFilterGradient, uninstallFastConvFilterGradient } from './conv-filter-gradient';
import {
  DEFAULT_CHUNK_FLOATS, FILTER_GRADIENT_MIN_CHANNELS, filterGradientByConvolution, filterGradientByShiftedProducts, inputGradientByConvolution, installWasmConvInputGradient, isWasmHeapBackend, setConvGradientChunkLimit,
  setStrideOneConvGradients, uninstallWasmConvInputGradient,
} from './wasm-conv-gradients';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase { x: Shape4; filter: Shape4; strides: number | [number, number]; pad: Pad }

const cases: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 8, 8, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [3, 9, 6, 2], filter: [2, 3, 2, 3], strides: 2, pad: 'valid' },
  { x: [2, 5, 5, 3], filter: [1, 1, 3, 2], strides: 1, pad: 'valid' },
  { x: [4, 6, 7, 1], filter: [3, 2, 1, 4], strides: [1, 2], pad: 'same' },
  { x: [2, 6, 6, 2], filter: [3, 3, 2, 3], strides: 1, pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { x: [3, 7, 6, 8], filter: [3, 3, 8, 5], strides: 1, pad: 'same' },
  { x: [2, 6, 7, 4], filter: [2, 3, 4, 3], strides: 1, pad: 'valid' },
];

/** Deterministic values with zeros mixed in (as after a relu). */
function pattern(shape: number[], salt: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, (_, i) => {
    const v = (((i + salt) * 2654435761) % 1000) / 500 - 1;
    return v < -0.5 ? 0 : v;
  }), shape);
}

/** Both gradients of sum(conv(x, w) * dy), i.e. the backward pass for upstream gradient dy. */
function gradients({ x: xShape, filter, strides, pad }: ConvCase): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = pattern(xShape, 1) as tf.Tensor4D;
    const w = pattern(filter, 3) as tf.Tensor4D;
    const dy = pattern(tf.conv2d(x, w, strides, pad).shape, 7);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad), dy)))([x, w]);
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  const worst = actual.reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i])), 0);
  expect(worst).toBeLessThanOrEqual(1e-5 * scale);
}

/** tfjs's own cpu kernels: the reference. */
let reference: { dx: Float32Array; dw: Float32Array }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  uninstallFastConvFilterGradient('cpu');
  reference = cases.map(gradients);
  await tf.setBackend('wasm');
  await tf.ready();
  expect(installFastConvFilterGradient('wasm')).toBe(true);
  expect(installWasmConvInputGradient()).toBe(true);
});

afterAll(async () => {
  setConvGradientChunkLimit(DEFAULT_CHUNK_FLOATS);
  uninstallWasmConvInputGradient();
  uninstallFastConvFilterGradient('wasm');
  await tf.setBackend('cpu');
});

describe('wasm convolution gradients as im2col matmuls', () => {
  it('match tfjs cpu for same/valid/explicit padding, strides 1 and 2, 1x1 and non-square kernels', () => {
    cases.forEach((convCase, c) => {
      const { dx, dw } = gradients(convCase);
      expectClose(dw, reference[c].dw);
      expectClose(dx, reference[c].dx);
    });
  });

  it('take the forward-convolution and shifted-product routes exactly for stride 1, and the im2col routes give the same', () => {
    const backend = tf.engine().backend;
    if (!isWasmHeapBackend(backend)) throw new Error('expected the wasm backend');
    cases.forEach((convCase, c) => {
      const strideOne = convCase.strides === 1;
      const outShape = tf.tidy(() => tf.conv2d(tf.zeros(convCase.x) as tf.Tensor4D, tf.zeros(convCase.filter) as tf.Tensor4D, convCase.strides, convCase.pad).shape);
      const [x, w, dy] = [pattern(convCase.x, 1), pattern(convCase.filter, 3), pattern(outShape, 7)];
      const info = tf.backend_util.computeConv2DInfo(convCase.x, convCase.filter, convCase.strides, 1, convCase.pad, undefined, false, 'channelsLast');
      const read = (result: tf.TensorInfo | null): Float32Array | null => {
        if (result === null) return null;
        const values = Float32Array.from(backend.readSync(result.dataId) as Float32Array);
        backend.disposeData(result.dataId);
        return values;
      };
      const routed = {
        dx: read(inputGradientByConvolution(backend, dy, w, info)),
        dw: read(filterGradientByConvolution(backend, x, dy, info)),
        dwShifted: read(filterGradientByShiftedProducts(backend, x, dy, info)),
      };
      tf.dispose([x, w, dy]);
      expect(routed.dx !== null, `case ${c} dx`).toBe(strideOne);
      expect(routed.dw !== null, `case ${c} dw`).toBe(strideOne && convCase.x[3] >= FILTER_GRADIENT_MIN_CHANNELS);
      if (routed.dx) expectClose(routed.dx, reference[c].dx);
      if (routed.dw) expectClose(routed.dw, reference[c].dw);
      expect(routed.dwShifted !== null, `case ${c} dw, shifted products`).toBe(strideOne);
      if (routed.dwShifted) expectClose(routed.dwShifted, reference[c].dw);
    });
    setStrideOneConvGradients(false);
    cases.forEach((convCase, c) => {
      const { dx, dw } = gradients(convCase);
      expectClose(dx, reference[c].dx);
      expectClose(dw, reference[c].dw);
    });
    setStrideOneConvGradients(true);
  });

  it('give the same gradients when the batch is split into chunks, even uneven ones', () => {
    // Per image the im2col temporary holds OH*OW*KH*KW*CI floats: a bound of 1 forces one image per
    // chunk, 2.5 images' worth gives chunks of two with a smaller last one.
    for (const imagesWorth of [1e-9, 2.5]) {
      cases.forEach((convCase, c) => {
        const [, , , inChannels] = convCase.x;
        const [filterHeight, filterWidth] = convCase.filter;
        const out = tf.tidy(() => tf.conv2d(tf.zeros(convCase.x) as tf.Tensor4D, tf.zeros(convCase.filter) as tf.Tensor4D,
          convCase.strides, convCase.pad).shape);
        const perImage = out[1] * out[2] * filterHeight * filterWidth * inChannels;
        setConvGradientChunkLimit(Math.max(1, Math.floor(imagesWorth * perImage)));
        const { dx, dw } = gradients(convCase);
        expectClose(dw, reference[c].dw);
        expectClose(dx, reference[c].dx);
      });
    }
    setConvGradientChunkLimit(DEFAULT_CHUNK_FLOATS);
  });

  it('agrees with wasm\'s own input-gradient kernel', () => {
    const convCase = cases[1];
    const ours = gradients(convCase).dx;
    uninstallWasmConvInputGradient();
    const theirs = gradients(convCase).dx;
    expect(installWasmConvInputGradient()).toBe(true);
    expectClose(ours, theirs);
  });

  it('leaks no tensors and no wasm buffers, chunked or not', () => {
    const backend = tf.engine().backend;
    const tensors = tf.memory().numTensors;
    const dataIds = backend.numDataIds();
    for (const limit of [DEFAULT_CHUNK_FLOATS, 1]) {
      setConvGradientChunkLimit(limit);
      gradients(cases[0]);
      gradients(cases[2]);
    }
    setConvGradientChunkLimit(DEFAULT_CHUNK_FLOATS);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(dataIds);
  });

  it('rejects a chunk bound that is not a positive integer', () => {
    expect(() => setConvGradientChunkLimit(0)).toThrow(/positive integer/);
    expect(() => setConvGradientChunkLimit(2.5)).toThrow(/positive integer/);
  });
});
