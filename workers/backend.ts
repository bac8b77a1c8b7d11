import * as tf from '@tensorflow/tfjs';
// Registers the WebGPU backend, but only when navigator.gpu exists at import time.
import '@tensorflow/tfjs-backend-webgpu';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName, BackendPreference, WasmHelperMessage } from '../src/protocol';
import { installTrainingKernels } from '../src/models/training-kernels';
import { startWasmTeamFor } from '../src/models/wasm-team-start';
import { wasmTeamFor, type WasmHelperPort } from '../src/models/wasm-team';
import { tfjsWasmMemory } from '../src/models/wasmModule';
import { errorMessage } from '../src/errorMessage';
import {
  BACKEND_LABELS, decideBackend, englishBackendWords, FIXED_BACKEND_REASONS, deviceFingerprint, findProbeRecord, planProbe, PROBE_ORDER, PROBE_VERSION, reasonFromStoredProbe,
  webGlAdapterFacts, webGpuAdapterFacts, type AdapterFacts, type BackendProbeRecord, type DeviceFacts, type MeasuredChoice, type ProbeOutcome, type SkipWhy,
} from '../src/backendChoice';
import { measureTrainingSpeed } from '../src/train/speedProbe';

/**
 * Picks the tfjs backend for a run. An explicit choice is used when it starts, otherwise the next
 * in webgpu -> webgl -> wasm -> cpu. Auto measures: a few training steps per backend (see
 * src/train/speedProbe.ts), the fastest by samples/s wins (src/backendChoice.ts), and the
 * measurement goes back to the page to be stored per device, so later runs skip it.
 */

export interface ChosenBackend {
  backend: BackendName;
  reason: string;
  /** wasm: threads its GEMM and Adam update share large jobs between (src/models/wasm-team.ts). */
  threads?: number;
  /** Set when Auto measured during this call (not when a stored measurement decided). */
  probe?: BackendProbeRecord;
  /** Set when measurements (new or stored) decided, for the page to word the reason. */
  measured?: MeasuredChoice;
}

export interface ChooseBackendOptions {
  /** The page's stored measurements; the one matching this device decides without measuring. */
  knownProbes?: readonly BackendProbeRecord[];
}

/** The order an explicit choice falls back in when it cannot start. */
const FALLBACK_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Time limits of one backend's probe. A software GPU gets little: it is a CPU emulating a GPU, and
 * its first step alone (shader compilation) can take many seconds on two cores.
 */
const PROBE_BUDGET_MS = { software: 1500, other: 6000 };

let wasmRegistered = false;
let requestedWasmThreads: number | null = null;

/** Threads for the wasm backend; call before it starts (the benchmark compares counts). Null = default. */
export function setWasmThreads(count: number | null): void {
  requestedWasmThreads = count;
}

/**
 * Threads run where SharedArrayBuffer does: on a cross-origin-isolated page (the dev and preview
 * servers send COOP/COEP); vite.config.ts keeps the threaded module's factory self-contained, which
 * its pthread workers need once Vite has bundled it. With N threads the studio's GEMM shares large
 * products with N - 1 helper threads (src/models/wasm-team.ts), while tfjs's own XNNPACK
 * kernels keep one thread: on the 2-core machine its thread pool made the CNNs slower (README,
 * benchmark section). Default: the cores, up to 4; the benchmark's --wasm-threads overrides it.
 */
