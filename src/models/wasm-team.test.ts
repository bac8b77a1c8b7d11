import v8 from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeWasmHelperPort } from '../../scripts/lib/nodeWasmHelpers';
import { ADAM_BUILDS, type AdamFn } from './wasm-adam';
import { GEMM_BUILDS, type GemmBuild, type GemmFn, type GemmWithScratchFn } from './wasm-gemm';
import { byColumns, chunkColumns, chunkElements, chunkRows, MIN_CHUNK_COLUMNS, MIN_CHUNK_ROWS, MIN_TEAM_ADAM, MIN_TEAM_WORK, startWasmTeam, type WasmHelperPort, type WasmTeam } from './wasm-team';
import { compileFor } from './wasmModule';

// Node 20's V8 has relaxed SIMD behind a flag (process-wide, so the helper threads have it too).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const PAGES = 512; // 32 MiB

/** A shared memory like the threaded tfjs build's, with the single-thread kernels over it. */
function sharedHeap() {
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES, shared: true });
  const modules = {
    gemmFma: compileFor(GEMM_BUILDS.fma, memory), gemmFma6: compileFor(GEMM_BUILDS.fma6, memory),
    gemmMuladd: compileFor(GEMM_BUILDS.muladd, memory), adam: compileFor(ADAM_BUILDS, memory),
  };
  const moduleOf: Record<GemmBuild, WebAssembly.Module> = { fma: modules.gemmFma, fma6: modules.gemmFma6, muladd: modules.gemmMuladd };
  const exportsOf = (module: WebAssembly.Module) => new WebAssembly.Instance(module, { env: { memory } }).exports;
  // Scratch for a team of up to 3 threads, past every test's operands (the trapping test's C ends the memory).
  const scratch = 30 << 20;
  const single = (build: GemmBuild): GemmFn => {
    const gemm = exportsOf(moduleOf[build]).gemm as GemmWithScratchFn;
    return (...args) => gemm(...args, scratch);
  };
  const singleAdam = () => exportsOf(modules.adam).adam as AdamFn;
  return { memory, modules, scratch, single, singleAdam, floats: new Float32Array(memory.buffer) };
}

let team: WasmTeam | null = null;
afterEach(() => {
  team?.stop();
  team = null;
});

/** Fills `count` floats from byte offset `at` with a reproducible pattern in [-1, 1). */
function fill(floats: Float32Array, at: number, count: number, salt: number): void {
  for (let i = 0; i < count; i++) floats[at / 4 + i] = ((((i + salt) * 2654435761) % 1000) / 500) - 1;
}

type Case = { m: number; n: number; k: number; transposedA?: boolean };
const cases: Case[] = [
  { m: 64, n: 800, k: 784 }, // a dense layer's forward product at batch 64: 15 chunks of 56 columns, the last 16
  { m: 784, n: 800, k: 64, transposedA: true }, // its weight gradient x^T dy: the same column chunks
  { m: 784, n: 200, k: 64, transposedA: true }, // a narrower one: 14 chunks of 60 rows, the last 4
  { m: 200, n: 37, k: 700 }, // row chunks of 24, the last 8 rows; 37 columns: 8 + 8 + 8 + 8 + 4 + a 1-column tail
  { m: 37, n: 229, k: 601 }, // column chunks of 32, the last 5 columns (a 4-column tile and a 1-column tail)
  { m: 33, n: 4096, k: 40 }, // column chunks of 256
  { m: 64, n: 10, k: 800 }, // the logits' product: below MIN_TEAM_WORK, on one thread
  { m: 16, n: 640, k: 640 }, // 16 rows: 16 column chunks of 40
];

/** The single-thread result and the team's, of every case (the team's tried until its helpers took part). */
async function compareWithOneThread(team: WasmTeam, heap: ReturnType<typeof sharedHeap>, build: GemmBuild): Promise<void> {
  const teamGemm = team.gemm(build);
  const single = heap.single(build);
  for (const { m, n, k, transposedA = false } of cases) {
    const [a, b, cTeam, cSingle] = [0, 4 << 20, 8 << 20, 12 << 20];
    fill(heap.floats, a, m * k, 1);
    fill(heap.floats, b, k * n, 7);
    const [rowStride, kStride] = transposedA ? [1, m] : [k, 1];
    single(a, b, cSingle, m, n, k, rowStride, kStride);
    const singleOut = Array.from(heap.floats.subarray(cSingle / 4, cSingle / 4 + m * n));
    // A helper asleep after the filling joins a few products later; each product must be whole either way.
    for (let call = 0; call < 50; call++) {
      heap.floats.fill(Number.NaN, cTeam / 4, cTeam / 4 + m * n); // every element must be written
      const before = team.helperChunks();
      teamGemm(a, b, cTeam, m, n, k, rowStride, kStride);
      expect(Array.from(heap.floats.subarray(cTeam / 4, cTeam / 4 + m * n)), `${m}x${n}x${k}`).toEqual(singleOut);
      if (team.helperChunks() > before) break;
    }
    // And the products themselves, in float64, at a few entries.
    for (const [i, j] of [[0, 0], [m - 1, n - 1], [m >> 1, n >> 1]]) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += heap.floats[a / 4 + i * rowStride + p * kStride] * heap.floats[b / 4 + p * n + j];
      expect(heap.floats[cTeam / 4 + i * n + j]).toBeCloseTo(sum, 3);
    }
  }
}

