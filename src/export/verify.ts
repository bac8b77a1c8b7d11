import type { VerificationReport } from '../protocol';

/**
 * Parity of an exported model with the tfjs student: the largest absolute logit difference and
 * the fraction of images whose predicted class agrees. The same check runs in the browser worker
 * (onnxruntime-web), in the headless runner and in the tests (onnxruntime-node).
 */

/** In the browser a mismatch beyond this is an error, not a silent download. */
export const VERIFY_TOLERANCE = 1e-4;

/** One ONNX Runtime input: float32 data in NCHW and its dims. */
export interface OnnxInput { data: Float32Array; dims: number[] }

/**
 * Runs an ONNX model on each input and returns its 'logits' output for each. Injected: onnxruntime-node
 * in Node, onnxruntime-web in the browser worker, so src/ does not pick a runtime.
 */
export type OnnxRunner = (model: Uint8Array, inputs: OnnxInput[]) => Promise<Float32Array[]>;

export function argmaxRows(values: ArrayLike<number>, classes: number): number[] {
  const rows = values.length / classes;
  const result: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (values[r * classes + c] > values[r * classes + best]) best = c;
    result.push(best);
  }
  return result;
}

/**
 * Compares logits batch by batch ([rows * classes] each). `samples` counts images (rows).
 * Throws when the two sides disagree in shape: that is a bug, not a tolerance question.
 */
export function compareLogits(
  expected: readonly Float32Array[], actual: readonly Float32Array[], classes: number, tolerance = VERIFY_TOLERANCE,
): VerificationReport {
  if (expected.length !== actual.length) {
    throw new Error(`Expected logits for ${expected.length} inputs but the model returned ${actual.length}.`);
  }
  let maxAbsDiff = 0;
  let samples = 0;
  let agreeing = 0;
  expected.forEach((want, i) => {
    const got = actual[i];
    if (want.length !== got.length || want.length % classes !== 0) {
      throw new Error(`Input ${i}: expected ${want.length} logits, the model returned ${got.length} (classes: ${classes}).`);
    }
    for (let j = 0; j < want.length; j++) {
      const diff = Math.abs(want[j] - got[j]);
      // NaN anywhere must fail the check, so it is kept rather than lost in Math.max.
      maxAbsDiff = Number.isNaN(diff) || Number.isNaN(maxAbsDiff) ? Number.NaN : Math.max(maxAbsDiff, diff);
    }
    const wantClasses = argmaxRows(want, classes);
    const gotClasses = argmaxRows(got, classes);
    samples += wantClasses.length;
    agreeing += wantClasses.filter((cls, r) => cls === gotClasses[r]).length;
  });
  const classAgreement = samples === 0 ? 0 : agreeing / samples;
  return {
    samples,
    maxAbsDiff,
    classAgreement,
    ok: samples > 0 && maxAbsDiff <= tolerance && classAgreement === 1,
    tolerance,
  };
}

/** The slice of the onnxruntime API (node and web share it) the runner needs; the module is injected. */
export interface OrtModule {
  InferenceSession: {
    create(model: Uint8Array, options?: { executionProviders?: string[]; graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all' }): Promise<OrtSession>;
  };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
}

interface OrtSession {
  readonly inputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
  release(): Promise<void>;
}

/** An OnnxRunner over an onnxruntime module: one session, every input run in turn, then released. */
export function createOrtRunner(ort: OrtModule, executionProviders?: string[]): OnnxRunner {
  return async (model, inputs) => {
    const session = await ort.InferenceSession.create(model, executionProviders ? { executionProviders } : undefined);
    try {
      const results: Float32Array[] = [];
      for (const input of inputs) {
        const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', input.data, input.dims) };
        const outputs = await session.run(feeds);
        const logits = outputs.logits?.data;
        if (!(logits instanceof Float32Array)) throw new Error("The ONNX model has no float32 output named 'logits'.");
        results.push(Float32Array.from(logits));
      }
      return results;
    } finally {
      await session.release();
    }
  };
}