function wasmThreads(): number {
  const isolated = (self as unknown as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const cores = Math.min(4, Math.max(1, navigator.hardwareConcurrency ?? 1));
  return isolated ? Math.max(1, requestedWasmThreads ?? cores) : 1;
}

/** Loaded only when asked for: the wasm backend's binaries are large. Returns the thread count asked for. */
async function registerWasm(): Promise<number> {
  const threads = wasmThreads();
  if (wasmRegistered) return threads;
  const { setWasmPaths, setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', threads > 1);
  if (threads > 1) setThreadsCount(1);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  wasmRegistered = true;
  return threads;
}

/** A helper thread of the studio's wasm kernels (workers/wasmHelper.worker.ts), nested in this worker. */
function wasmHelperPort(): WasmHelperPort {
  const worker = new Worker(new URL('./wasmHelper.worker.ts', import.meta.url), { type: 'module' });
  return {
    start: (command) =>
      new Promise<WasmHelperMessage>((resolve, reject) => {
        worker.onmessage = (event: MessageEvent<WasmHelperMessage>) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message || 'the wasm helper worker did not load'));
        worker.postMessage(command);
      }),
    terminate: () => worker.terminate(),
  };
}

/**
 * With the threaded build, the studio's GEMM and Adam update share large jobs with threads - 1
 * helpers (src/models/wasm-team.ts). Where helpers cannot start they stay on one thread: slower,
 * not wrong, so the run goes on and the console says why.
 */
async function startWasmHelpers(threads: number): Promise<void> {
  try {
    await startWasmTeamFor(tf.backend(), threads - 1, wasmHelperPort);
  } catch (error) {
    console.warn(`The studio's wasm kernels run on one thread: ${errorMessage(error)}`);
  }
}

/** Why a backend cannot start here, or null when it did start (and is now active). */
async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'webgpu' && !('gpu' in navigator)) {
    return 'WebGPU adapter unavailable (navigator.gpu missing)';
  }
  try {
    const wasmThreadCount = name === 'wasm' ? await registerWasm() : 1;
    if (tf.findBackendFactory(name) == null) return `${BACKEND_LABELS[name]} backend is not registered`;
    const ok = await tf.setBackend(name);
    if (!ok) return name === 'webgpu' ? 'WebGPU adapter unavailable (no adapter found)' : `${BACKEND_LABELS[name]} failed to initialise`;
    await tf.ready();
    installTrainingKernels(name);
    if (name === 'wasm' && wasmThreadCount > 1) await startWasmHelpers(wasmThreadCount);
    return null;
  } catch (error) {
    return `${BACKEND_LABELS[name]} failed to initialise (${errorMessage(error)})`;
  }
}

// The few WebGPU fields read here: info (newer) or requestAdapterInfo() (older browsers), which the DOM typings lack.
interface GpuAdapterLike {
  info?: Record<string, string | undefined>;
  requestAdapterInfo?: () => Promise<Record<string, string | undefined>>;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

async function webGpuFacts(): Promise<AdapterFacts | null> {
  const gpu = (navigator as unknown as { gpu?: GpuLike }).gpu;
  if (gpu === undefined) return null;
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return null;
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    return webGpuAdapterFacts(info, adapter.isFallbackAdapter === true);
  } catch {
    return null;
  }
}

function webGlFacts(): AdapterFacts | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  try {
    const canvas = new OffscreenCanvas(1, 1);
    const gl = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
    if (gl === null) return null;
    const debugInfo = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(debugInfo === null ? gl.RENDERER : debugInfo.UNMASKED_RENDERER_WEBGL) ?? '');
    // Free the context at once: browsers allow only a few, and tfjs opens its own.
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return webGlAdapterFacts(renderer);
  } catch {
    return null;
  }
}

async function deviceFacts(): Promise<DeviceFacts> {
  return {
    userAgent: navigator.userAgent,
    hardwareConcurrency: navigator.hardwareConcurrency ?? 1,
    webgpu: await webGpuFacts(),
    webgl: webGlFacts(),
  };
}

const adapterOf = (backend: BackendName, facts: DeviceFacts): AdapterFacts | null =>
  backend === 'webgpu' ? facts.webgpu : backend === 'webgl' ? facts.webgl : null;

function skippedSlow(backend: BackendName, seconds: number, adapter: AdapterFacts | undefined): ProbeOutcome {
  const why: SkipWhy = { code: 'firstStepSlow', seconds };
  return { backend, status: 'skipped', reason: englishBackendWords.skip(why), why, adapter };
}

