import * as tf from '@tensorflow/tfjs';
import type { ProbeBatch } from '../data/batches';
import type { ImageSplit } from '../data/types';
import { attentionMap, fspMatrix } from '../losses/features';
import { pktConditionals, rkdDistanceMatrix, similarityMatrix } from '../losses/relations';
import type { HeatmapPair, ProbeLogits, ProbeSnapshot } from '../protocol';
import type { ModelPlan, PhaseKind, ProbePlan, RelationProbe } from './plan';
import { outputList } from './step';

/**
 * What the live panels show, computed on the fixed probe batch: raw logits (the page applies any
 * temperature), attention maps per (guide, guided) pair and probe image, and FSP matrices averaged
 * over the probes with their per-image distance. Everything leaves as plain arrays so it clones cheaply into a message.
 */

/** A network shown in the live views, with the identity the page labels it by. */
export interface ProbeNetwork {
  id: string;
  label: string;
  role: ProbeLogits['role'];
  model: tf.LayersModel;
  taps: readonly string[];
}

/** The probe images' bytes as [probe][H*W*C] in [0, 255], for thumbnails. */
export function probeImages(split: ImageSplit, indices: ArrayLike<number>, imageShape: [number, number, number]): number[][] {
  const size = imageShape[0] * imageShape[1] * imageShape[2];
  return Array.from(indices, (index) => Array.from(split.images.subarray(index * size, (index + 1) * size)));
}

