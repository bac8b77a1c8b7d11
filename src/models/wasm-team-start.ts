import { ADAM_BUILDS } from './wasm-adam';
import { GEMM_BUILDS, relaxedSimdSupported } from './wasm-gemm';
import { setWasmTeam, startWasmTeam, wasmTeamFor, type WasmHelperPort, type WasmTeam } from './wasm-team';
import { GEMM_SCRATCH_BYTES } from './wasm-gemm-wat';
import { compileFor, isSharedMemory, tfjsWasmMemory, wasmScratch } from './wasmModule';

/**
 * Starts `helpers` helper threads (made by `spawn`: a nested Worker in the browser, a worker thread
 * in Node) over the backend's memory when it is shared (the threaded tfjs build), and makes them
 * the team of the GEMM and the fused Adam update. Null, with nothing spawned, on a plain memory.
 */
export async function startWasmTeamFor(backend: unknown, helpers: number, spawn: () => WasmHelperPort): Promise<WasmTeam | null> {
  const memory = tfjsWasmMemory(backend);
  if (memory === null || !isSharedMemory(memory) || helpers < 1) return null;
  const running = wasmTeamFor(memory);
  if (running?.threads === helpers + 1) return running;
  const modules = {
    gemmMuladd: compileFor(GEMM_BUILDS.muladd, memory),
    gemmFma: relaxedSimdSupported() ? compileFor(GEMM_BUILDS.fma, memory) : undefined,
    gemmFma6: relaxedSimdSupported() ? compileFor(GEMM_BUILDS.fma6, memory) : undefined,
    adam: compileFor(ADAM_BUILDS, memory),
  };
  const scratch = wasmScratch(backend, (helpers + 1) * GEMM_SCRATCH_BYTES);
  if (scratch === null) return null;
  const team = await startWasmTeam(memory, modules, Array.from({ length: helpers }, spawn), scratch);
  setWasmTeam(team);
  return team;
}
