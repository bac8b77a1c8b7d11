import { describe, expect, it } from 'vitest';
import { decodeWeights, encodeWeights, WeightsFileError } from './weightsFile';

const weights = [
  { layerId: 'fc1', tensors: [{ shape: [2, 3], values: Float32Array.from([1, -2, 3.5, 4, 5, 6]) }, { shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) }] },
  { layerId: 'logits', tensors: [{ shape: [3, 1], values: Float32Array.from([7, 8, 9]) }] },
];

describe('weights file', () => {
  it('lays tensors out back to back and decodes them bit-exactly', () => {
    const { index, data } = encodeWeights(weights);
    expect(index).toEqual([
      { layerId: 'fc1', tensors: [{ shape: [2, 3], offset: 0, length: 6 }, { shape: [3], offset: 6, length: 3 }] },
      { layerId: 'logits', tensors: [{ shape: [3, 1], offset: 9, length: 3 }] },
    ]);
    expect(data.byteLength).toBe(12 * 4);
    expect(decodeWeights(JSON.parse(JSON.stringify(index)), data, 'w.bin')).toEqual(weights);
  });

  it('decodes from a view at an unaligned offset (a Node Buffer slice)', () => {
    const { index, data } = encodeWeights(weights);
    const padded = new Uint8Array(data.byteLength + 1);
    padded.set(data, 1);
    expect(decodeWeights(index, padded.subarray(1), 'w.bin')).toEqual(weights);
  });

  it('names the file and the fault of a damaged file', () => {
    const { index, data } = encodeWeights(weights);
    expect(() => decodeWeights(index, data.subarray(0, 40), 'w.bin')).toThrow(/w\.bin: layer 'logits' tensor 0 ends at value 12 but the data holds 10: the file is truncated/);
    expect(() => decodeWeights(index, data.subarray(0, 41), 'w.bin')).toThrow(/41 bytes, not a whole number of float32/);
    expect(() => decodeWeights({ layers: [] }, data, 'w.bin')).toThrow(/not a list of layers/);
    expect(() => decodeWeights([{ tensors: [] }], data, 'w.bin')).toThrow(/layer 0 has no layerId/);
    const wrongShape = [{ layerId: 'fc1', tensors: [{ shape: [2, 2], offset: 0, length: 6 }] }];
    expect(() => decodeWeights(wrongShape, data, 'w.bin')).toThrow(/shape \[2, 2\] \(4 values\) but length 6/);
    const negative = [{ layerId: 'fc1', tensors: [{ shape: [2], offset: -1, length: 2 }] }];
    expect(() => decodeWeights(negative, data, 'w.bin')).toThrow(WeightsFileError);
  });
});
