import * as tf from '@tensorflow/tfjs';
import type { ProbeBatch } from '../data/batches';
import type { ImageSplit } from '../data/types';
import { attentionMap, fspMatrix } from '../losses/features';
import type { HeatmapPair, ProbeSnapshot } from '../protocol';
import type { ProbePlan, RunPhase } from './plan';
import { outputList } from './step';

/**
 * What the live panels show, computed on the fixed probe batch: raw logits (the page applies any
 * temperature), attention maps per (guide, guided) pair and probe image, and FSP matrices averaged
 * over the probes with their per-image distance. Everything leaves as plain arrays so it clones cheaply into a message.
 */

export interface ProbeModels {
  teacher: tf.LayersModel;
  teacherTaps: readonly string[];
  student: tf.LayersModel;
  studentTaps: readonly string[];
}

/** The probe images' bytes as [probe][H*W*C] in [0, 255], for thumbnails. */
export function probeImages(split: ImageSplit, indices: readonly number[], imageShape: [number, number, number]): number[][] {
  const size = imageShape[0] * imageShape[1] * imageShape[2];
  return indices.map((index) => Array.from(split.images.subarray(index * size, (index + 1) * size)));
}

/** Tap layers the probe plan needs, for checking the plan before training starts. */
export function probeTapProblems(plan: ProbePlan, teacherTaps: readonly string[], studentTaps: readonly string[]): string[] {
  const problems: string[] = [];
  const check = (taps: readonly string[], layerId: string, side: string, probe: string): void => {
    if (!taps.includes(layerId)) problems.push(`Probe '${probe}' shows ${side} layer '${layerId}', which is not tapped.`);
  };
  for (const probe of plan.attention) {
    check(teacherTaps, probe.teacherLayerId, 'teacher', probe.label);
    check(studentTaps, probe.studentLayerId, 'student', probe.label);
  }
  for (const probe of plan.fsp) {
    probe.teacherLayerIds.forEach((id) => check(teacherTaps, id, 'teacher', probe.label));
    probe.studentLayerIds.forEach((id) => check(studentTaps, id, 'student', probe.label));
  }
  return problems;
}

function tap(outputs: tf.Tensor[], taps: readonly string[], layerId: string): tf.Tensor {
  const index = taps.indexOf(layerId);
  if (index < 0) throw new Error(`Probe layer '${layerId}' is not tapped (taps: ${taps.join(', ') || 'none'}).`);
  return outputs[index + 1];
}

/** [B, H, W] attention maps, upsampled (bilinear, align corners, as the loss does) to `size`. */
function attentionAt(feature: tf.Tensor, size: [number, number], p: number): tf.Tensor3D {
  const [batch, height, width] = feature.shape;
  const maps = tf.reshape(attentionMap(feature, p), [batch, height, width, 1]) as tf.Tensor4D;
  if (height === size[0] && width === size[1]) return tf.squeeze(maps, [3]);
  // Renormalise after resizing so both sides stay unit-norm per sample.
  const resized = tf.image.resizeBilinear(maps, size, true);
  const flat = tf.reshape(resized, [batch, size[0] * size[1]]);
  const norms = tf.maximum(tf.norm(flat, 'euclidean', 1, true), 1e-12);
  return tf.reshape(tf.div(flat, norms), [batch, size[0], size[1]]);
}

function toMatrix(values: Float32Array | Int32Array | Uint8Array, offset: number, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from(values.subarray(offset + r * cols, offset + (r + 1) * cols)));
}

function meanSquaredDifference(a: number[][], b: number[][]): number {
  let sum = 0;
  let count = 0;
  a.forEach((row, r) => row.forEach((value, c) => {
    const difference = value - b[r][c];
    sum += difference * difference;
    count += 1;
  }));
  return count > 0 ? sum / count : Number.NaN;
}

interface PendingHeatmaps {
  id: string;
  label: string;
  teacher: tf.Tensor;
  student: tf.Tensor;
}

/**
 * One snapshot on the probe batch. Both networks run in inference mode; every tensor is disposed
 * before returning. The FSP heatmaps are the matrices averaged over the probes, their distance the
 * FSP loss (paper form) on the probes; attention maps use the AT block's p and are unit-norm per
 * image, their distance the mean squared difference of the two maps.
 */
