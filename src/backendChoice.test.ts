import { describe, expect, it } from 'vitest';
import {
  decideBackend, deviceFingerprint, findProbeRecord, isSoftwareRenderer, planProbe, PROBE_VERSION,
  reasonFromStoredProbe, softwareAdapterName, webGlAdapterFacts, webGpuAdapterFacts, type BackendProbeRecord, type ProbeOutcome,
} from './backendChoice';

const swiftShaderGpu = webGpuAdapterFacts({ vendor: 'google', architecture: 'swiftshader', description: '' }, false);
const hardwareGpu = webGpuAdapterFacts({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060' }, false);
const swiftShaderGl = webGlAdapterFacts('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)');

describe('adapter facts', () => {
  it('recognises software renderers by name', () => {
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('Google SwiftShader')).toBe(true);
    expect(isSoftwareRenderer('Microsoft Basic Render Driver')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (Intel, Mesa Intel(R) UHD Graphics 620)')).toBe(false);
  });

  it('marks SwiftShader WebGPU, a fallback adapter and a SwiftShader WebGL renderer as software', () => {
    expect(swiftShaderGpu).toEqual({ description: 'google swiftshader', software: true });
    expect(webGpuAdapterFacts({ vendor: 'acme' }, true).software).toBe(true);
    expect(hardwareGpu.software).toBe(false);
    expect(swiftShaderGl.software).toBe(true);
    expect(webGpuAdapterFacts({}, false).description).toBe('unknown adapter');
  });

  it('names a software adapter briefly', () => {
    expect(softwareAdapterName(swiftShaderGl)).toBe('SwiftShader');
    expect(softwareAdapterName(swiftShaderGpu)).toBe('SwiftShader');
    expect(softwareAdapterName(webGlAdapterFacts('llvmpipe (LLVM 15.0.6, 256 bits)'))).toBe('llvmpipe');
    expect(softwareAdapterName(webGpuAdapterFacts({ vendor: 'acme' }, true))).toBe('a fallback adapter');
  });
});

describe('decideBackend', () => {
  it('says why a skipped software adapter was not measured', () => {
    const decision = decideBackend([
      { backend: 'wasm', status: 'measured', samplesPerSecond: 1400 },
      { backend: 'webgpu', status: 'skipped', reason: 'SwiftShader emulates a GPU on the CPU', adapter: swiftShaderGpu },
      { backend: 'cpu', status: 'skipped', reason: 'always slower than WebAssembly' },
    ]);
    expect(decision).toEqual({
      backend: 'wasm',
      reason: 'Auto: 1,400 samples/s; WebGPU (software adapter) skipped (SwiftShader emulates a GPU on the CPU); ' +
        'CPU skipped (always slower than WebAssembly)',
    });
  });

  it('picks WebAssembly over a software WebGPU it outran, and says both numbers', () => {
    const decision = decideBackend([
      { backend: 'wasm', status: 'measured', samplesPerSecond: 2000 },
      { backend: 'webgpu', status: 'measured', samplesPerSecond: 80, adapter: swiftShaderGpu },
    ]);
    expect(decision?.backend).toBe('wasm');
    expect(decision?.reason).toBe('Auto: 2,000 samples/s vs WebGPU (software adapter) 80 samples/s');
  });

  it('picks a hardware WebGPU that measured faster than WebAssembly', () => {
    const decision = decideBackend([
      { backend: 'wasm', status: 'measured', samplesPerSecond: 2000 },
      { backend: 'webgpu', status: 'measured', samplesPerSecond: 9000, adapter: hardwareGpu },
    ]);
    expect(decision?.backend).toBe('webgpu');
    expect(decision?.reason).toBe('Auto: 9,000 samples/s vs WebAssembly 2,000 samples/s');
  });

  it('skips a failing backend and names why', () => {
    const decision = decideBackend([
      { backend: 'wasm', status: 'failed', reason: 'WebAssembly failed to initialise (no SIMD)' },
      { backend: 'webgpu', status: 'measured', samplesPerSecond: 30.25, adapter: swiftShaderGpu },
      { backend: 'webgl', status: 'measured', samplesPerSecond: 250, adapter: swiftShaderGl },
      { backend: 'cpu', status: 'measured', samplesPerSecond: 70 },
    ]);
    expect(decision?.backend).toBe('webgl');
    expect(decision?.reason).toBe(
      'Auto: 250 samples/s (software adapter) vs WebGPU (software adapter) 30.3 samples/s, CPU 70 samples/s; ' +
        'WebAssembly failed (WebAssembly failed to initialise (no SIMD))',
    );
  });

  it('gives a tie to the earlier backend of WebGPU, WebGL, WebAssembly, CPU', () => {
    const outcomes: ProbeOutcome[] = [
      { backend: 'wasm', status: 'measured', samplesPerSecond: 500 },
      { backend: 'webgl', status: 'measured', samplesPerSecond: 500, adapter: hardwareGpu },
    ];
    expect(decideBackend(outcomes)?.backend).toBe('webgl');
  });

  it('ignores numbers that are not real measurements and returns null when nothing measured', () => {
    expect(decideBackend([
      { backend: 'webgpu', status: 'measured', samplesPerSecond: Number.NaN },
      { backend: 'wasm', status: 'measured', samplesPerSecond: 0 },
      { backend: 'cpu', status: 'failed', reason: 'no' },
    ])).toBeNull();
    expect(decideBackend([])).toBeNull();
  });
});

describe('planProbe', () => {
  it('measures CPU only when WebAssembly could not be measured', () => {
    const wasmMeasured: ProbeOutcome[] = [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1500 }];
    expect(planProbe('cpu', null, wasmMeasured)).toEqual({ measure: false, reason: 'always slower than WebAssembly', why: { code: 'slowerThanWasm' } });
    expect(planProbe('cpu', null, [{ backend: 'wasm', status: 'failed', reason: 'x' }])).toEqual({ measure: true, software: false });
  });

  it('skips a software GPU adapter once WebAssembly measured, names it, and measures it when WebAssembly failed', () => {
    const wasmMeasured: ProbeOutcome[] = [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1500 }];
    expect(planProbe('webgpu', swiftShaderGpu, wasmMeasured)).toEqual({
      measure: false, reason: 'SwiftShader emulates a GPU on the CPU', why: { code: 'softwareAdapter', adapter: 'SwiftShader' },
    });
    expect(planProbe('webgpu', swiftShaderGpu, [{ backend: 'wasm', status: 'failed', reason: 'x' }])).toEqual({ measure: true, software: true });
    expect(planProbe('webgl', hardwareGpu, wasmMeasured)).toEqual({ measure: true, software: false });
    expect(planProbe('webgpu', null, [])).toEqual({ measure: false, reason: 'no adapter', why: { code: 'noAdapter' } });
  });
});

