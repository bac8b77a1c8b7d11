import type { WasmHelperCommand, WasmHelperMessage } from '../protocol';
import type { GemmBuild, GemmFn } from './wasm-gemm';
import { GEMM_SCRATCH_BYTES } from './wasm-gemm-wat';
import type { AdamFn } from './wasm-adam';

/**
 * The studio's wasm kernels on several threads. In the threaded tfjs build the heap is a shared
 * WebAssembly.Memory, so helper threads (workers/wasmHelper.worker.ts in the browser) instantiate
 * the same modules over it and compute chunks of the output in place: row or column bands of a
 * GEMM, element ranges of Adam's update. No copies, and every output element is computed by the same
 * operations in the same order as on one thread, so the results are the same to the bit. Each
 * thread packs the GEMM's B panels into its own slot of the team's scratch (thread t at scratch +
 * t GEMM_SCRATCH_BYTES: the caller 0, helper s at s + 1).
 *
 * The team talks through Int32 words in a SharedArrayBuffer, not messages. The training thread
 * writes a job, opens its TICKET, bumps GENERATION (helpers spin or sleep on it) and then claims
 * chunks itself; every thread claims the next chunk with a compare-and-swap on TICKET until none
 * is left, and the caller waits only for chunks a helper has claimed and not finished. A helper
 * that is asleep or descheduled therefore never delays a job: it joins late or not at all
 * (waking a sleeping thread took longer than a 1.2M multiply-add product in Chromium here). After
 * its last chunk a helper spins for SPIN_MS, as a training step issues its products well within
 * that, and then sleeps.
 */

/** Control words. */
const GENERATION = 0; // bumped once per job; helpers spin, then sleep, on it
const TICKET = 1; // (job id << 16) | next unclaimed chunk; CLOSED as the chunk once a job is over
const DONE = 2; // chunks of the current job computed, by any thread
const STOP = 3; // set once: helpers return
const FAILED = 4; // a chunk's kernel threw (its chunk still counts as done, so nobody hangs)
const HELPER_CHUNKS = 5; // chunks helpers computed, over the team's life
const JOB_KIND = 8;
const JOB_CHUNKS = 9;
const JOB_CHUNK_SIZE = 10; // rows or columns of a GEMM chunk, elements of an Adam chunk
const JOB_BY_COLUMNS = 11; // a GEMM's chunks are bands of columns (1) or of rows (0)
const JOB_ARGS = 12; // a GEMM's 8 arguments and the team's scratch; Adam's 8 integers and 9 scalars
const CONTROL_WORDS = JOB_ARGS + 17;
const CLOSED = 0xffff;

/** What a job computes: a GEMM in one of its builds, or Adam's update. */
const Kind = { gemmFma: 1, gemmMuladd: 2, adam: 3, gemmFma6: 4 } as const;
const GEMM_KIND: Record<GemmBuild, number> = { fma: Kind.gemmFma, fma6: Kind.gemmFma6, muladd: Kind.gemmMuladd };
/** Adam's arguments: 8 integers (7 pointers and the count), then 9 float32 scalars. */
const ADAM_INTS = 8;

/** How long a helper spins after its last chunk before it sleeps. */
const SPIN_MS = 2;

/**
 * Products below this many multiply-adds (~0.7 ms alone), or of fewer than two chunks' rows, stay
 * on one thread: a helper descheduled while it holds a chunk makes the caller wait, which in
 * Chromium here turned the CNN teacher's 1.2M-multiply-add weight gradient from 0.09 into 0.49 ms
 * in one run; the dense layers' 40M products gain far more than such a wait costs.
 */
export const MIN_TEAM_WORK = 1 << 22;
export const MIN_CHUNK_ROWS = 16;
export const MIN_CHUNK_COLUMNS = 32;
/** Adam updates of fewer elements stay on one thread. */
export const MIN_TEAM_ADAM = 1 << 16;

/** How long the caller waits for a claimed chunk before it gives up on a helper that has stopped. */
const HELPER_TIMEOUT_MS = 30_000;
/** How long a helper may take to load and answer its start message. */
const HELPER_START_TIMEOUT_MS = 20_000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error); });
  });
}

/**
 * GEMM chunks per thread. The last chunks decide when a job ends: one thread may still be in its
 * last chunk when the other runs out, and a helper that joins late or runs slower leaves the caller
 * its share. Eight instead of four a thread (chunks of ~0.1 instead of ~0.2 ms in the MLPs' products)
 * made the Hinton student faster in 5 of 6 alternating Chromium pairs (median +7 %; the teacher +2 %).
 */
