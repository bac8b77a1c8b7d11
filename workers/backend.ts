import * as tf from '@tensorflow/tfjs';
// Registers the WebGPU backend, but only when navigator.gpu exists at import time.
import '@tensorflow/tfjs-backend-webgpu';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName, BackendPreference } from '../src/protocol';
import { installTrainingKernels } from '../src/models/training-kernels';
import { errorMessage } from '../src/errorMessage';

/**
 * Picks the tfjs backend for a run: the preferred one when it works, otherwise the next in
 * webgpu -> webgl -> cpu, with a reason the page shows next to the backend badge.
 */

export interface ChosenBackend {
  backend: BackendName;
  reason: string;
}

const AUTO_ORDER: BackendName[] = ['webgpu', 'webgl', 'cpu'];

const DISPLAY_NAMES: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

let wasmRegistered = false;

/**
 * Loaded only when asked for: the wasm backend's binaries are large.
 * Single-threaded SIMD: the threaded build's pthread worker breaks when Vite bundles this worker
 * ("e is not defined"), so threads stay off even on a cross-origin-isolated page.
 */
async function registerWasm(): Promise<void> {
  if (wasmRegistered) return;
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  wasmRegistered = true;
}

/** Why a backend cannot start here, or null when it did start (and is now active). */
async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && !('gpu' in navigator)) {
    return 'WebGPU adapter unavailable (navigator.gpu missing)';
  }
  try {
    if (name === 'wasm') await registerWasm();
    if (tf.findBackendFactory(name) == null) return `${DISPLAY_NAMES[name]} backend is not registered`;
    const ok = await tf.setBackend(name);
    if (!ok) return name === 'webgpu' ? 'WebGPU adapter unavailable (no adapter found)' : `${DISPLAY_NAMES[name]} failed to initialise`;
    await tf.ready();
    installTrainingKernels(name);
    return null;
  } catch (error) {
    return `${DISPLAY_NAMES[name]} failed to initialise (${errorMessage(error)})`;
  }
}

function candidates(preference: BackendPreference): BackendName[] {
  if (preference === 'auto') return AUTO_ORDER;
  return [preference, ...AUTO_ORDER.filter((name) => name !== preference)];
}

export async function chooseBackend(preference: BackendPreference): Promise<ChosenBackend> {
  const failures: string[] = [];
  for (const name of candidates(preference)) {
    const failure = await tryBackend(name);
    if (failure === null) {
      const reason =
        failures.length === 0
          ? preference === 'auto'
            ? `${DISPLAY_NAMES[name]}: the fastest backend available here`
            : `${DISPLAY_NAMES[name]}: chosen in the backend selector`
          : `${failures.join('; ')}; using ${DISPLAY_NAMES[name]}`;
      return { backend: name, reason };
    }
    failures.push(failure);
  }
  throw new Error(`No TensorFlow.js backend could start: ${failures.join('; ')}. Try another browser.`);
}