/** Times each backend in PROBE_ORDER that planProbe allows; leaves whichever was last active. */
async function probeBackends(facts: DeviceFacts): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const backend of PROBE_ORDER) {
    const adapter = adapterOf(backend, facts) ?? undefined;
    const plan = planProbe(backend, adapter ?? null, outcomes);
    if (!plan.measure) {
      outcomes.push({ backend, status: 'skipped', reason: plan.reason, why: plan.why, adapter });
      continue;
    }
    const failure = await tryBackend(backend);
    if (failure !== null) {
      outcomes.push({ backend, status: 'failed', reason: failure, adapter });
      continue;
    }
    const budgetMs = plan.software ? PROBE_BUDGET_MS.software : PROBE_BUDGET_MS.other;
    try {
      const result = await measureTrainingSpeed({ now: () => performance.now(), budgetMs });
      outcomes.push(
        result.status === 'measured'
          ? { backend, status: 'measured', samplesPerSecond: result.samplesPerSecond, adapter }
          : skippedSlow(backend, result.warmupMs / 1000, adapter),
      );
    } catch (error) {
      outcomes.push({ backend, status: 'failed', reason: errorMessage(error), adapter });
    }
  }
  return outcomes;
}

async function chooseAuto(options: ChooseBackendOptions): Promise<ChosenBackend> {
  const facts = await deviceFacts();
  const fingerprint = deviceFingerprint(facts);
  const stored = findProbeRecord(options.knownProbes ?? [], fingerprint);
  const storedDecision = stored === null ? null : decideBackend(stored.outcomes);
  if (stored !== null && storedDecision !== null && (await tryBackend(storedDecision.backend)) === null) {
    return {
      backend: storedDecision.backend, reason: reasonFromStoredProbe(storedDecision, stored),
      measured: { outcomes: stored.outcomes, storedAt: stored.measuredAt },
    };
  }
  const started = performance.now();
  const outcomes = await probeBackends(facts);
  const probe: BackendProbeRecord = {
    version: PROBE_VERSION, fingerprint, measuredAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started), outcomes,
  };
  const decision = decideBackend(outcomes);
  if (decision !== null && (await tryBackend(decision.backend)) === null) return { ...decision, probe, measured: { outcomes } };
  // Nothing measurable: take the first backend that starts at all, and say what the probe saw.
  const fallback = await chooseInOrder(FALLBACK_ORDER, 'auto');
  const seen = outcomes.map((outcome) => `${BACKEND_LABELS[outcome.backend]}: ${outcome.status === 'measured' ? 'measured' : outcome.reason}`);
  return { backend: fallback.backend, reason: `Auto could not measure any backend (${seen.join('; ')}); ${fallback.reason}` };
}

async function chooseInOrder(order: BackendName[], preference: BackendPreference): Promise<ChosenBackend> {
  const failures: string[] = [];
  for (const name of order) {
    const failure = await tryBackend(name);
    if (failure === null) {
      const reason =
        failures.length === 0
          ? preference === 'auto'
            ? FIXED_BACKEND_REASONS.firstStarted
            : FIXED_BACKEND_REASONS.chosen
          : `${failures.join('; ')}; using ${BACKEND_LABELS[name]}`;
      return { backend: name, reason };
    }
    failures.push(failure);
  }
  throw new Error(`No TensorFlow.js backend could start: ${failures.join('; ')}. Try another browser.`);
}

export async function chooseBackend(preference: BackendPreference, options: ChooseBackendOptions = {}): Promise<ChosenBackend> {
  const chosen = preference === 'auto'
    ? await chooseAuto(options)
    : await chooseInOrder([preference, ...FALLBACK_ORDER.filter((name) => name !== preference)], preference);
  return chosen.backend === 'wasm' ? { ...chosen, threads: wasmTeamFor(tfjsWasmMemory(tf.backend()))?.threads ?? 1 } : chosen;
}