describe('wasm team (helper threads over a shared memory)', () => {
  it('assembles builds that import a shared memory and refuse a plain one, and the reverse', () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const plain = new WebAssembly.Memory({ initial: 1 });
    const sharedModule = compileFor(GEMM_BUILDS.muladd, shared);
    const plainModule = compileFor(GEMM_BUILDS.muladd, plain);
    expect(() => new WebAssembly.Instance(sharedModule, { env: { memory: shared } })).not.toThrow();
    expect(() => new WebAssembly.Instance(plainModule, { env: { memory: plain } })).not.toThrow();
    expect(() => new WebAssembly.Instance(sharedModule, { env: { memory: plain } })).toThrow();
    expect(() => new WebAssembly.Instance(plainModule, { env: { memory: shared } })).toThrow();
  });

  it('cuts jobs into chunks of whole 4-row or 8-column tiles (GEMM) and 4-element steps (Adam), about eight (GEMM) and four (Adam) per thread', () => {
    expect(byColumns(64, 10, 2)).toBe(true); // too few rows
    expect(byColumns(784, 800, 2)).toBe(true); // wide
    expect(byColumns(784, 255, 2)).toBe(false);
    expect(byColumns(784, 256, 2)).toBe(true);
    expect(chunkColumns(800, 2)).toBe(56);
    expect(chunkColumns(40, 2)).toBe(MIN_CHUNK_COLUMNS);
    expect(chunkRows(64, 2)).toBe(MIN_CHUNK_ROWS);
    expect(chunkRows(784, 2)).toBe(60);
    expect(chunkRows(800, 3)).toBe(36);
    expect(chunkElements(640_003, 2)).toBe(80_004);
    expect(chunkElements(70_000, 2)).toBe(1 << 14);
  });

  it('computes a band of C\'s columns as a GEMM of its own (gemmLd), writing only that band, also through its last n % 4 columns', () => {
    const heap = sharedHeap();
    const gemmLd = new WebAssembly.Instance(heap.modules.gemmFma, { env: { memory: heap.memory } }).exports.gemmLd as (...args: number[]) => void;
    // k = 300 takes two k blocks, so the tail tile adds to C too; widths 11, 13 and 14 end in a tail
    // tile storing 3, 1 and 2 lanes, width 2 in the scalar loop. 13 rows pack B's 8-column panels
    // into the scratch (two strips or more read each), 5 rows read them in place.
    const [n, k, first] = [40, 300, 8];
    const [a, b, full, band] = [0, 1 << 20, 2 << 20, 3 << 20];
    for (const m of [5, 13]) {
      fill(heap.floats, a, m * k, 2);
      fill(heap.floats, b, k * n, 4);
      heap.single('fma')(a, b, full, m, n, k, k, 1);
      for (const width of [16, 11, 13, 14, 2]) {
        heap.floats.fill(7, band / 4, band / 4 + m * n);
        gemmLd(a, b + 4 * first, band + 4 * first, m, width, k, k, 1, n, heap.scratch);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const got = heap.floats[band / 4 + i * n + j];
            if (j < first || j >= first + width) expect(got).toBe(7);
            // Tiles add in the same order whichever columns they cover; the scalar loop does not fuse.
            else if (width >= 4) expect(got).toBe(heap.floats[full / 4 + i * n + j]);
            else expect(got).toBeCloseTo(heap.floats[full / 4 + i * n + j], 4);
          }
        }
        gemmLd(a, b + 4 * first, band + 4 * first, m, width, 0, k, 1, n, heap.scratch);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expect(heap.floats[band / 4 + i * n + j]).toBe(j >= first && j < first + width ? 0 : 7);
      }
    }
  });

  it.each([[1, 'fma'], [1, 'fma6'], [1, 'muladd'], [2, 'fma'], [2, 'fma6']] as const)('with %i helper(s) gives the single-thread %s GEMM\'s result to the bit', async (helpers, build) => {
    const heap = sharedHeap();
    team = await startWasmTeam(heap.memory, heap.modules, Array.from({ length: helpers }, nodeWasmHelperPort), heap.scratch);
    expect(team.threads).toBe(helpers + 1);
    await compareWithOneThread(team, heap, build);
    expect(team.helperChunks()).toBeGreaterThan(0);
  });

  it.each([[0], [0.01]])('shares Adam updates in element ranges with the single-thread module\'s result to the bit, into new buffers and in place (weight decay %f)', async (weightDecay) => {
    const heap = sharedHeap();
    team = await startWasmTeam(heap.memory, heap.modules, [nodeWasmHelperPort()], heap.scratch);
    const count = 640_003; // an 800 x 800 layer and an odd tail
    expect(count).toBeGreaterThanOrEqual(MIN_TEAM_ADAM);
    const [w, m, v, g] = [0, 1, 2, 3].map((i) => i * (3 << 20)); // 2.56 MB each
    for (const [i, at] of [w, m, v, g].entries()) fill(heap.floats, at, count, 11 * i + 1);
    for (let i = 0; i < count; i++) heap.floats[v / 4 + i] = Math.abs(heap.floats[v / 4 + i]); // second moments are not negative
    const scalars = [1e-3, 0.9, 1 - 0.9, 0.999, 1 - 0.999, 1e-7, 1 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3), weightDecay] as const;
    const outputs = (base: number) => [base, base + (3 << 20), base + (6 << 20)] as const;
    const [teamOut, singleOut] = [outputs(12 << 20), outputs(21 << 20)];
    heap.singleAdam()(w, m, v, g, ...singleOut, count, ...scalars);
    for (let call = 0; call < 50 && team.helperChunks() === 0; call++) team.adam(w, m, v, g, ...teamOut, count, ...scalars);
    expect(team.helperChunks()).toBeGreaterThan(0);
    for (const [i, at] of teamOut.entries()) {
      const got = heap.floats.slice(at / 4, at / 4 + count);
      expect(got.some(Number.isNaN)).toBe(false);
      expect(Buffer.from(got.buffer).equals(Buffer.from(heap.floats.slice(singleOut[i] / 4, singleOut[i] / 4 + count).buffer))).toBe(true);
    }
    // In place (outputs = w, m, v, as the optimizer runs it): copies of the inputs, fresh before each
    // call, until a call the helper took part in.
    const inPlace = teamOut; // compared already: reused for the copies
    for (let call = 0, before = team.helperChunks(); call < 50 && team.helperChunks() === before; call++) {
      for (const [i, at] of inPlace.entries()) heap.floats.copyWithin(at / 4, [w, m, v][i] / 4, [w, m, v][i] / 4 + count);
      team.adam(...inPlace, g, ...inPlace, count, ...scalars);
    }
    for (const [i, at] of inPlace.entries()) {
      const got = heap.floats.slice(at / 4, at / 4 + count);
      expect(Buffer.from(got.buffer).equals(Buffer.from(heap.floats.slice(singleOut[i] / 4, singleOut[i] / 4 + count).buffer))).toBe(true);
    }
  });

  it('throws instead of hanging when a chunk traps, whichever thread computed it, and keeps working afterwards', async () => {
    const heap = sharedHeap();
    team = await startWasmTeam(heap.memory, heap.modules, [nodeWasmHelperPort()], heap.scratch);
    const gemm = team.gemm('muladd');
    const [m, n, k] = [64, 1024, 64]; // 4.2M multiply-adds in 16 column chunks: shared
    expect(m * n * k).toBeGreaterThanOrEqual(MIN_TEAM_WORK);
    // C placed so its last 8 rows lie past the end of memory: every column chunk traps.
    const c = PAGES * 65536 - 4 * n * (m - 8);
    // Until a helper has trapped too (it counts the chunks it took, trapped or not).
    for (let call = 0; call < 200 && team.helperChunks() === 0; call++) expect(() => gemm(0, 1 << 20, c, m, n, k, k, 1)).toThrow(/failed on one chunk/);
    expect(team.helperChunks()).toBeGreaterThan(0);
    expect(() => gemm(0, 1 << 20, 2 << 20, m, n, k, k, 1)).not.toThrow();
    expect(team.threads).toBe(2);
  });

  it('stops every helper when one fails to load', async () => {
    const heap = sharedHeap();
    let stopped = 0;
    const working = nodeWasmHelperPort();
    const unloadable: WasmHelperPort = { start: () => Promise.reject(new Error('script failed to load')), terminate: () => { stopped += 1; } };
    await expect(startWasmTeam(heap.memory, heap.modules, [{ ...working, terminate: () => { stopped += 1; working.terminate(); } }, unloadable], heap.scratch))
      .rejects.toThrow(/could not start: script failed to load/);
    expect(stopped).toBe(2);
  });

  it('reports a helper that cannot start, and stops the others', async () => {
    const heap = sharedHeap();
    const terminated: number[] = [];
    const failing = (slot: number): WasmHelperPort => ({
      start: async () => ({ type: 'wasmHelperFailed', slot, message: 'no relaxed SIMD here' }),
      terminate: () => terminated.push(slot),
    });
    const working = nodeWasmHelperPort();
    await expect(startWasmTeam(heap.memory, heap.modules, [{ ...working, terminate: () => { terminated.push(0); working.terminate(); } }, failing(1)], heap.scratch))
      .rejects.toThrow(/could not start: no relaxed SIMD here/);
    expect(terminated.sort()).toEqual([0, 1]);
  });
});
