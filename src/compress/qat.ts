import * as tf from '@tensorflow/tfjs';
import type { LoadedDataset } from '../data/types';
import type { QuantizationSettings } from '../graph/schema';
import type { ArchitectureSpec } from '../models/spec';
import type { ActivationQuant } from './fakeQuant';
import { calibrate, evaluateInt8Accuracy, int8ModelBytes } from './ptq';
import { quantizedForward } from './quantForward';
import { RangeObserver } from './rangeObserver';
import { splitToTensors } from '../data/batches';
import { yieldToEventLoop } from '../train/control';

/**
 * Quantisation-aware training for the trainer's stages: once a stage sets `quantization`, each
 * network the phase trains runs the fake-quantised forward (weights per channel every step,
 * activations with EMA ranges, STE gradients) in that stage and every later one. The ranges start
 * from a min/max calibration on real training images when QAT begins.
 */

export const DEFAULT_QUANTIZATION: QuantizationSettings = { emaMomentum: 0.99, calibrationImages: 500 };

/** The quantisation settings in force at stage `index`: the latest stage up to it that set them (QAT or PTQ). */
export function quantizationAt(stages: readonly { quantization?: QuantizationSettings }[], index: number): QuantizationSettings | undefined {
  for (let i = index; i >= 0; i--) if (stages[i].quantization) return stages[i].quantization;
  return undefined;
}

interface QuantizedModel { model: tf.LayersModel; spec: ArchitectureSpec; taps: readonly string[] }

/** The INT8 facts of a QAT-trained network, for its results. */
export interface Int8Outcome { testAccuracy: number; bytes: number; params: Map<string, ActivationQuant> }

/**
 * Post-training quantisation of a network trained in float: activation ranges calibrated on the
 * settings' `calibrationImages` training images, then INT8 test accuracy and size.
 */
export async function ptqOutcome(network: QuantizedModel, settings: QuantizationSettings, data: LoadedDataset, shouldStop?: () => boolean): Promise<Int8Outcome> {
  const params = await calibrate(network.model, network.spec, data.train, data.info, settings.calibrationImages);
  const testAccuracy = await evaluateInt8Accuracy(network.model, network.spec, params, data.test, data.info, { shouldStop });
  return { testAccuracy, bytes: int8ModelBytes(network.spec, network.model), params };
}

export class QatSession {
  private readonly observers = new Map<string, RangeObserver>();

  /** Starts QAT for a network (calibrating its ranges) unless it already runs it. */
  async begin(id: string, network: QuantizedModel, settings: QuantizationSettings, data: LoadedDataset): Promise<void> {
    if (this.observers.has(id)) return;
    const observer = new RangeObserver();
    this.observers.set(id, observer);
    const count = Math.min(settings.calibrationImages, data.train.count);
    for (let start = 0; start < count; start += 100) {
      const batch = splitToTensors(data.train, data.info, start, Math.min(100, count - start));
      tf.tidy(() => {
        quantizedForward(network.model, network.spec, batch.xs, { quantizeWeights: false, activations: { kind: 'observe', observer }, training: false });
      });
      tf.dispose([batch.xs, batch.ys]);
      await yieldToEventLoop();
    }
  }

  active(id: string): boolean {
    return this.observers.has(id);
  }

  /** The fake-quantised training forward of a network that began QAT. */
  forward(id: string, network: QuantizedModel, settings: QuantizationSettings): (xs: tf.Tensor, training: boolean) => tf.Tensor[] {
    const observer = this.observers.get(id);
    if (!observer) throw new Error(`QAT has not begun for '${id}'.`);
    return (xs, training) => quantizedForward(network.model, network.spec, xs, {
      quantizeWeights: true, activations: { kind: 'ema', observer, momentum: settings.emaMomentum }, training, taps: network.taps,
    });
  }

  /** INT8 test accuracy with the ranges frozen as they are, and the INT8 size. */
  async outcome(id: string, network: QuantizedModel, data: LoadedDataset, shouldStop?: () => boolean): Promise<Int8Outcome> {
    const observer = this.observers.get(id);
    if (!observer) throw new Error(`QAT has not begun for '${id}'.`);
    const params = await observer.freeze();
    const testAccuracy = await evaluateInt8Accuracy(network.model, network.spec, params, data.test, data.info, { shouldStop });
    return { testAccuracy, bytes: int8ModelBytes(network.spec, network.model), params };
  }

  dispose(): void {
    for (const observer of this.observers.values()) observer.dispose();
    this.observers.clear();
  }
}
