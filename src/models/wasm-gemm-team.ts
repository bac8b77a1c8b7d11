import type { GemmHelperCommand, GemmHelperMessage } from '../protocol';
import type { GemmFn } from './wasm-gemm';

/**
 * The studio's GEMM on several threads. In the threaded tfjs build the heap is a shared
 * WebAssembly.Memory, so helper threads (workers/gemmHelper.worker.ts in the browser) instantiate
 * the same GEMM over it and each computes a band of C's rows in place: no copies, and every output
 * element is summed in the same k order as on one thread, so the result is the same to the bit.
 *
 * The team talks through a few Int32 words in a SharedArrayBuffer, not messages: the training
 * thread writes each helper's band, bumps GENERATION and wakes them (Atomics.notify), computes the
 * first band itself, then waits on PENDING until the last helper counts it down.
 *
 * Waking a sleeping thread is slow here (measured in Chromium on the 2-core machine: a 1.2M
 * multiply-add product took 0.7 ms on the team against 0.1 ms alone), so a helper stays awake,
 * spinning, for SPIN_MS after each band (a training step issues its products well within that)
 * and says so in its AWAKE word. The caller hands a product to helpers that are awake; one that
 * is asleep is only nudged awake for the next product, unless the product is so large that
 * waiting for the wake-up still pays (LARGE_TEAM_WORK).
 */

export type GemmFlavour = 'fma' | 'muladd';

/** Control words. */
const GENERATION = 0; // bumped once per job; helpers sleep on it (a notify without a bump: wake up and spin)
const PENDING = 1; // helpers still computing the current job; the caller waits on it
const STOP = 2; // set once: helpers return
const FAILED = 3; // a helper's GEMM threw (it still counts PENDING down, so nobody hangs)
const FIRST_HELPER = 4;
/** Per helper: AWAKE (1 while working or spinning), then its job: a, b, c, m, n, k, aRowStride, aKStride, flavour (0 fma, 1 muladd). */
const HELPER_WORDS = 10;
const AWAKE = 0;
const JOB = 1;

/** How long a helper spins after a band before it sleeps. */
const SPIN_MS = 2;

/**
 * Products below this many multiply-adds (~0.3 ms alone), or of fewer than MIN_TEAM_ROWS rows, stay
 * on one thread even with helpers awake: in Chromium, sharing the CNN teacher's 1.2M products and
 * the conv filter gradients' thin ones made them slower, not faster.
 */
export const MIN_TEAM_WORK = 1 << 21;
export const MIN_TEAM_ROWS = 32;

/** Products from this many multiply-adds wait for sleeping helpers (~2 ms of work alone, more than a wake-up). */
export const LARGE_TEAM_WORK = 1 << 24;

/** How long the caller waits for a band before it gives up on a helper that has stopped. */
const HELPER_TIMEOUT_MS = 30_000;

/** Rows a thread computes: multiples of the GEMM's 4-row register tile. */
export function bandRows(m: number, threads: number): number {
  return Math.max(4, Math.ceil(m / threads / 4) * 4);
}

const controlWords = (helpers: number) => FIRST_HELPER + helpers * HELPER_WORDS;

