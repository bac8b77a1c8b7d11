/**
 * `npx tsx scripts/profile-step.ts [model] [--backend wasm|cpu] [--steps N] [--shapes] [--fused-adam on|off]`: where one training
 * step's time goes on a Node backend. Every registered kernel of the backend is wrapped with a
 * timer (kernels run synchronously on cpu and wasm, so wall time is kernel time); the table lists
 * kernels (by input shapes too with --shapes) by total milliseconds per step, and "outside kernels" is the rest of the step (tape,
 * engine bookkeeping, batch preparation, the layers API). --fused-adam off times Adam's tfjs ops on
 * wasm instead of its fused kernel.
 */
import { loadDataset } from '../src/data/loader';
import { architecturePresets } from '../src/models/presets';
import { DEFAULT_WARMUP_STEPS, measureThroughput } from '../src/train/benchmark';
import { setWasmAdamMode } from '../src/models/wasm-adam';
import { selectNodeBackend, type NodeBackend } from './experiment';
import { nodeAssetReader } from './lib/node-assets';
import { formatKernelProfile, kernelProfile, timeKernels } from '../src/train/kernelTimer';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (flag: string, fallback: string): string => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : fallback;
  };
  const modelId = args.find((arg, i) => !arg.startsWith('--') && (i === 0 || !args[i - 1].startsWith('--'))) ?? 'hinton-student';
  const backend = option('--backend', 'wasm') as NodeBackend;
  const steps = Number(option('--steps', '20'));
  const spec = architecturePresets[modelId];
  if (!spec) throw new Error(`Unknown model '${modelId}'.`);
  const fusedAdam = option('--fused-adam', 'on');
  if (fusedAdam !== 'on' && fusedAdam !== 'off') throw new Error(`--fused-adam takes on or off, got '${fusedAdam}'.`);
  setWasmAdamMode(fusedAdam);
  await selectNodeBackend(backend);
  const data = await loadDataset({ datasetId: 'mnist', trainSubset: 2048, validationSize: 0, testSubset: 1, augmentShift: 0 }, nodeAssetReader());
  const plain = await measureThroughput(spec, data, { batchSize: 64, steps, now: () => performance.now() });
  const timer = timeKernels(backend, args.includes('--shapes'));
  const timed = await measureThroughput(spec, data, { batchSize: 64, steps, now: () => performance.now() });
  timer.restore();
  console.log(`${modelId} on ${backend}, batch 64: ${plain.msPerStep.toFixed(1)} ms/step unwrapped, ${timed.msPerStep.toFixed(1)} ms/step wrapped`);
  // measureThroughput's warm-up steps are tallied too.
  console.log(formatKernelProfile(kernelProfile(timer.tallies, steps + DEFAULT_WARMUP_STEPS, timed.msPerStep)));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
