import { describe, expect, it } from 'vitest';
import {
  decideBackend, englishBackendWords, measuredReason, planProbe, webGlAdapterFacts, type ProbeOutcome,
} from '../../src/backendChoice';
import { backendWordsZh } from './backendWords';

const swiftShader = webGlAdapterFacts('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)');
const slowerThanWasm = planProbe('cpu', null, [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1 }]);
const softwareSkip = planProbe('webgpu', swiftShader, [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1 }]);

/** Outcomes as the probe records them (skips from planProbe, so their `why` is the real one). */
function skipped(backend: ProbeOutcome['backend'], step: ReturnType<typeof planProbe>, adapter?: typeof swiftShader): ProbeOutcome {
  if (step.measure) throw new Error('expected a skip');
  return { backend, status: 'skipped', reason: step.reason, why: step.why, ...(adapter && { adapter }) };
}

const scenarios: ProbeOutcome[][] = [
  [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1400 }, skipped('webgpu', softwareSkip, swiftShader), skipped('cpu', slowerThanWasm)],
  [{ backend: 'wasm', status: 'measured', samplesPerSecond: 2000 }, { backend: 'webgpu', status: 'measured', samplesPerSecond: 80, adapter: swiftShader }],
  [
    { backend: 'wasm', status: 'failed', reason: 'no SIMD' },
    { backend: 'webgl', status: 'measured', samplesPerSecond: 250.4, adapter: swiftShader },
    { backend: 'webgpu', status: 'skipped', reason: 'first step took 9.5 s, stopped', why: { code: 'firstStepSlow', seconds: 9.5 }, adapter: swiftShader },
  ],
];

describe('the measured backend reason in Chinese', () => {
  it('keeps the English sentence the worker sends for the same numbers', () => {
    expect(decideBackend(scenarios[0])?.reason).toBe(
      'Auto: 1,400 samples/s; WebGPU (software adapter) skipped (SwiftShader emulates a GPU on the CPU); CPU skipped (always slower than WebAssembly)');
    expect(measuredReason({ outcomes: scenarios[1] }, englishBackendWords)).toBe(decideBackend(scenarios[1])?.reason);
  });

  it.each(scenarios.map((outcomes, index) => [index, outcomes] as const))('scenario %i: Chinese words, the same numbers and the same winner', (_, outcomes) => {
    const zh = measuredReason({ outcomes, storedAt: '2026-12-05T10:00:00Z' }, backendWordsZh) ?? '';
    const en = measuredReason({ outcomes, storedAt: '2026-12-05T10:00:00Z' }, englishBackendWords) ?? '';
    expect(decideBackend(outcomes, backendWordsZh)?.backend).toBe(decideBackend(outcomes)?.backend);
    expect(zh).toMatch(/^自动：/);
    expect(zh).toContain('2026-12-05 在此设备上测得');
    expect(zh).not.toMatch(/samples|skipped|software|emulates|slower|Re-measure|\bvs\b|first step/);
    const numbers = (text: string) => [...text.matchAll(/\d[\d,]*(?:\.\d+)?/g)].map((match) => match[0]);
    expect(numbers(zh)).toEqual(numbers(en));
  });

  it('says each reason for skipping in Chinese', () => {
    expect(backendWordsZh.skip({ code: 'softwareAdapter', adapter: 'SwiftShader' })).toBe('SwiftShader 在 CPU 上模拟 GPU');
    expect(backendWordsZh.skip({ code: 'firstStepSlow', seconds: 12.34 })).toBe('第一步用了 12.3 秒，已停止');
    expect(backendWordsZh.skip({ code: 'slowerThanWasm' })).toMatch(/慢/);
    expect(backendWordsZh.skip({ code: 'noAdapter' })).toMatch(/没有/);
  });
});