export async function captureProbeSnapshot(
  models: ProbeModels,
  plan: ProbePlan,
  batch: ProbeBatch,
  images: number[][],
  imageShape: [number, number, number],
  phase: RunPhase,
  step: number,
): Promise<ProbeSnapshot> {
  const pending: { logits: [tf.Tensor, tf.Tensor]; attention: PendingHeatmaps[]; fsp: (PendingHeatmaps & { distance: tf.Tensor })[] } = tf.tidy(() => {
    const teacherOutputs = outputList(models.teacher.predict(batch.xs, { batchSize: batch.xs.shape[0] }));
    const studentOutputs = outputList(models.student.predict(batch.xs, { batchSize: batch.xs.shape[0] }));
    const attention = plan.attention.map((probe) => {
      const teacherFeature = tap(teacherOutputs, models.teacherTaps, probe.teacherLayerId);
      const studentFeature = tap(studentOutputs, models.studentTaps, probe.studentLayerId);
      const size: [number, number] = [
        Math.max(teacherFeature.shape[1] ?? 1, studentFeature.shape[1] ?? 1),
        Math.max(teacherFeature.shape[2] ?? 1, studentFeature.shape[2] ?? 1),
      ];
      return {
        id: probe.id, label: probe.label, teacher: attentionAt(teacherFeature, size, probe.p), student: attentionAt(studentFeature, size, probe.p),
      };
    });
    const fsp = plan.fsp.map((probe) => {
      const matrices = (outputs: tf.Tensor[], taps: readonly string[], ids: [string, string]): tf.Tensor3D =>
        fspMatrix(tap(outputs, taps, ids[0]), tap(outputs, taps, ids[1]));
      const teacher = matrices(teacherOutputs, models.teacherTaps, probe.teacherLayerIds);
      const student = matrices(studentOutputs, models.studentTaps, probe.studentLayerIds);
      const comparable = teacher.shape[1] === student.shape[1] && teacher.shape[2] === student.shape[2];
      return {
        id: probe.id,
        label: probe.label,
        teacher: tf.mean(teacher, 0),
        student: tf.mean(student, 0),
        // The paper's FSP loss on the probes: squared Frobenius distance per image, averaged.
        distance: comparable ? tf.mean(tf.sum(tf.square(tf.sub(teacher, student)), [1, 2])) : tf.scalar(Number.NaN),
      };
    });
    return { logits: [teacherOutputs[0], studentOutputs[0]] as [tf.Tensor, tf.Tensor], attention, fsp };
  });
  const all = [
    ...pending.logits,
    ...pending.attention.flatMap((p) => [p.teacher, p.student]),
    ...pending.fsp.flatMap((p) => [p.teacher, p.student, p.distance]),
  ];
  try {
    const values = await Promise.all(all.map((tensor) => tensor.data<'float32'>()));
    const [teacherLogits, studentLogits] = values;
    const classes = pending.logits[0].shape[1] ?? 0;
    const probes = batch.labels.length;
    let next = 2;
    const attention: HeatmapPair[] = [];
    for (const pair of pending.attention) {
      const [, rows, cols] = pair.teacher.shape;
      const teacherMaps = values[next++];
      const studentMaps = values[next++];
      for (let probe = 0; probe < probes; probe++) {
        const teacher = toMatrix(teacherMaps, probe * rows * cols, rows, cols);
        const student = toMatrix(studentMaps, probe * rows * cols, rows, cols);
        attention.push({ id: `${pair.id}:${probe}`, label: pair.label, rows, cols, teacher, student, distance: meanSquaredDifference(teacher, student) });
      }
    }
    const fsp: HeatmapPair[] = pending.fsp.map((pair) => {
      const [rows, cols] = pair.teacher.shape;
      const [studentRows, studentCols] = pair.student.shape;
      const teacher = toMatrix(values[next++], 0, rows, cols);
      const student = toMatrix(values[next++], 0, studentRows, studentCols);
      const [distance] = values[next++];
      return { id: pair.id, label: pair.label, rows, cols, teacher, student, distance };
    });
    return {
      type: 'probe',
      phase,
      step,
      teacherLogits: toMatrix(teacherLogits, 0, probes, classes),
      studentLogits: toMatrix(studentLogits, 0, probes, classes),
      labels: [...batch.labels],
      images,
      imageShape,
      attention,
      fsp,
    };
  } finally {
    tf.dispose(all);
  }
}
