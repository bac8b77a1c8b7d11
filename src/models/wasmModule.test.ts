import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { ADAM_SHARED_WASM, ADAM_WASM } from './wasm-adam-bytes';
import { BATCH_NORM_SHARED_WASM, BATCH_NORM_WASM } from './wasm-batch-norm-bytes';
import { BIAS_SHARED_WASM, BIAS_WASM } from './wasm-bias-bytes';
import { GEMM_FMA_SHARED_WASM, GEMM_FMA_WASM, GEMM_MULADD_SHARED_WASM, GEMM_MULADD_WASM } from './wasm-gemm-bytes';
import { MAXPOOL_GRAD_SHARED_WASM, MAXPOOL_GRAD_WASM } from './wasm-maxpool-grad-bytes';
import { RELU_GRAD_SHARED_WASM, RELU_GRAD_WASM } from './wasm-relu-grad-bytes';
import { TRANSPOSE_SHARED_WASM, TRANSPOSE_WASM } from './wasm-transpose-bytes';
import { compileFor, studioWasmModule, wasmScratch, type StudioWasmBuilds } from './wasmModule';

// The FMA GEMM uses relaxed SIMD, behind a flag in Node 20 (on in Chromium).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const BUILDS: Record<string, StudioWasmBuilds> = {
  adam: { plain: ADAM_WASM, shared: ADAM_SHARED_WASM },
  batchNorm: { plain: BATCH_NORM_WASM, shared: BATCH_NORM_SHARED_WASM },
  bias: { plain: BIAS_WASM, shared: BIAS_SHARED_WASM },
  gemmFma: { plain: GEMM_FMA_WASM, shared: GEMM_FMA_SHARED_WASM },
  gemmMuladd: { plain: GEMM_MULADD_WASM, shared: GEMM_MULADD_SHARED_WASM },
  maxPoolGrad: { plain: MAXPOOL_GRAD_WASM, shared: MAXPOOL_GRAD_SHARED_WASM },
  reluGrad: { plain: RELU_GRAD_WASM, shared: RELU_GRAD_SHARED_WASM },
  transpose: { plain: TRANSPOSE_WASM, shared: TRANSPOSE_SHARED_WASM },
};

/** A stand-in for tfjs-backend-wasm's backend: the memory where the studio's modules find it. */
const backendOver = (memory: WebAssembly.Memory) => ({ wasm: { wasmMemory: memory } });

describe('the studio\'s wasm modules', () => {
  // A build that failed to instantiate would leave its kernel to tfjs without a word (the loaders
  // return null), so every module's two builds are instantiated here over both kinds of memory.
  it.each(Object.keys(BUILDS))('%s instantiates over a plain memory and over the threaded build\'s shared one', (name) => {
    const plain = new WebAssembly.Memory({ initial: 1 });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    for (const memory of [plain, shared]) {
      expect(() => new WebAssembly.Instance(compileFor(BUILDS[name], memory), { env: { memory } })).not.toThrow();
      const exports = studioWasmModule(BUILDS[name], (instance) => Object.keys(instance))(backendOver(memory));
      expect(exports?.length ?? 0).toBeGreaterThan(0);
    }
  });
});

describe('wasmScratch', () => {
  it('hands out 64-byte aligned scratch from tfjs\'s malloc, the same for smaller requests, a new block for larger ones', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('wasm');
    await tf.ready();
    const backend = tf.backend();
    const first = wasmScratch(backend, 8192);
    expect(first).not.toBeNull();
    expect((first as number) % 64).toBe(0);
    expect(wasmScratch(backend, 4096)).toBe(first);
    const larger = wasmScratch(backend, 32768) as number;
    expect(larger % 64).toBe(0);
    // The first block stays allocated (a caller may hold it): the two do not overlap.
    expect(larger >= (first as number) + 8192 || larger + 32768 <= (first as number)).toBe(true);
    // A tensor allocated afterwards lies outside both.
    const tensor = tf.zeros([4096]);
    const at = (backend as unknown as { typedArrayFromHeap(info: object): Float32Array }).typedArrayFromHeap(tensor).byteOffset;
    for (const [start, bytes] of [[first as number, 8192], [larger, 32768]]) expect(at + 4 * 4096 <= start || at >= start + bytes).toBe(true);
    tensor.dispose();
    expect(wasmScratch({}, 64)).toBeNull();
    await tf.setBackend('cpu');
  });
});
