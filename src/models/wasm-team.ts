import type { WasmHelperCommand, WasmHelperMessage } from '../protocol';
import type { GemmFn } from './wasm-gemm';
import type { AdamFn } from './wasm-adam';

/**
 * The studio's wasm kernels on several threads. In the threaded tfjs build the heap is a shared
 * WebAssembly.Memory, so helper threads (workers/wasmHelper.worker.ts in the browser) instantiate
 * the same modules over it and each computes a slice of the output in place: row bands of a GEMM,
 * element ranges of Adam's update. No copies, and every output element is computed by the same
 * operations in the same order as on one thread, so the results are the same to the bit.
 *
 * The team talks through Int32 words in a SharedArrayBuffer, not messages: the training thread
 * writes each helper's slice, bumps GENERATION and wakes them (Atomics.notify), computes the first
 * slice itself, then waits on PENDING until the last helper counts it down.
 *
 * Waking a sleeping thread is slow here (measured in Chromium on the 2-core machine: a 1.2M
 * multiply-add product took 0.7 ms on the team against 0.1 ms alone), so a helper stays awake,
 * spinning, for SPIN_MS after each slice (a training step issues its products well within that)
 * and says so in its AWAKE word. The caller hands work to helpers that are awake; one that is
 * asleep is only nudged awake for the next job, unless the job is so large that waiting for the
 * wake-up still pays (`largeWork`).
 */

export type GemmFlavour = 'fma' | 'muladd';

/** Control words. */
const GENERATION = 0; // bumped once per job; helpers sleep on it (a notify without a bump: wake up and spin)
const PENDING = 1; // helpers still computing the current job; the caller waits on it
const STOP = 2; // set once: helpers return
const FAILED = 3; // a helper's kernel threw (it still counts PENDING down, so nobody hangs)
const FIRST_HELPER = 4;
/** Per helper: AWAKE (1 while working or spinning), KIND, then the kernel's arguments. */
const HELPER_WORDS = 20;
const AWAKE = 0;
const KIND = 1;
const ARGS = 2;

/** What a helper computes: nothing (an empty slice), a GEMM band in either build, or an Adam range. */
const Kind = { none: 0, gemmFma: 1, gemmMuladd: 2, adam: 3 } as const;
/** Adam's arguments: 8 integers (7 pointers and the count), then 9 float32 scalars. */
const ADAM_INTS = 8;
const ADAM_FLOATS = 9;

/** How long a helper spins after a slice before it sleeps. */
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
/** Adam updates of fewer elements stay on one thread (a 800 x 800 layer's 640K elements take ~0.8 ms). */
export const MIN_TEAM_ADAM = 1 << 17;

/** How long the caller waits for a slice before it gives up on a helper that has stopped. */
const HELPER_TIMEOUT_MS = 30_000;

/** Rows a thread computes: multiples of the GEMM's 4-row register tile. */
export function bandRows(m: number, threads: number): number {
  return Math.max(4, Math.ceil(m / threads / 4) * 4);
}

/** Elements of Adam's update a thread computes: multiples of the module's 4-wide SIMD step. */
export function rangeElements(count: number, threads: number): number {
  return Math.max(4, Math.ceil(count / threads / 4) * 4);
}

const controlWords = (helpers: number) => FIRST_HELPER + helpers * HELPER_WORDS;
const helperWord = (slot: number, word: number) => FIRST_HELPER + slot * HELPER_WORDS + word;

