import v8 from 'node:v8';
import { nodeGemmHelperPort } from './lib/nodeGemmHelpers';
import { GEMM_FMA_SHARED_WASM, GEMM_FMA_WASM, GEMM_MULADD_SHARED_WASM, GEMM_MULADD_WASM } from '../src/models/wasm-gemm-bytes';
import { startGemmTeam } from '../src/models/wasm-gemm-team';
import { compileFor } from '../src/models/wasmModule';
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
const memory = new WebAssembly.Memory({ initial: 512, maximum: 512, shared: true });
const modules = { fma: compileFor({ plain: GEMM_FMA_WASM, shared: GEMM_FMA_SHARED_WASM }, memory), muladd: compileFor({ plain: GEMM_MULADD_WASM, shared: GEMM_MULADD_SHARED_WASM }, memory) };
const single = new WebAssembly.Instance(modules.fma, { env: { memory } }).exports.gemm as any;
const team = await startGemmTeam(memory, modules, [nodeGemmHelperPort()]);
const tg = team.gemm('fma');
const f = new Float32Array(memory.buffer); for (let i = 0; i < f.length; i++) f[i] = (i % 97) / 97 - 0.5;
const [m, n, k, rs, ks] = [64, 800, 800, 800, 1];
const times = { single: [] as number[], team: [] as number[] };
for (let round = 0; round < 40; round++) for (const [name, g] of [['single', single], ['team', tg]] as const) {
  const reps = 20; const t0 = performance.now();
  for (let r = 0; r < reps; r++) g(0, 8 << 20, 16 << 20, m, n, k, rs, ks);
  times[name].push((performance.now() - t0) / reps);
}
for (const [name, list] of Object.entries(times)) { list.sort((a, b) => a - b); console.log(name, 'min', list[0].toFixed(3), 'median', list[20].toFixed(3), 'max', list[39].toFixed(3)); }
team.stop();
process.exit(0);
