import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-wasm';
import { wasmCopyFor, type WasmCopy } from './wasm-copy';
import { isWasmHeapBackend, type WasmHeapBackend } from './wasmModule';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

/** The wasm backend and the copy module over its memory. */
function wasmHeapAndCopy(): { backend: WasmHeapBackend; copy: WasmCopy } {
  const backend = tf.backend();
  if (!isWasmHeapBackend(backend)) throw new Error('expected the wasm backend');
  const copy = wasmCopyFor(backend);
  if (!copy) throw new Error('the copy module did not load');
  return { backend, copy };
}

describe('strided row copies in wasm', () => {
  it('copies blocks of rows between strides, leaving everything else untouched, by hand', () => {
    const { backend, copy: { copyRows } } = wasmHeapAndCopy();
    // Source: 2 blocks of 3 rows of 4 floats (values 0..23); copy rows 1-2 of each, floats 1-2 of
    // each row, into a destination of 2 blocks of 4 rows of 5 floats filled with -1.
    const source = backend.makeOutput([24], 'float32');
    const destination = backend.makeOutput([40], 'float32');
    try {
      backend.typedArrayFromHeap(source).set(Float32Array.from({ length: 24 }, (_, i) => i));
      backend.typedArrayFromHeap(destination).fill(-1);
      const src = backend.typedArrayFromHeap(source).byteOffset;
      const dst = backend.typedArrayFromHeap(destination).byteOffset;
      // Source row 1 float 1 into destination row 2 float 3 of each block.
      copyRows(src + (1 * 4 + 1) * 4, dst + (2 * 5 + 3) * 4, 2, 2, 2 * 4, 4 * 4, 5 * 4, 12 * 4, 20 * 4);
      const out = Array.from(backend.typedArrayFromHeap(destination));
      const expected = new Array<number>(40).fill(-1);
      for (const [block, row, values] of [[0, 2, [5, 6]], [0, 3, [9, 10]], [1, 2, [17, 18]], [1, 3, [21, 22]]] as const) {
        expected[block * 20 + row * 5 + 3] = values[0];
        expected[block * 20 + row * 5 + 4] = values[1];
      }
      expect(out).toEqual(expected);
      // No rows or no blocks: nothing is written.
      copyRows(src, dst, 0, 3, 16, 16, 20, 48, 80);
      copyRows(src, dst, 2, 0, 16, 16, 20, 48, 80);
      expect(Array.from(backend.typedArrayFromHeap(destination))).toEqual(expected);
    } finally {
      backend.disposeData(source.dataId);
      backend.disposeData(destination.dataId);
    }
  });

  it('zeros exactly the bytes it is given', () => {
    const { backend, copy: { zeroBytes } } = wasmHeapAndCopy();
    const buffer = backend.makeOutput([10], 'float32');
    try {
      backend.typedArrayFromHeap(buffer).fill(7);
      zeroBytes(backend.typedArrayFromHeap(buffer).byteOffset + 2 * 4, 5 * 4);
      expect(Array.from(backend.typedArrayFromHeap(buffer))).toEqual([7, 7, 0, 0, 0, 0, 0, 7, 7, 7]);
    } finally {
      backend.disposeData(buffer.dataId);
    }
  });

  it('is null off the wasm backend', () => {
    expect(wasmCopyFor(null)).toBeNull();
    expect(wasmCopyFor({})).toBeNull();
  });
});
