import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights, WeightsFileError } from './weightsFile';

const weights = [
  { layerId: 'fc1', tensors: [{ shape: [2, 3], values: Float32Array.from([1, -2, 3.5, 4, 5, 6]) }, { shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) }] },
  { layerId: 'logits', tensors: [{ shape: [3, 1], values: Float32Array.from([7, 8, 9]) }] },
];

describe('weights file', () => {
  it('lays tensors out back to back and decodes them bit-exactly', () => {
    const { layout, data } = encodeWeights(weights);
    expect(layout).toEqual([
      { layerId: 'fc1', tensors: [{ shape: [2, 3], offset: 0, length: 6 }, { shape: [3], offset: 6, length: 3 }] },
      { layerId: 'logits', tensors: [{ shape: [3, 1], offset: 9, length: 3 }] },
    ]);
    expect(data.byteLength).toBe(12 * 4);
    expect(decodeWeights(JSON.parse(JSON.stringify(layout)), data, 'w')).toEqual(weights);
  });

  it('decodes a Node Buffer that is a view into a shared pool at an unaligned offset', () => {
    const { layout, data } = encodeWeights(weights);
    // Small Buffers share one pre-allocated pool; skipping one byte makes the offset odd.
    const pooled = Buffer.from([0, ...data]).subarray(1);
    expect(pooled.byteOffset % 4).not.toBe(0);
    expect(pooled.buffer.byteLength).toBeGreaterThan(data.byteLength + 1);
    expect(decodeWeights(layout, pooled, 'w')).toEqual(weights);
  });

  it('names the file and the fault of a damaged file', () => {
    const { layout, data } = encodeWeights(weights);
    expect(() => decodeWeights(layout, data.subarray(0, 40), 'w')).toThrow(/Weights w: layer 'logits' tensor 0 ends at value 12 but the data file holds 10: it is truncated/);
    expect(() => decodeWeights(layout, data.subarray(0, 41), 'w')).toThrow(/41 bytes, not a whole number of float32/);
    expect(() => decodeWeights({ layers: [] }, data, 'w')).toThrow(/layout file is not a list of layers/);
    expect(() => decodeWeights([{ tensors: [] }], data, 'w')).toThrow(/layout entry 0 has no layerId/);
    const wrongShape = [{ layerId: 'fc1', tensors: [{ shape: [2, 2], offset: 0, length: 6 }] }];
    expect(() => decodeWeights(wrongShape, data, 'w')).toThrow(/shape \[2, 2\] \(4 values\) but length 6/);
    const negative = [{ layerId: 'fc1', tensors: [{ shape: [2], offset: -1, length: 2 }] }];
    expect(() => decodeWeights(negative, data, 'w')).toThrow(WeightsFileError);
  });
});
