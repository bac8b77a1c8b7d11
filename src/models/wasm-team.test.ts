import v8 from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeWasmHelperPort } from '../../scripts/lib/nodeWasmHelpers';
import { ADAM_BUILDS, type AdamFn } from './wasm-adam';
import { GEMM_BUILDS, type GemmFn } from './wasm-gemm';
import { bandRows, LARGE_TEAM_WORK, MIN_TEAM_ADAM, MIN_TEAM_ROWS, MIN_TEAM_WORK, rangeElements, startWasmTeam, type GemmFlavour, type WasmHelperPort, type WasmTeam } from './wasm-team';
import { compileFor } from './wasmModule';

// Node 20's V8 has relaxed SIMD behind a flag (process-wide, so the helper threads have it too).
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

const PAGES = 512; // 32 MiB

/** A shared memory like the threaded tfjs build's, with the single-thread kernels over it. */
function sharedHeap() {
  const memory = new WebAssembly.Memory({ initial: PAGES, maximum: PAGES, shared: true });
  const modules = { gemmFma: compileFor(GEMM_BUILDS.fma, memory), gemmMuladd: compileFor(GEMM_BUILDS.muladd, memory), adam: compileFor(ADAM_BUILDS, memory) };
  const exportsOf = (module: WebAssembly.Module) => new WebAssembly.Instance(module, { env: { memory } }).exports;
  const single = (flavour: GemmFlavour) => exportsOf(flavour === 'fma' ? modules.gemmFma : modules.gemmMuladd).gemm as GemmFn;
  const singleAdam = () => exportsOf(modules.adam).adam as AdamFn;
  return { memory, modules, single, singleAdam, floats: new Float32Array(memory.buffer) };
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
  { m: 64, n: 800, k: 784 }, // a dense layer's forward product at batch 64
  { m: 784, n: 800, k: 64, transposedA: true }, // its weight gradient x^T dy
  { m: 37, n: 129, k: 601 }, // bands that are not multiples of the 4-row tile, odd columns
  { m: 33, n: 2048, k: 40 }, // uneven bands: 20 + 13 rows on two threads, 12 + 12 + 9 on three
  { m: 64, n: 10, k: 800 }, // the logits' product: below MIN_TEAM_WORK, stays on one thread
  { m: 16, n: 640, k: 640 }, // fewer than MIN_TEAM_ROWS rows: stays on one thread
];

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

  it('splits rows into bands of whole 4-row tiles', () => {
    expect(bandRows(64, 2)).toBe(32);
    expect(bandRows(37, 2)).toBe(20);
    expect(bandRows(9, 3)).toBe(4);
    expect(bandRows(784, 3)).toBe(264);
    expect(rangeElements(640_003, 2)).toBe(320_004);
  });

  it.each([[0], [0.01]])('shares Adam updates in element ranges with the single-thread module\'s result to the bit (weight decay %f)', async (weightDecay) => {
    const heap = sharedHeap();
    team = await startWasmTeam(heap.memory, heap.modules, [nodeWasmHelperPort()]);
    const count = 640_003; // an 800 x 800 layer and an odd tail
    expect(count).toBeGreaterThanOrEqual(MIN_TEAM_ADAM);
    const [w, m, v, g] = [0, 1, 2, 3].map((i) => i * (3 << 20)); // 2.56 MB each
    for (const [i, at] of [w, m, v, g].entries()) fill(heap.floats, at, count, 11 * i + 1);
    for (let i = 0; i < count; i++) heap.floats[v / 4 + i] = Math.abs(heap.floats[v / 4 + i]); // second moments are not negative
    const scalars = [1e-3, 0.9, 1 - 0.9, 0.999, 1 - 0.999, 1e-7, 1 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3), weightDecay] as const;
    const outputs = (base: number) => [base, base + (3 << 20), base + (6 << 20)] as const;
    const [teamOut, singleOut] = [outputs(12 << 20), outputs(21 << 20)];
    heap.singleAdam()(w, m, v, g, ...singleOut, count, ...scalars);
    // The helper may have fallen asleep while the memory was filled: an Adam update waits for no wake-up.
    for (let call = 0; call < 5000 && team.sharedJobs() === 0; call++) team.adam(w, m, v, g, ...teamOut, count, ...scalars);
    expect(team.sharedJobs()).toBeGreaterThan(0);
    for (const [i, at] of teamOut.entries()) {
      const got = heap.floats.slice(at / 4, at / 4 + count);
      expect(got.some(Number.isNaN)).toBe(false);
      expect(Buffer.from(got.buffer).equals(Buffer.from(heap.floats.slice(singleOut[i] / 4, singleOut[i] / 4 + count).buffer))).toBe(true);
    }
  });

  it.each([[1, 'fma'], [1, 'muladd'], [2, 'fma']] as const)('with %i helper(s) gives the single-thread %s GEMM\'s result to the bit', async (helpers, flavour) => {
    const heap = sharedHeap();
    // largeWork 0: every product from MIN_TEAM_WORK up waits for the helpers, asleep or not.
    team = await startWasmTeam(heap.memory, heap.modules, Array.from({ length: helpers }, nodeWasmHelperPort), { largeWork: 0 });
    expect(team.threads).toBe(helpers + 1);
    const teamGemm = team.gemm(flavour);
    const single = heap.single(flavour);
    for (const { m, n, k, transposedA = false } of cases) {
      const [a, b, cTeam, cSingle] = [0, 4 << 20, 8 << 20, 12 << 20];
      fill(heap.floats, a, m * k, 1);
      fill(heap.floats, b, k * n, 7);
      heap.floats.fill(Number.NaN, cTeam / 4, cTeam / 4 + m * n); // every element must be written
      const [rowStride, kStride] = transposedA ? [1, m] : [k, 1];
      teamGemm(a, b, cTeam, m, n, k, rowStride, kStride);
      single(a, b, cSingle, m, n, k, rowStride, kStride);
      const teamOut = heap.floats.slice(cTeam / 4, cTeam / 4 + m * n);
      const singleOut = heap.floats.slice(cSingle / 4, cSingle / 4 + m * n);
      expect(teamOut.some(Number.isNaN), `${m}x${n}x${k}`).toBe(false);
      expect(Array.from(teamOut), `${m}x${n}x${k}`).toEqual(Array.from(singleOut));
      // And the products themselves, in float64, at a few entries.
      for (const [i, j] of [[0, 0], [m - 1, n - 1], [m >> 1, n >> 1]]) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += heap.floats[a / 4 + i * rowStride + p * kStride] * heap.floats[b / 4 + p * n + j];
        expect(teamOut[i * n + j]).toBeCloseTo(sum, 3);
      }
    }
    expect(team.sharedJobs()).toBe(cases.filter(({ m, n, k }) => m >= MIN_TEAM_ROWS && m * n * k >= MIN_TEAM_WORK).length);
    expect(team.sharedJobs()).toBe(cases.length - 2);
  });

  it('computes alone while its helper sleeps, nudges it awake, then shares products again', async () => {
    const heap = sharedHeap();
    team = await startWasmTeam(heap.memory, heap.modules, [nodeWasmHelperPort()]);
    const [m, n, k] = [64, 256, 256]; // 4M multiply-adds: shared only with a helper that is awake
    expect(m * n * k).toBeGreaterThanOrEqual(MIN_TEAM_WORK);
    expect(m * n * k).toBeLessThan(LARGE_TEAM_WORK);
    fill(heap.floats, 0, m * k, 3);
    fill(heap.floats, 1 << 20, k * n, 5);
    const single = heap.single('muladd');
    single(0, 1 << 20, 3 << 20, m, n, k, k, 1);
    const expected = Array.from(heap.floats.subarray((3 << 20) / 4, (3 << 20) / 4 + m * n));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the helper has stopped spinning and sleeps
    const gemm = team.gemm('muladd');
    gemm(0, 1 << 20, 2 << 20, m, n, k, k, 1);
    expect(team.sharedJobs()).toBe(0);
    expect(Array.from(heap.floats.subarray((2 << 20) / 4, (2 << 20) / 4 + m * n))).toEqual(expected);
    // Nudged by that call, the helper wakes: products soon go to the team again.
    for (let call = 0; call < 5000 && team.sharedJobs() === 0; call++) gemm(0, 1 << 20, 2 << 20, m, n, k, k, 1);
    expect(team.sharedJobs()).toBeGreaterThan(0);
    expect(Array.from(heap.floats.subarray((2 << 20) / 4, (2 << 20) / 4 + m * n))).toEqual(expected);
  });

  it('throws instead of hanging when a helper\'s band traps, and keeps working afterwards', async () => {
    const heap = sharedHeap();
    team = await startWasmTeam(heap.memory, heap.modules, [nodeWasmHelperPort()], { largeWork: 0 });
    const gemm = team.gemm('muladd');
    const [m, n, k] = [64, 512, 64];
    // C placed so the caller's first band fits in memory and the helper's second band does not.
    const c = PAGES * 65536 - 4 * n * (bandRows(m, 2) + 1);
    expect(() => gemm(0, 1 << 20, c, m, n, k, k, 1)).toThrow(/helper thread failed/);
    expect(() => gemm(0, 1 << 20, 2 << 20, m, n, k, k, 1)).not.toThrow();
  });

  it('reports a helper that cannot start, and stops the others', async () => {
    const heap = sharedHeap();
    const terminated: number[] = [];
    const failing = (slot: number): WasmHelperPort => ({
      start: async () => ({ type: 'wasmHelperFailed', slot, message: 'no relaxed SIMD here' }),
      terminate: () => terminated.push(slot),
    });
    const working = nodeWasmHelperPort();
    await expect(startWasmTeam(heap.memory, heap.modules, [{ ...working, terminate: () => { terminated.push(0); working.terminate(); } }, failing(1)]))
      .rejects.toThrow(/could not start: no relaxed SIMD here/);
    expect(terminated.sort()).toEqual([0, 1]);
  });
});
