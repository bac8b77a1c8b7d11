/// <reference lib="webworker" />
import { activeWasmGemmBuild, setWasmGemmMode, wasmGemmThreads } from '../src/models/wasm-gemm';
import { setFmaTileRows } from '../src/models/wasm-gemm-tile';
import type { GemmTileRows } from '../src/models/wasm-gemm-wat';
import { wasmTeamHelperChunks } from '../src/models/wasm-team';
import { setWasmAdamMode, type WasmAdamMode } from '../src/models/wasm-adam';
import * as tf from '@tensorflow/tfjs';
import { kernelProfile, timeKernels } from '../src/train/kernelTimer';
import { loadDataset } from '../src/data/loader';
import type { BackendName } from '../src/protocol';
import { DEFAULT_WARMUP_STEPS, measureThroughput, type BrowserBenchReply, type BrowserBenchRequest } from '../src/train/benchmark';
import { chooseBackend, setWasmThreads } from './backend';
import { errorMessage } from '../src/errorMessage';

/**
 * Browser benchmark worker: for each requested backend, times training steps of each model with
 * src/train's step (the same code a run uses) and posts one row per (backend, model).
 */

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: BrowserBenchReply): void => scope.postMessage(reply);

async function readAsset(relativePath: string): Promise<Uint8Array> {
  const response = await fetch(`/data/${relativePath}`);
  if (!response.ok) throw new Error(`/data/${relativePath}: HTTP ${response.status}; run \`npm run prepare-data\`.`);
  return new Uint8Array(await response.arrayBuffer());
}


/**
 * 'wasm' with the threads its GEMM shares products between (tfjs's XNNPACK kernels run on one,
 * see workers/backend.ts) and the GEMM build that actually ran (fma, fma6 for 6-row tiles, muladd;
 * 'off': XNNPACK), so rows of runs with different counts or modes stay apart.
 */
function backendLabel(): string {
  const backend = tf.getBackend();
  return backend === 'wasm' ? `wasm x${wasmGemmThreads()} gemm=${activeWasmGemmBuild() ?? 'off'}` : backend;
}

interface Turn { adam: WasmAdamMode | null; tileRows: GemmTileRows | null }

/** Every pair of the request's Adam modes and tile heights, turnRounds times: timed in turns so a drift in the machine's speed hits each alike. */
function turnsOf(request: BrowserBenchRequest): Turn[] {
  const adams = request.adamModes?.length ? request.adamModes : [null];
  const heights = request.tileRows?.length ? request.tileRows : [null];
  const round = adams.flatMap((adam) => heights.map((tileRows) => ({ adam, tileRows })));
  return Array.from({ length: request.turnRounds ?? 1 }, () => round).flat();
}

async function run(request: BrowserBenchRequest): Promise<void> {
  setWasmThreads(request.wasmThreads);
  setWasmGemmMode(request.gemm ?? 'auto');
  const data = await loadDataset(
    { datasetId: 'mnist', trainSubset: request.trainImages, validationSize: 0, testSubset: 1, augmentShift: 0 }, readAsset,
  );
  for (const backend of request.backends) {
    const chosen = await chooseBackend(backend as BackendName);
    if (chosen.backend !== backend) {
      for (const model of request.models) post({ type: 'skipped', backend, model: model.name, reason: chosen.reason });
      continue;
    }
    for (const model of request.models) {
      try {
        const options = { batchSize: request.batchSize, steps: request.steps, warmupSteps: request.warmupSteps, now: () => performance.now() };
        for (const { adam, tileRows } of turnsOf(request)) {
          setWasmAdamMode(adam ?? 'on');
          setFmaTileRows(tileRows ?? 'auto');
          const sharedBefore = wasmTeamHelperChunks();
          const row = await measureThroughput(model, data, options);
          const label = adam ? `${backendLabel()} adam=${adam}` : backendLabel();
          post({ type: 'row', row: { ...row, backend: label, helperChunks: wasmTeamHelperChunks() - sharedBefore } });
        }
        setWasmAdamMode('on');
        setFmaTileRows('auto');
        const label = backendLabel();
        if (request.profile) {
          const timer = timeKernels(backend, true);
          try {
            const timed = await measureThroughput(model, data, options);
            post({ type: 'profile', backend: label, model: model.name, profile: kernelProfile(timer.tallies, request.steps + (request.warmupSteps ?? DEFAULT_WARMUP_STEPS), timed.msPerStep) });
          } finally {
            timer.restore();
          }
        }
      } catch (error) {
        post({ type: 'skipped', backend, model: model.name, reason: errorMessage(error) });
      }
    }
  }
}

scope.onmessage = (event: MessageEvent<BrowserBenchRequest>) => {
  run(event.data).then(
    () => post({ type: 'done' }),
    (error: unknown) => post({ type: 'failed', message: errorMessage(error) }),
  );
};
