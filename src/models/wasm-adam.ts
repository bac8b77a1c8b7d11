import * as tf from '@tensorflow/tfjs';
import { ADAM_WASM, ADAM_SHARED_WASM } from './wasm-adam-bytes';
import { canRenewTensorIds, isWasmHeapBackend, renewTensorId, studioWasmModule, tfjsWasmMemory, type WasmHeapBackend } from './wasmModule';
import { wasmTeamFor } from './wasm-team';

/**
 * Adam's update of one variable as one kernel on the tfjs `wasm` backend (wasm-adam-wat.ts).
 *
 * Written out in tfjs ops (src/train/optimizer.ts) the update is ~14 elementwise kernels per
 * variable, each a full pass over the weights: on the Hinton MLPs (1.3 M and 2.4 M parameters)
 * about 8 ms of a 48 ms step. This kernel reads w, m, v and g once and writes new w, m and v, in
 * the same f32 operations in the same order (so the same numbers). Its outputs are new tensors,
 * unless the caller is about to replace w, m and v by them (the optimizer assigns them to the
 * variable and its slots) and no other tensor shares their data: then it writes over w, m and v
 * and returns them, under new ids for tfjs's C++ side (renewTensorId: XNNPACK operators cached for
 * the old values, e.g. a convolution's packed filter, are dropped). A fresh output buffer is out of
 * cache, and a store to it first reads it in: in place, the update moves 28 instead of 40 bytes per
 * weight (see WasmAdamMode for the time).
 * Like the GEMM, the module imports tfjs's own WebAssembly.Memory and works in place on the heap
 * (a plain or, in the threaded build, a shared memory); off wasm the optimizer keeps its tfjs ops.
 */

export const ADAM_KERNEL = 'StudioAdamUpdate';

/**
 * 'on' (the default): the fused kernel, in place where allowed; 'copy': the fused kernel, always
 * into new buffers; 'off': the optimizer's tfjs ops. The tests and the benchmark compare them
 * (the Hinton student's 1.3 M weights on two threads: ~1.1 ms copying, ~0.75 ms in place).
 */
export type WasmAdamMode = 'on' | 'copy' | 'off';

/** The step's constants; the kernel rounds each to f32 as tfjs's scalar tensors are. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t. */
  correction1: number;
  correction2: number;
  /** Coupled L2 decay; 0 skips it (g' = g exactly). */
  weightDecay: number;
}

/** The kernel's attributes: the step's constants, and whether the caller replaces w, m and v by the outputs. */
interface AdamKernelAttrs extends AdamUpdateAttrs {
  replacesInputs: boolean;
}

export type AdamFn = (
  w: number, m: number, v: number, g: number, outW: number, outM: number, outV: number, count: number,
  lr: number, b1: number, oneMinusB1: number, b2: number, oneMinusB2: number, eps: number, c1: number, c2: number, wd: number,
) => void;

let mode: WasmAdamMode = 'on';

/** Sets the mode (see WasmAdamMode). */
export function setWasmAdamMode(next: WasmAdamMode): void {
  mode = next;
}

export const ADAM_BUILDS = { plain: ADAM_WASM, shared: ADAM_SHARED_WASM };
const singleThreadAdam = studioWasmModule(ADAM_BUILDS, (exports) => exports.adam as AdamFn);

/** The update over this backend's memory: on its helper team where one runs (wasm-team.ts), else on this thread. */
function adamFor(backend: unknown): AdamFn | null {
  return wasmTeamFor(tfjsWasmMemory(backend))?.adam ?? singleThreadAdam(backend);
}

/** Whether wasmAdamUpdate runs now: the wasm backend is active, the kernel installed, the module usable and the mode on. */
export function wasmAdamAvailable(): boolean {
  if (mode === 'off' || tf.getBackend() !== 'wasm' || !tf.getKernel(ADAM_KERNEL, 'wasm')) return false;
  const backend: unknown = tf.backend();
  return isWasmHeapBackend(backend) && adamFor(backend) !== null;
}

