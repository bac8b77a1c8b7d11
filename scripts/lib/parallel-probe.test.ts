import { describe, expect, it } from 'vitest';
import { formatParallelProbe, probeTorchParallelism, probeWasmParallelism } from './parallel-probe';
import { pytorchUnavailable } from './pytorch-bench';

const torchMissing = pytorchUnavailable();

describe('parallel arithmetic probe', () => {
  it('runs the studio GEMM on one thread and on two at once, each in its own worker, and reports GFLOP/s', async () => {
    const probe = await probeWasmParallelism(2);
    expect(probe.label).toMatch(/^the studio's wasm GEMM \((fma|fma6|muladd)\)$/);
    // Real products ran: finite, positive rates from every thread (no threshold on speed).
    for (const rate of [probe.alone, ...probe.together]) {
      expect(Number.isFinite(rate)).toBe(true);
      expect(rate).toBeGreaterThan(0);
    }
    expect(probe.together).toHaveLength(2);
    const line = formatParallelProbe(probe);
    expect(line).toContain(`1 thread alone ${probe.alone.toFixed(1)} GFLOP/s`);
    expect(line).toContain(`2 at once ${probe.together.map((rate) => rate.toFixed(1)).join(' + ')} GFLOP/s`);
    expect(line).toContain(`= ${((probe.together[0] + probe.together[1]) / probe.alone).toFixed(2)}x one`);
  }, 30_000);

  it.skipIf(torchMissing !== null)('runs PyTorch with one thread alone and in two processes at once', async () => {
    const probe = await probeTorchParallelism(2);
    expect(probe.together).toHaveLength(2);
    for (const rate of [probe.alone, ...probe.together]) expect(rate).toBeGreaterThan(0);
  }, 60_000);
});