/** Spins while `control[index]` equals `value`, for at most `ms`; true when it changed. */
function spinWhileEqual(control: Int32Array, index: number, value: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(control, index) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/**
 * A helper thread's whole life: instantiate the GEMM builds over the shared memory, report ready,
 * then compute bands until STOP. Blocks its thread (Atomics.wait), so it runs in a worker.
 */
export function serveGemmBands(command: GemmHelperCommand, reply: (message: GemmHelperMessage) => void): void {
  const { slot } = command;
  let gemms: GemmFn[];
  try {
    const instantiate = (module: WebAssembly.Module | undefined): GemmFn | null =>
      module ? (new WebAssembly.Instance(module, { env: { memory: command.memory } }).exports.gemm as GemmFn) : null;
    const muladd = instantiate(command.modules.muladd)!;
    gemms = [instantiate(command.modules.fma) ?? muladd, muladd];
  } catch (error) {
    reply({ type: 'gemmHelperFailed', slot, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const control = new Int32Array(command.control);
  const awake = FIRST_HELPER + slot * HELPER_WORDS + AWAKE;
  const job = FIRST_HELPER + slot * HELPER_WORDS + JOB;
  let generation = Atomics.load(control, GENERATION);
  Atomics.store(control, awake, 1);
  reply({ type: 'gemmHelperReady', slot });
  for (;;) {
    if (!spinWhileEqual(control, GENERATION, generation, SPIN_MS)) {
      Atomics.store(control, awake, 0);
      // Sleeps until a job or a nudge (a notify without a new generation): awake again either way.
      Atomics.wait(control, GENERATION, generation);
      Atomics.store(control, awake, 1);
    }
    if (Atomics.load(control, STOP) !== 0) return;
    if (Atomics.load(control, GENERATION) === generation) continue; // a nudge: spin for the next job
    generation = Atomics.load(control, GENERATION);
    const [a, b, c, m, n, k, aRowStride, aKStride, flavour] = control.subarray(job, job + HELPER_WORDS - JOB);
    try {
      if (m > 0) gemms[flavour](a, b, c, m, n, k, aRowStride, aKStride);
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    if (Atomics.sub(control, PENDING, 1) === 1) Atomics.notify(control, PENDING);
  }
}

/** How the team reaches one helper thread (a browser Worker or a Node worker thread). */
export interface GemmHelperPort {
  start(command: GemmHelperCommand): Promise<GemmHelperMessage>;
  terminate(): void;
}

export interface GemmTeam {
  readonly memory: WebAssembly.Memory;
  /** Threads that compute a large product: the caller and its helpers. */
  readonly threads: number;
  /** The GEMM of `flavour` over the team, same signature and result as the single-thread build. */
  gemm(flavour: GemmFlavour): GemmFn;
  /** Products computed in bands by the team so far (the rest ran on the calling thread alone). */
  sharedProducts(): number;
  stop(): void;
}

export interface GemmTeamOptions {
  /** Multiply-adds from which a product waits for sleeping helpers (default LARGE_TEAM_WORK; the tests use 0). */
  largeWork?: number;
}

/**
 * Starts helpers over a shared memory; they get the compiled shared-memory GEMM builds, and the
 * caller instantiates its own. Rejects, stopping every helper, when one cannot start.
 */
export async function startGemmTeam(
  memory: WebAssembly.Memory,
  modules: GemmHelperCommand['modules'],
  ports: GemmHelperPort[],
  { largeWork = LARGE_TEAM_WORK }: GemmTeamOptions = {},
): Promise<GemmTeam> {
  const helpers = ports.length;
  const control = new Int32Array(new SharedArrayBuffer(4 * controlWords(helpers)));
  const stop = () => {
    Atomics.store(control, STOP, 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    for (const port of ports) port.terminate();
  };
  const replies = await Promise.all(ports.map((port, slot) => port.start({ type: 'gemmHelperStart', modules, memory, control: control.buffer as SharedArrayBuffer, slot })));
  const failed = replies.find((reply) => reply.type === 'gemmHelperFailed');
  if (failed) {
    stop();
    throw new Error(`A GEMM helper thread could not start: ${failed.type === 'gemmHelperFailed' ? failed.message : ''}`);
  }
  const local = (flavour: GemmFlavour): GemmFn => {
    const module = flavour === 'fma' ? modules.fma : modules.muladd;
    if (!module) throw new Error('The fma GEMM build does not run on this engine.');
    return new WebAssembly.Instance(module, { env: { memory } }).exports.gemm as GemmFn;
  };
  const builds = new Map<GemmFlavour, GemmFn>();
  const threads = helpers + 1;
  let shared = 0;
  const allAwake = (): boolean => {
    for (let slot = 0; slot < helpers; slot++) if (Atomics.load(control, FIRST_HELPER + slot * HELPER_WORDS + AWAKE) === 0) return false;
    return true;
  };
  /** Spins for the helpers' bands (they end about when the caller's does), then sleeps on PENDING. */
  const awaitHelpers = (): void => {
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (let pending = Atomics.load(control, PENDING); pending !== 0; pending = Atomics.load(control, PENDING)) {
      if (spinWhileEqual(control, PENDING, pending, SPIN_MS)) continue;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`A GEMM helper thread did not finish its rows within ${HELPER_TIMEOUT_MS / 1000} s; the training worker must be restarted.`);
      Atomics.wait(control, PENDING, pending, left);
    }
  };

  const teamGemm = (flavour: GemmFlavour): GemmFn => {
    let own = builds.get(flavour);
    if (!own) builds.set(flavour, (own = local(flavour)));
    const gemm = own;
    return (a, b, c, m, n, k, aRowStride, aKStride) => {
      const work = m * n * k;
      if (helpers === 0 || work < MIN_TEAM_WORK || m < MIN_TEAM_ROWS) {
        gemm(a, b, c, m, n, k, aRowStride, aKStride);
        return;
      }
      if (work < largeWork && !allAwake()) {
        Atomics.notify(control, GENERATION); // wake them for the products that follow
        gemm(a, b, c, m, n, k, aRowStride, aKStride);
        return;
      }
      const rows = bandRows(m, threads);
      for (let slot = 0; slot < helpers; slot++) {
        const first = Math.min(m, rows * (slot + 1));
        const count = Math.min(rows, m - first);
        const job = [a + 4 * first * aRowStride, b, c + 4 * first * n, count, n, k, aRowStride, aKStride, flavour === 'fma' ? 0 : 1];
        control.set(job, FIRST_HELPER + slot * HELPER_WORDS + JOB);
      }
      Atomics.store(control, PENDING, helpers);
      shared += 1;
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
      gemm(a, b, c, Math.min(rows, m), n, k, aRowStride, aKStride);
      awaitHelpers();
      if (Atomics.exchange(control, FAILED, 0) !== 0) throw new Error('A GEMM helper thread failed (its WebAssembly trapped); the product is incomplete.');
    };
  };
  return { memory, threads, gemm: teamGemm, sharedProducts: () => shared, stop };
}
