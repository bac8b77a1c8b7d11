import * as tf from '@tensorflow/tfjs';

/**
 * Where a training step's time goes, kernel by kernel: every registered kernel of a backend is
 * wrapped with a timer. Kernels of cpu and wasm run synchronously, so wall time is kernel time;
 * "outside kernels" is the rest of the step (tape, engine bookkeeping, batch preparation, the
 * layers API). Used by scripts/profile-step.ts in Node and by the browser benchmark (bench.html
 * with profile=1, `npm run bench -- --profile`).
 */

export interface KernelTally { calls: number; ms: number }

/** Wraps every kernel of `backend` with a timer; returns the tallies and a function that unwraps. */
export function timeKernels(backend: string, withShapes: boolean): { tallies: Map<string, KernelTally>; restore(): void } {
  const tallies = new Map<string, KernelTally>();
  const originals = tf.getKernelsForBackend(backend);
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backend);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const started = performance.now();
        const result = config.kernelFunc(args);
        const shapes = withShapes ? ' ' + Object.values(args.inputs).filter((input) => input != null).map((input) => `[${(input as tf.TensorInfo).shape.join('x')}]`).join('') : '';
        const key = config.kernelName + shapes;
        const tally = tallies.get(key) ?? { calls: 0, ms: 0 };
        tally.calls += 1;
        tally.ms += performance.now() - started;
        tallies.set(key, tally);
        return result;
      },
    });
  }
  return {
    tallies,
    restore() {
      for (const config of originals) {
        tf.unregisterKernel(config.kernelName, backend);
        tf.registerKernel(config);
      }
    },
  };
}

export interface KernelProfileRow {
  kernel: string;
  callsPerStep: number;
  msPerStep: number;
}

export interface KernelProfile {
  kernels: KernelProfileRow[];
  kernelMsPerStep: number;
  outsideMsPerStep: number;
}

/** Per-step figures of tallies taken over `stepsTallied` steps (the timed ones and the warm-up, all tallied). */
export function kernelProfile(tallies: ReadonlyMap<string, KernelTally>, stepsTallied: number, msPerStep: number): KernelProfile {
  const perStep = (value: number): number => value / stepsTallied;
  const kernels = [...tallies.entries()]
    .map(([kernel, tally]) => ({ kernel, callsPerStep: perStep(tally.calls), msPerStep: perStep(tally.ms) }))
    .sort((a, b) => b.msPerStep - a.msPerStep);
  const kernelMsPerStep = kernels.reduce((sum, row) => sum + row.msPerStep, 0);
  return { kernels, kernelMsPerStep, outsideMsPerStep: msPerStep - kernelMsPerStep };
}

/** The profile as a text table, slowest kernel first. */
export function formatKernelProfile(profile: KernelProfile): string {
  return [
    'kernel'.padEnd(48) + 'calls/step'.padStart(11) + 'ms/step'.padStart(10),
    ...profile.kernels.map((row) => row.kernel.padEnd(48) + row.callsPerStep.toFixed(1).padStart(11) + row.msPerStep.toFixed(2).padStart(10)),
    'all kernels'.padEnd(59) + profile.kernelMsPerStep.toFixed(2).padStart(10),
    'outside kernels'.padEnd(59) + profile.outsideMsPerStep.toFixed(2).padStart(10),
  ].join('\n');
}