const GEMM_CHUNKS_PER_THREAD = 8;

/**
 * Rows of a GEMM chunk (for products too narrow for column chunks): about GEMM_CHUNKS_PER_THREAD
 * a thread, in multiples of 12 so that both register tile heights (4 and 6 rows) tile them whole,
 * and at least MIN_CHUNK_ROWS (each chunk reads all of B).
 */
export function chunkRows(m: number, threads: number): number {
  return Math.max(MIN_CHUNK_ROWS, Math.ceil(m / (GEMM_CHUNKS_PER_THREAD * threads) / 12) * 12);
}

/**
 * Columns of a GEMM chunk: about GEMM_CHUNKS_PER_THREAD a thread, in whole 8-column tiles, so every
 * column is computed by the same tile as on one thread, and each chunk reads (and packs) its own band of B only.
 */
export function chunkColumns(n: number, threads: number): number {
  return Math.max(MIN_CHUNK_COLUMNS, Math.ceil(n / (GEMM_CHUNKS_PER_THREAD * threads) / 8) * 8);
}

/**
 * Whether a product's chunks are bands of columns: wherever C is wide enough for four column
 * chunks per thread, or has too few rows for four row chunks. A row chunk packs every panel of B
 * it reads for itself, so n row chunks pack all of B n times: a dense layer's weight gradient
 * (800 x 800 x 64, B 200 KB) ran at 72-78 GFLOP/s on two Node threads in eight row chunks and
 * 76-83 in column chunks (43-44 on one); each column chunk packs its own panels once, and A is
 * read once per panel either way.
 */
export function byColumns(m: number, n: number, threads: number): boolean {
  return n >= 4 * threads * MIN_CHUNK_COLUMNS || m < 4 * threads * MIN_CHUNK_ROWS;
}

/** Elements of an Adam chunk: about four chunks per thread, multiples of the module's 4-wide SIMD step. */
export function chunkElements(count: number, threads: number): number {
  return Math.max(1 << 14, Math.ceil(count / (4 * threads) / 4) * 4);
}