/** Spins while `control[index]` equals `value`, for at most `ms`; true when it changed. */
function spinWhileEqual(control: Int32Array, index: number, value: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(control, index) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** A helper's kernels over the shared memory, by Kind. */
function helperKernels(command: WasmHelperCommand): (kind: number, ints: Int32Array, floats: Float32Array) => void {
  const exportsOf = (module: WebAssembly.Module) => new WebAssembly.Instance(module, { env: { memory: command.memory } }).exports;
  const muladd = exportsOf(command.modules.gemmMuladd).gemm as GemmFn;
  const fma = command.modules.gemmFma ? (exportsOf(command.modules.gemmFma).gemm as GemmFn) : muladd;
  const adam = exportsOf(command.modules.adam).adam as AdamFn;
  return (kind, ints, floats) => {
    if (kind === Kind.gemmFma || kind === Kind.gemmMuladd) {
      const [a, b, c, m, n, k, aRowStride, aKStride] = ints;
      (kind === Kind.gemmFma ? fma : muladd)(a, b, c, m, n, k, aRowStride, aKStride);
    } else if (kind === Kind.adam) {
      const [w, m, v, g, outW, outM, outV, count] = ints;
      const [lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, correction1, correction2, weightDecay] = floats.subarray(ADAM_INTS, ADAM_INTS + ADAM_FLOATS);
      adam(w, m, v, g, outW, outM, outV, count, lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, correction1, correction2, weightDecay);
    }
  };
}

/**
 * A helper thread's whole life: instantiate the modules over the shared memory, report ready,
 * then compute slices until STOP. Blocks its thread (Atomics.wait), so it runs in a worker.
 */
export function serveTeamJobs(command: WasmHelperCommand, reply: (message: WasmHelperMessage) => void): void {
  const { slot } = command;
  let run: ReturnType<typeof helperKernels>;
  try {
    run = helperKernels(command);
  } catch (error) {
    reply({ type: 'wasmHelperFailed', slot, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const control = new Int32Array(command.control);
  const floats = new Float32Array(command.control);
  const awake = helperWord(slot, AWAKE);
  const args = helperWord(slot, ARGS);
  let generation = Atomics.load(control, GENERATION);
  Atomics.store(control, awake, 1);
  reply({ type: 'wasmHelperReady', slot });
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
    try {
      run(control[helperWord(slot, KIND)], control.subarray(args, args + HELPER_WORDS - ARGS), floats.subarray(args, args + HELPER_WORDS - ARGS));
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    if (Atomics.sub(control, PENDING, 1) === 1) Atomics.notify(control, PENDING);
  }
}

/** How the team reaches one helper thread (a browser Worker or a Node worker thread). */
export interface WasmHelperPort {
  start(command: WasmHelperCommand): Promise<WasmHelperMessage>;
  terminate(): void;
}

export interface WasmTeam {
  readonly memory: WebAssembly.Memory;
  /** Threads that share a large job: the caller and its helpers. */
  readonly threads: number;
  /** The GEMM of `flavour` over the team, same signature and result as the single-thread build. */
  gemm(flavour: GemmFlavour): GemmFn;
  /** Adam's fused update over the team, same signature and result as the single-thread module. */
  readonly adam: AdamFn;
  /** Jobs computed in slices by the team so far (the rest ran on the calling thread alone). */
  sharedJobs(): number;
  stop(): void;
}

export interface WasmTeamOptions {
  /** Multiply-adds from which a product waits for sleeping helpers (default LARGE_TEAM_WORK; the tests use 0). */
  largeWork?: number;
}

/**
 * Starts helpers over a shared memory; they get the compiled shared-memory builds, and the caller
 * instantiates its own. Rejects, stopping every helper, when one cannot start.
 */
export async function startWasmTeam(
  memory: WebAssembly.Memory,
  modules: WasmHelperCommand['modules'],
  ports: WasmHelperPort[],
  { largeWork = LARGE_TEAM_WORK }: WasmTeamOptions = {},
): Promise<WasmTeam> {
  const helpers = ports.length;
  const threads = helpers + 1;
  const control = new Int32Array(new SharedArrayBuffer(4 * controlWords(helpers)));
  const floats = new Float32Array(control.buffer);
  const stop = () => {
    Atomics.store(control, STOP, 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    for (const port of ports) port.terminate();
  };
  const replies = await Promise.all(ports.map((port, slot) => port.start({ type: 'wasmHelperStart', modules, memory, control: control.buffer as SharedArrayBuffer, slot })));
  const failed = replies.find((reply) => reply.type === 'wasmHelperFailed');
  if (failed) {
    stop();
    throw new Error(`A wasm helper thread could not start: ${failed.type === 'wasmHelperFailed' ? failed.message : ''}`);
  }
  const exportsOf = (module: WebAssembly.Module) => new WebAssembly.Instance(module, { env: { memory } }).exports;
  const ownGemm = { fma: modules.gemmFma ? (exportsOf(modules.gemmFma).gemm as GemmFn) : null, muladd: exportsOf(modules.gemmMuladd).gemm as GemmFn };
  const ownAdam = exportsOf(modules.adam).adam as AdamFn;
  let shared = 0;

  const allAwake = (): boolean => {
    for (let slot = 0; slot < helpers; slot++) if (Atomics.load(control, helperWord(slot, AWAKE)) === 0) return false;
    return true;
  };
  /** Whether to share a job of this size: helpers awake, or the job large enough to wait for them (else nudge them). */
  const share = (work: number, large: number): boolean => {
    if (work >= large || allAwake()) return true;
    Atomics.notify(control, GENERATION); // wake them for the jobs that follow
    return false;
  };
  /** Spins for the helpers' slices (they end about when the caller's does), then sleeps on PENDING. */
  const awaitHelpers = (): void => {
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (let pending = Atomics.load(control, PENDING); pending !== 0; pending = Atomics.load(control, PENDING)) {
      if (spinWhileEqual(control, PENDING, pending, SPIN_MS)) continue;
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`A wasm helper thread did not finish its slice within ${HELPER_TIMEOUT_MS / 1000} s; the training worker must be restarted.`);
      Atomics.wait(control, PENDING, pending, left);
    }
  };
  /** Runs a job whose slices `setSlice` has written for every helper, the caller's slice being `own`. */
  const runShared = (own: () => void): void => {
    Atomics.store(control, PENDING, helpers);
    shared += 1;
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    own();
    awaitHelpers();
    if (Atomics.exchange(control, FAILED, 0) !== 0) throw new Error('A wasm helper thread failed (its WebAssembly trapped); the result is incomplete.');
  };
  const setSlice = (slot: number, kind: number, ints: number[], scalars: number[] = []): void => {
    control[helperWord(slot, KIND)] = kind;
    control.set(ints, helperWord(slot, ARGS));
    floats.set(scalars, helperWord(slot, ARGS) + ints.length);
  };

  const gemm = (flavour: GemmFlavour): GemmFn => {
    const own = ownGemm[flavour];
    if (!own) throw new Error('The fma GEMM build does not run on this engine.');
    const kind = flavour === 'fma' ? Kind.gemmFma : Kind.gemmMuladd;
    return (a, b, c, m, n, k, aRowStride, aKStride) => {
      const work = m * n * k;
      if (helpers === 0 || work < MIN_TEAM_WORK || m < MIN_TEAM_ROWS || !share(work, largeWork)) {
        own(a, b, c, m, n, k, aRowStride, aKStride);
        return;
      }
      const rows = bandRows(m, threads);
      for (let slot = 0; slot < helpers; slot++) {
        const first = Math.min(m, rows * (slot + 1));
        const count = Math.min(rows, m - first);
        setSlice(slot, count > 0 ? kind : Kind.none, [a + 4 * first * aRowStride, b, c + 4 * first * n, count, n, k, aRowStride, aKStride]);
      }
      runShared(() => own(a, b, c, Math.min(rows, m), n, k, aRowStride, aKStride));
    };
  };

  const adam: AdamFn = (w, m, v, g, outW, outM, outV, count, ...scalars) => {
    // Memory-bound: worth a helper only while it is awake (no size waits for a wake-up).
    if (helpers === 0 || count < MIN_TEAM_ADAM || !share(0, Number.POSITIVE_INFINITY)) {
      ownAdam(w, m, v, g, outW, outM, outV, count, ...scalars);
      return;
    }
    const each = rangeElements(count, threads);
    for (let slot = 0; slot < helpers; slot++) {
      const first = Math.min(count, each * (slot + 1));
      const size = Math.min(each, count - first);
      const at = (pointer: number) => pointer + 4 * first;
      setSlice(slot, size > 0 ? Kind.adam : Kind.none, [at(w), at(m), at(v), at(g), at(outW), at(outM), at(outV), size], scalars);
    }
    runShared(() => ownAdam(w, m, v, g, outW, outM, outV, Math.min(each, count), ...scalars));
  };

  return { memory, threads, gemm, adam, sharedJobs: () => shared, stop };
}

// ---------- the team the kernels use (one per shared memory; started by wasm-team-start.ts) ----------

let current: WasmTeam | null = null;

/** Uses `next` for jobs on its memory from now on (null: one thread again); stops the previous team. */
export function setWasmTeam(next: WasmTeam | null): void {
  if (current && current !== next) current.stop();
  current = next;
}

/** The team over `memory`, or null (no team, or one over another memory). */
export function wasmTeamFor(memory: WebAssembly.Memory | null): WasmTeam | null {
  return current !== null && memory === current.memory ? current : null;
}

/** Jobs the current team has shared between threads so far (0 without one): the benchmark reports it per row. */
export function wasmTeamSharedJobs(): number {
  return current?.sharedJobs() ?? 0;
}