/** Tap layers the probe plan needs, for checking the plan before training starts. */
export function probeTapProblems(plan: ProbePlan, models: readonly ModelPlan[]): string[] {
  const problems: string[] = [];
  const check = (model: string, layerId: string, probe: string): void => {
    const found = models.find((candidate) => candidate.id === model);
    if (found === undefined) problems.push(`Probe '${probe}' shows model '${model}', which the plan does not have.`);
    else if (!found.taps.includes(layerId)) problems.push(`Probe '${probe}' shows layer '${layerId}' of '${model}', which is not tapped.`);
  };
  for (const probe of plan.attention) {
    check(probe.teacher.model, probe.teacher.layerId, probe.label);
    check(probe.student.model, probe.student.layerId, probe.label);
  }
  for (const probe of plan.fsp) {
    probe.teacher.layerIds.forEach((id) => check(probe.teacher.model, id, probe.label));
    probe.student.layerIds.forEach((id) => check(probe.student.model, id, probe.label));
  }
  for (const probe of plan.relations) {
    check(probe.teacher.model, probe.teacher.layerId, probe.label);
    check(probe.student.model, probe.student.layerId, probe.label);
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

/** The B x B matrix the relational loss compares, on one network's feature. */
function relationMatrix(probe: RelationProbe, feature: tf.Tensor): tf.Tensor2D {
  switch (probe.kind) {
    case 'sp': return similarityMatrix(feature);
    case 'rkd': return rkdDistanceMatrix(feature);
    case 'pkt': return pktConditionals(feature, probe.excludeSelf);
  }
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
  teacherModel: string;
  studentModel: string;
  teacher: tf.Tensor;
  student: tf.Tensor;
}

/**
 * One snapshot on the probe batch. Every network runs in inference mode; every tensor is disposed
 * before returning. A probe is shown when both of its networks are among `networks` (a phase shows
 * the pairs it involves). The FSP heatmaps are the matrices averaged over the probes, their distance
 * the FSP loss (paper form) on the probes; attention maps use the AT block's p and are unit-norm
 * per image, their distance the mean squared difference of the two maps.
 */
export async function captureProbeSnapshot(
  networks: readonly ProbeNetwork[],
  plan: ProbePlan,
  batch: ProbeBatch,
  images: number[][],
  imageShape: [number, number, number],
  phase: { phaseId: string; kind: PhaseKind },
  step: number,
): Promise<ProbeSnapshot> {
  const byId = new Map(networks.map((network) => [network.id, network]));
  const attentionProbes = plan.attention.filter((probe) => byId.has(probe.teacher.model) && byId.has(probe.student.model));
  const fspProbes = plan.fsp.filter((probe) => byId.has(probe.teacher.model) && byId.has(probe.student.model));
  const relationProbes = plan.relations.filter((probe) => byId.has(probe.teacher.model) && byId.has(probe.student.model));
  const pending: {
    logits: tf.Tensor[]; attention: PendingHeatmaps[]; fsp: (PendingHeatmaps & { distance: tf.Tensor })[]; relations: PendingHeatmaps[];
  } = tf.tidy(() => {
    const outputs = new Map(networks.map((network) => [network.id, outputList(network.model.predict(batch.xs, { batchSize: batch.xs.shape[0] }))]));
    const feature = (model: string, layerId: string): tf.Tensor => tap(outputs.get(model) as tf.Tensor[], (byId.get(model) as ProbeNetwork).taps, layerId);
    const attention = attentionProbes.map((probe) => {
      const teacherFeature = feature(probe.teacher.model, probe.teacher.layerId);
      const studentFeature = feature(probe.student.model, probe.student.layerId);
      const size: [number, number] = [
        Math.max(teacherFeature.shape[1] ?? 1, studentFeature.shape[1] ?? 1),
        Math.max(teacherFeature.shape[2] ?? 1, studentFeature.shape[2] ?? 1),
      ];
      return {
        id: probe.id, label: probe.label, teacherModel: probe.teacher.model, studentModel: probe.student.model,
        teacher: attentionAt(teacherFeature, size, probe.p), student: attentionAt(studentFeature, size, probe.p),
      };
    });
    const fsp = fspProbes.map((probe) => {
      const matrices = (side: { model: string; layerIds: [string, string] }): tf.Tensor3D =>
        fspMatrix(feature(side.model, side.layerIds[0]), feature(side.model, side.layerIds[1]));
      const teacher = matrices(probe.teacher);
      const student = matrices(probe.student);
      const comparable = teacher.shape[1] === student.shape[1] && teacher.shape[2] === student.shape[2];
      return {
        id: probe.id,
        label: probe.label,
        teacherModel: probe.teacher.model,
        studentModel: probe.student.model,
        teacher: tf.mean(teacher, 0),
        student: tf.mean(student, 0),
        // The paper's FSP loss on the probes: squared Frobenius distance per image, averaged.
        distance: comparable ? tf.mean(tf.sum(tf.square(tf.sub(teacher, student)), [1, 2])) : tf.scalar(Number.NaN),
      };
    });
    const relations = relationProbes.map((probe) => ({
      id: probe.id, label: probe.label, teacherModel: probe.teacher.model, studentModel: probe.student.model,
      teacher: relationMatrix(probe, feature(probe.teacher.model, probe.teacher.layerId)),
      student: relationMatrix(probe, feature(probe.student.model, probe.student.layerId)),
    }));
    return { logits: networks.map((network) => (outputs.get(network.id) as tf.Tensor[])[0]), attention, fsp, relations };
  });
  const all = [
    ...pending.logits,
    ...pending.attention.flatMap((p) => [p.teacher, p.student]),
    ...pending.fsp.flatMap((p) => [p.teacher, p.student, p.distance]),
    ...pending.relations.flatMap((p) => [p.teacher, p.student]),
  ];
  try {
    const values = await Promise.all(all.map((tensor) => tensor.data<'float32'>()));
    const probes = batch.labels.length;
    const logits: ProbeLogits[] = networks.map((network, i) => ({
      modelId: network.id, label: network.label, role: network.role, values: toMatrix(values[i], 0, probes, pending.logits[i].shape[1] ?? 0),
    }));
    let next = networks.length;
    const attention: HeatmapPair[] = [];
    for (const pair of pending.attention) {
      const [, rows, cols] = pair.teacher.shape;
      const teacherMaps = values[next++];
      const studentMaps = values[next++];
      for (let probe = 0; probe < probes; probe++) {
        const teacher = toMatrix(teacherMaps, probe * rows * cols, rows, cols);
        const student = toMatrix(studentMaps, probe * rows * cols, rows, cols);
        attention.push({
          id: `${pair.id}:${probe}`, label: pair.label, teacherModel: pair.teacherModel, studentModel: pair.studentModel,
          rows, cols, teacher, student, distance: meanSquaredDifference(teacher, student),
        });
      }
    }
    const fsp: HeatmapPair[] = pending.fsp.map((pair) => {
      const [rows, cols] = pair.teacher.shape;
      const [studentRows, studentCols] = pair.student.shape;
      const teacher = toMatrix(values[next++], 0, rows, cols);
      const student = toMatrix(values[next++], 0, studentRows, studentCols);
      const [distance] = values[next++];
      return { id: pair.id, label: pair.label, teacherModel: pair.teacherModel, studentModel: pair.studentModel, rows, cols, teacher, student, distance };
    });
    const relations: HeatmapPair[] = pending.relations.map((pair) => {
      const [rows, cols] = pair.teacher.shape;
      const teacher = toMatrix(values[next++], 0, rows, cols);
      const student = toMatrix(values[next++], 0, rows, cols);
      return { id: pair.id, label: pair.label, teacherModel: pair.teacherModel, studentModel: pair.studentModel, rows, cols, teacher, student, distance: meanSquaredDifference(teacher, student) };
    });
    return { type: 'probe', ...phase, step, logits, labels: [...batch.labels], images, imageShape, attention, fsp, relations };
  } finally {
    tf.dispose(all);
  }
}