describe('stored measurements', () => {
  const facts = { userAgent: 'Chromium 156', hardwareConcurrency: 2, webgpu: swiftShaderGpu, webgl: swiftShaderGl };
  const record: BackendProbeRecord = {
    version: PROBE_VERSION,
    fingerprint: deviceFingerprint(facts),
    measuredAt: '2026-12-05T10:00:00.000Z',
    outcomes: [{ backend: 'wasm', status: 'measured', samplesPerSecond: 1400 }],
  };

  it('are found by fingerprint and probe version only', () => {
    expect(findProbeRecord([record], deviceFingerprint(facts))).toBe(record);
    expect(findProbeRecord([record], deviceFingerprint({ ...facts, hardwareConcurrency: 8 }))).toBeNull();
    expect(findProbeRecord([record], deviceFingerprint({ ...facts, webgpu: hardwareGpu }))).toBeNull();
    expect(findProbeRecord([{ ...record, version: PROBE_VERSION - 1 }], record.fingerprint)).toBeNull();
  });

  it('say when and where they were measured', () => {
    const decision = decideBackend(record.outcomes)!;
    expect(reasonFromStoredProbe(decision, record)).toBe('Auto: 1,400 samples/s (measured 2026-12-05 on this device; Re-measure to repeat)');
  });
});