/** Spins while `control[index]` equals `value`, for at most `ms`; true when it changed. */
function spinWhileEqual(control: Int32Array, index: number, value: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(control, index) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** wasm-gemm-wat.ts's gemmLd: the GEMM with B's and C's row stride (elements) before the scratch. */
type GemmLdFn = (...args: [...Parameters<GemmFn>, ldn: number, scratch: number]) => void;

interface Kernels {
  /** By job kind; the fma builds only where the engine runs relaxed SIMD. */
  gemms: Map<number, GemmLdFn>;
  adam: AdamFn;
}

function instantiateKernels(modules: WasmHelperCommand['modules'], memory: WebAssembly.Memory): Kernels {
  const exportsOf = (module: WebAssembly.Module) => new WebAssembly.Instance(module, { env: { memory } }).exports;
  const gemms = new Map<number, GemmLdFn>();
  const builds: [number, WebAssembly.Module | undefined][] = [[Kind.gemmFma, modules.gemmFma], [Kind.gemmFma6, modules.gemmFma6], [Kind.gemmMuladd, modules.gemmMuladd]];
  for (const [kind, module] of builds) if (module) gemms.set(kind, exportsOf(module).gemmLd as GemmLdFn);
  return { gemms, adam: exportsOf(modules.adam).adam as AdamFn };
}

/** Computes chunk `index` of the job in the control words on thread `thread` (0: the caller). */
function computeChunk(kernels: Kernels, control: Int32Array, floats: Float32Array, index: number, thread: number): void {
  const kind = control[JOB_KIND];
  const size = control[JOB_CHUNK_SIZE];
  const first = index * size;
  if (index < 0 || index >= control[JOB_CHUNKS]) throw new Error(`chunk ${index} of a job of ${control[JOB_CHUNKS]}`);
  if (kind === Kind.adam) {
    const [w, m, v, g, outW, outM, outV, count] = control.subarray(JOB_ARGS, JOB_ARGS + ADAM_INTS);
    const [lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, correction1, correction2, weightDecay] = floats.subarray(JOB_ARGS + ADAM_INTS, CONTROL_WORDS);
    const at = (pointer: number) => pointer + 4 * first;
    kernels.adam(at(w), at(m), at(v), at(g), at(outW), at(outM), at(outV), Math.min(size, count - first),
      lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, epsilon, correction1, correction2, weightDecay);
    return;
  }
  const [a, b, c, m, n, k, aRowStride, aKStride, teamScratch] = control.subarray(JOB_ARGS, JOB_ARGS + 9);
  const gemm = kernels.gemms.get(kind);
  if (!gemm) throw new Error(`The GEMM build of job kind ${kind} does not run on this engine.`);
  const scratch = teamScratch + thread * GEMM_SCRATCH_BYTES;
  if (control[JOB_BY_COLUMNS] === 1) gemm(a, b + 4 * first, c + 4 * first, m, Math.min(size, n - first), k, aRowStride, aKStride, n, scratch);
  else gemm(a + 4 * first * aRowStride, b, c + 4 * first * n, Math.min(size, m - first), n, k, aRowStride, aKStride, n, scratch);
}

/** Claims the next chunk of job `job`, or -1 when it has none left (or is over). */
function claimChunk(control: Int32Array, job: number, chunks: number): number {
  for (;;) {
    const ticket = Atomics.load(control, TICKET);
    const next = ticket & 0xffff;
    if (ticket >>> 16 !== job || next >= chunks) return -1;
    if (Atomics.compareExchange(control, TICKET, ticket, ticket + 1) === ticket) return next;
  }
}

/** Claims and computes chunks of `job` on thread `thread` until none is left; returns how many it computed. */
function workOn(job: number, kernels: Kernels, control: Int32Array, floats: Float32Array, thread: number): number {
  // Read before any claim, this bound may be another job's (the id has 15 bits and can come round
  // again): after a claim succeeds the job's words are this job's, so the count is read again and
  // a chunk past it is dropped uncounted.
  let chunks = control[JOB_CHUNKS];
  let computed = 0;
  for (let index = claimChunk(control, job, chunks); index >= 0; index = claimChunk(control, job, chunks)) {
    chunks = control[JOB_CHUNKS];
    if (index >= chunks) return computed;
    try {
      computeChunk(kernels, control, floats, index, thread);
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    computed += 1;
    Atomics.add(control, DONE, 1);
  }
  return computed;
}

/**
 * A helper thread's whole life: instantiate the modules over the shared memory, report ready, then
 * take chunks of jobs until STOP. Blocks its thread (Atomics.wait), so it runs in a worker.
 */
export function serveTeamJobs(command: WasmHelperCommand, reply: (message: WasmHelperMessage) => void): void {
  const { slot } = command;
  let kernels: Kernels;
  try {
    kernels = instantiateKernels(command.modules, command.memory);
  } catch (error) {
    reply({ type: 'wasmHelperFailed', slot, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const control = new Int32Array(command.control);
  const floats = new Float32Array(command.control);
  let generation = Atomics.load(control, GENERATION);
  reply({ type: 'wasmHelperReady', slot });
  for (;;) {
    if (!spinWhileEqual(control, GENERATION, generation, SPIN_MS)) Atomics.wait(control, GENERATION, generation);
    if (Atomics.load(control, STOP) !== 0) return;
    generation = Atomics.load(control, GENERATION);
    const computed = workOn(Atomics.load(control, TICKET) >>> 16, kernels, control, floats, slot + 1);
    if (computed > 0) Atomics.add(control, HELPER_CHUNKS, computed);
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
  /** The GEMM `build` over the team (one function per build), same signature and result as the single-thread build. */
  gemm(build: GemmBuild): GemmFn;
  /** Adam's fused update over the team, same signature and result as the single-thread module. */
  readonly adam: AdamFn;
  /** Chunks the helpers have computed so far (the rest ran on the calling thread). */
  helperChunks(): number;
  stop(): void;
}

/**
 * Starts helpers over a shared memory; they get the compiled shared-memory builds, and the caller
 * instantiates its own. `scratch`: (helpers + 1) GEMM_SCRATCH_BYTES in the memory, 16-byte aligned,
 * for the team alone. Rejects, stopping every helper, when one cannot start.
 */
export async function startWasmTeam(memory: WebAssembly.Memory, modules: WasmHelperCommand['modules'], ports: WasmHelperPort[], scratch: number): Promise<WasmTeam> {
  const helpers = ports.length;
  const threads = helpers + 1;
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  const floats = new Float32Array(control.buffer);
  Atomics.store(control, TICKET, CLOSED);
  const stop = () => {
    Atomics.store(control, STOP, 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    for (const port of ports) port.terminate();
  };
  let replies: WasmHelperMessage[];
  try {
    replies = await Promise.all(ports.map((port, slot) => withTimeout(
      port.start({ type: 'wasmHelperStart', modules, memory, control: control.buffer as SharedArrayBuffer, slot }),
      HELPER_START_TIMEOUT_MS, `helper ${slot} did not answer within ${HELPER_START_TIMEOUT_MS / 1000} s`,
    )));
  } catch (error) {
    stop();
    throw new Error(`A wasm helper thread could not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const failed = replies.find((reply) => reply.type === 'wasmHelperFailed');
  if (failed) {
    stop();
    throw new Error(`A wasm helper thread could not start: ${failed.type === 'wasmHelperFailed' ? failed.message : ''}`);
  }
  const kernels = instantiateKernels(modules, memory);
  let job = 0;
  /** Set when a helper stopped answering: the helpers are stopped and every job runs on the caller. */
  let broken = false;

  /** Publishes the job written into the control words, works on it, and waits for chunks helpers claimed. */
  const runJob = (kind: number, chunks: number, chunkSize: number, columns: boolean, ints: readonly number[], scalars: readonly number[] = []): void => {
    control[JOB_KIND] = kind;
    control[JOB_CHUNKS] = chunks;
    control[JOB_CHUNK_SIZE] = chunkSize;
    control[JOB_BY_COLUMNS] = columns ? 1 : 0;
    control.set(ints, JOB_ARGS);
    floats.set(scalars, JOB_ARGS + ints.length);
    Atomics.store(control, DONE, 0);
    job = (job + 1) & 0x7fff;
    Atomics.store(control, TICKET, job << 16);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    workOn(job, kernels, control, floats, 0);
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (let done = Atomics.load(control, DONE); done < chunks; done = Atomics.load(control, DONE)) {
      if (!spinWhileEqual(control, DONE, done, SPIN_MS) && performance.now() > deadline) {
        // Its chunk may still be written later: stop the helpers (their words are never reused) and go on alone.
        broken = true;
        stop();
        throw new Error(`A wasm helper thread did not finish its chunk within ${HELPER_TIMEOUT_MS / 1000} s; it was stopped and later jobs run on one thread. Run the training again.`);
      }
    }
    // Closed before the next job's words are written: a helper reading them mid-write cannot claim.
    Atomics.store(control, TICKET, (job << 16) | CLOSED);
    if (Atomics.exchange(control, FAILED, 0) !== 0) throw new Error('A wasm kernel failed on one chunk of a job shared between threads (its WebAssembly trapped); the result is incomplete.');
  };

  const teamGemm = (build: GemmBuild): GemmFn => {
    const kind = GEMM_KIND[build];
    const own = kernels.gemms.get(kind);
    if (!own) throw new Error(`The GEMM build '${build}' does not run on this engine.`);
    return (a, b, c, m, n, k, aRowStride, aKStride) => {
      const columns = byColumns(m, n, threads);
      const size = columns ? chunkColumns(n, threads) : chunkRows(m, threads);
      const chunks = Math.ceil((columns ? n : m) / size);
      if (helpers === 0 || broken || m * n * k < MIN_TEAM_WORK || chunks < 2) {
        own(a, b, c, m, n, k, aRowStride, aKStride, n, scratch);
        return;
      }
      runJob(kind, chunks, size, columns, [a, b, c, m, n, k, aRowStride, aKStride, scratch]);
    };
  };

  const adam: AdamFn = (w, m, v, g, outW, outM, outV, count, ...scalars) => {
    if (helpers === 0 || broken || count < MIN_TEAM_ADAM) {
      kernels.adam(w, m, v, g, outW, outM, outV, count, ...scalars);
      return;
    }
    const size = chunkElements(count, threads);
    runJob(Kind.adam, Math.ceil(count / size), size, false, [w, m, v, g, outW, outM, outV, count], scalars);
  };

  const gemms = new Map<GemmBuild, GemmFn>();
  const gemm = (build: GemmBuild): GemmFn => {
    let built = gemms.get(build);
    if (!built) gemms.set(build, (built = teamGemm(build)));
    return built;
  };

  return { memory, get threads() { return broken ? 1 : threads; }, gemm, adam, helperChunks: () => Atomics.load(control, HELPER_CHUNKS), stop };
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

/** Chunks the current team's helpers have computed so far (0 without one): the benchmark reports it per row. */
export function wasmTeamHelperChunks(): number {
  return current?.helperChunks() ?? 0;
}