/** inputs w, m, v, g (float32, one size) -> [new w, new m, new v]. */
function adamKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  if (!isWasmHeapBackend(backend)) throw new Error(`${ADAM_KERNEL}: not the wasm backend.`);
  const adam = adamFor(backend);
  if (!adam) throw new Error(`${ADAM_KERNEL}: the module cannot use this wasm memory.`);
  const { w, m, v, g } = inputs as Record<'w' | 'm' | 'v' | 'g', tf.TensorInfo>;
  const count = tf.util.sizeFromShape(w.shape);
  for (const info of [w, m, v, g]) {
    if (info.dtype !== 'float32' || tf.util.sizeFromShape(info.shape) !== count) {
      throw new Error(`${ADAM_KERNEL}: w, m, v and g must be float32 of one size (got ${[w, m, v, g].map((t) => `${t.dtype}[${t.shape}]`).join(', ')}).`);
    }
  }
  const a = attrs as unknown as AdamKernelAttrs;
  const inPlace = a.replacesInputs && mode === 'on' && canRenewTensorIds(backend) && onlyHolders(backend, [w, m, v], g);
  if (inPlace) for (const info of [w, m, v]) backend.incRef(info.dataId);
  // Allocate first: an allocation can grow the wasm memory (heap offsets stay valid, views do not).
  const outputs = inPlace
    ? [w, m, v].map(({ dataId, shape, dtype }) => ({ dataId, shape: [...shape], dtype }))
    : [0, 1, 2].map(() => backend.makeOutput([...w.shape], 'float32'));
  if (count === 0) return outputs;
  const [pw, pm, pv, pg, ow, om, ov] = [w, m, v, g, ...outputs].map((info) => backend.typedArrayFromHeap(info).byteOffset);
  // 1 - beta in f64 then f32 (on the way into the module), as tfjs's scalar of `1 - ADAM_BETA1`.
  adam(pw, pm, pv, pg, ow, om, ov, count, a.learningRate, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.epsilon, a.correction1, a.correction2, a.weightDecay);
  if (inPlace) for (const info of outputs) renewTensorId(backend, info.dataId);
  return outputs;
}

/**
 * Whether w, m and v may be written over: three different buffers, none of them g's, each held by
 * one tensor only (a clone, a reshape or a saved copy of a weight shares its buffer and keeps it).
 */
function onlyHolders(backend: WasmHeapBackend, replaced: tf.TensorInfo[], g: tf.TensorInfo): boolean {
  const ids = new Set(replaced.map((info) => info.dataId));
  return ids.size === replaced.length && !ids.has(g.dataId) && replaced.every((info) => backend.refCount(info.dataId) === 1);
}

/**
 * One fused Adam step: [new w, new m, new v] (see wasmAdamAvailable). With `replacesInputs` the
 * caller promises to replace w, m and v by the results at once, reading none of them before: the
 * results may then be w's, m's and v's own buffers, updated in place.
 */
export function wasmAdamUpdate(w: tf.Tensor, m: tf.Tensor, v: tf.Tensor, g: tf.Tensor, attrs: AdamUpdateAttrs, replacesInputs = false): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const kernelAttrs: AdamKernelAttrs = { ...attrs, replacesInputs };
  return tf.engine().runKernel(ADAM_KERNEL, { w, m, v, g }, kernelAttrs as unknown as tf.NamedAttrMap) as [tf.Tensor, tf.Tensor, tf.Tensor];
}

export function installWasmAdam(): boolean {
  if (!tf.findBackendFactory('wasm')) return false;
  if (!tf.getKernel(ADAM_KERNEL, 'wasm')) tf.registerKernel({ kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adamKernel });
  return true;
}

/** Removes the kernel (Adam then takes its tfjs ops). */
export function uninstallWasmAdam(): void {
  if (tf.getKernel(ADAM_KERNEL, 'wasm')) tf.unregisterKernel(ADAM_KERNEL, 'wasm');
}
