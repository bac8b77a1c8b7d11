import { ACTIVATION_FUNCTIONS, PAD_FILLS, type ArchitectureSpec, type LayerSpec, type Padding } from '../models/spec';
import { lossRegistry } from '../losses/registry';
import type {
  DatasetParams, EnsembleParams, ImportedTeacher, ExportParams, GuidedParams, GuideParams, HeadParams, LearningRateSchedule, LossParamsNode, ModelParams,
  NodeKind, NodeParamsByKind, QuantizationSettings, TeacherTraining, TrainerParams, TrainerSettings, WeightSchedule,
} from './schema';
import { MODEL_ROLES, QUANTIZATION_METHODS } from './schema';
import type { BatchSampler } from '../data/types';
import { readPruning } from '../compress/readPruning';
import {
  adapterKinds, batchSamplerKinds, datasetBlock, exportBlock, samplesPerClassField, teacherAugmentShiftField, trainerSettingFields, weightDecayField, type FieldDef,
} from './nodeKinds';
import {
  at, fail, readArray, readBoolean, readChoice, readNumber, readObject, readRecord, readString,
} from './read';

/**
 * Structural checks of every node kind's params, building fresh objects in a fixed key order
 * (so serialisation is stable). Meaning (shapes, layer ids) is validateGraph's job.
 */

function readField(field: FieldDef, value: unknown, path: string): unknown {
  switch (field.kind) {
    case 'number':
      if (field.nullable && value === null) return null;
      return readNumber(value, path, { min: field.min, max: field.max, integer: field.integer });
    case 'choice': return readChoice(value, path, field.choices);
    case 'boolean': return readBoolean(value, path);
    case 'text':
      if (field.nullable && value === null) return null;
      return readString(value, path);
  }
}

function readFields(record: Record<string, unknown>, fields: readonly FieldDef[], path: string): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field.key, readField(field, record[field.key], at(path, field.key))]));
}

const positiveInt = { min: 1, integer: true } as const;

function readLrSchedule(value: unknown, path: string): LearningRateSchedule {
  const kind = readChoice(readObject(value, path, ['kind'], ['everyEpochs', 'factor']).kind, at(path, 'kind'), ['constant', 'step', 'cosine']);
  if (kind === 'step') {
    const record = readObject(value, path, ['kind', 'everyEpochs', 'factor']);
    return {
      kind,
      everyEpochs: readNumber(record.everyEpochs, at(path, 'everyEpochs'), positiveInt),
      factor: readNumber(record.factor, at(path, 'factor'), { min: 0, max: 1 }),
    };
  }
  readObject(value, path, ['kind']);
  return { kind };
}

export function readWeightSchedule(value: unknown, path: string): WeightSchedule {
  const kinds = ['constant', 'stepToZero', 'linearDecay', 'cosineDecay', 'linearWarmup'] as const;
  const kind = readChoice(readObject(value, path, ['kind'], ['atEpoch', 'epochs']).kind, at(path, 'kind'), kinds);
  if (kind === 'stepToZero') {
    const record = readObject(value, path, ['kind', 'atEpoch']);
    return { kind, atEpoch: readNumber(record.atEpoch, at(path, 'atEpoch'), { min: 0, integer: true }) };
  }
  if (kind === 'linearWarmup') {
    const record = readObject(value, path, ['kind', 'epochs']);
    return { kind, epochs: readNumber(record.epochs, at(path, 'epochs'), { min: 1, integer: true }) };
  }
  readObject(value, path, ['kind']);
  return { kind };
}

const settingKeys = ['optimizer', 'learningRate', 'momentum', 'lrSchedule', 'epochs', 'batchSize', 'seed'] as const;

function readSettingsFrom(record: Record<string, unknown>, path: string): TrainerSettings {
  const scalars = readFields(record, trainerSettingFields, path) as Omit<TrainerSettings, 'lrSchedule'>;
  const { min, max } = weightDecayField;
  const weightDecay = record.weightDecay === undefined ? {} : { weightDecay: readNumber(record.weightDecay, at(path, 'weightDecay'), { min, max }) };
  return {
    optimizer: scalars.optimizer,
    learningRate: scalars.learningRate,
    momentum: scalars.momentum,
    ...weightDecay,
    lrSchedule: readLrSchedule(record.lrSchedule, at(path, 'lrSchedule')),
    epochs: scalars.epochs,
    batchSize: scalars.batchSize,
    seed: scalars.seed,
  };
}

export function readTrainerSettings(value: unknown, path: string): TrainerSettings {
  return readSettingsFrom(readObject(value, path, settingKeys, ['weightDecay']), path);
}

/** The optional overrides stay absent when absent, so older files load and save exactly as they were. */
function readTeacherTraining(value: unknown, path: string): TeacherTraining {
  const record = readObject(value, path, settingKeys, ['weightDecay', 'augmentShift', 'trainSubset', 'sampler']);
  const training: TeacherTraining = readSettingsFrom(record, path);
  if (record.augmentShift !== undefined) {
    const { min, max } = teacherAugmentShiftField;
    training.augmentShift = readNumber(record.augmentShift, at(path, 'augmentShift'), { min, max, integer: true });
  }
  if (record.trainSubset !== undefined) {
    training.trainSubset = record.trainSubset === null ? null : readNumber(record.trainSubset, at(path, 'trainSubset'), { min: 1, integer: true });
  }
  if (record.sampler !== undefined) training.sampler = readSampler(record.sampler, at(path, 'sampler'));
  return training;
}

function readPadding(value: unknown, path: string): Padding {
  return readChoice(value, path, ['same', 'valid']);
}

const LAYER_KINDS = ['dense', 'conv2d', 'depthwiseConv2d', 'maxPool', 'avgPool', 'globalAvgPool', 'flatten', 'relu', 'activation', 'batchNorm', 'dropout', 'pad', 'add', 'concat'] as const;

/** The keys each kind may hold besides kind and id (`from` on every single-input kind). */
const LAYER_KEYS: Record<LayerSpec['kind'], string[]> = {
  dense: ['units'],
  conv2d: ['filters', 'kernelSize', 'strides', 'padding', 'useBias'],
  depthwiseConv2d: ['kernelSize', 'strides', 'padding', 'useBias'],
  maxPool: ['poolSize', 'strides', 'padding'],
  avgPool: ['poolSize', 'strides', 'padding'],
  globalAvgPool: [],
  flatten: [],
  relu: [],
  activation: ['fn'],
  batchNorm: ['epsilon', 'momentum'],
  dropout: ['rate'],
  pad: ['pads', 'fill'],
  add: ['inputs'],
  concat: ['inputs'],
};

/** Optional keys stay absent when absent, so older files load and save exactly as they were. */
function readLayer(value: unknown, path: string): LayerSpec {
  const head = readObject(value, path, ['kind', 'id'], ['from', ...new Set(Object.values(LAYER_KEYS).flat())]);
  const kind = readChoice(head.kind, at(path, 'kind'), LAYER_KINDS);
  const optional = kind === 'add' || kind === 'concat' ? [] : ['from', ...['useBias'].filter((key) => LAYER_KEYS[kind].includes(key))];
  const required = ['kind', 'id', ...LAYER_KEYS[kind].filter((key) => !optional.includes(key))];
  const record = readObject(value, path, required, optional);
  const id = readString(record.id, at(path, 'id'), true);
  const num = (key: string, integer = false): number => readNumber(record[key], at(path, key), integer ? positiveInt : {});
  const padding = (): Padding => readPadding(record.padding, at(path, 'padding'));
  const wiring = record.from === undefined ? {} : { from: readString(record.from, at(path, 'from'), true) };
  const bias = record.useBias === undefined ? {} : { useBias: readBoolean(record.useBias, at(path, 'useBias')) };
  switch (kind) {
    case 'dense': return { kind, id, units: num('units', true), ...wiring };
    case 'conv2d':
      return { kind, id, filters: num('filters', true), kernelSize: num('kernelSize', true), strides: num('strides', true), padding: padding(), ...bias, ...wiring };
    case 'depthwiseConv2d':
      return { kind, id, kernelSize: num('kernelSize', true), strides: num('strides', true), padding: padding(), ...bias, ...wiring };
    case 'maxPool':
    case 'avgPool':
      return { kind, id, poolSize: num('poolSize', true), strides: num('strides', true), padding: padding(), ...wiring };
    case 'batchNorm': return { kind, id, epsilon: num('epsilon'), momentum: num('momentum'), ...wiring };
    case 'dropout': return { kind, id, rate: num('rate'), ...wiring };
    case 'pad': {
      const pads = readArray(record.pads, at(path, 'pads'));
      if (pads.length !== 4) fail(at(path, 'pads'), { code: 'padsLength', count: pads.length });
      const sides = pads.map((p, i) => readNumber(p, at(at(path, 'pads'), i), { min: 0, integer: true })) as [number, number, number, number];
      return { kind, id, pads: sides, fill: readChoice(record.fill, at(path, 'fill'), PAD_FILLS), ...wiring };
    }
    case 'activation': return { kind, id, fn: readChoice(record.fn, at(path, 'fn'), ACTIVATION_FUNCTIONS), ...wiring };
    case 'add':
    case 'concat':
      return { kind, id, inputs: readArray(record.inputs, at(path, 'inputs')).map((input, i) => readString(input, at(at(path, 'inputs'), i), true)) };
    case 'flatten':
    case 'relu':
    case 'globalAvgPool':
      return { kind, id, ...wiring };
  }
}

export function readArchitecture(value: unknown, path: string): ArchitectureSpec {
  const record = readObject(value, path, ['name', 'inputShape', 'layers']);
  const shape = readArray(record.inputShape, at(path, 'inputShape'));
  if (shape.length !== 3) fail(at(path, 'inputShape'), { code: 'inputShapeLength', count: shape.length });
  const inputShape = shape.map((d, i) => readNumber(d, at(at(path, 'inputShape'), i), positiveInt)) as [number, number, number];
  return {
    name: readString(record.name, at(path, 'name')),
    inputShape,
    layers: readArray(record.layers, at(path, 'layers')).map((layer, i) => readLayer(layer, at(at(path, 'layers'), i))),
  };
}

function readSampler(value: unknown, path: string): BatchSampler {
  const kind = readChoice(readObject(value, path, ['kind'], ['samplesPerClass']).kind, at(path, 'kind'), batchSamplerKinds);
  if (kind === 'classUniform') {
    const record = readObject(value, path, ['kind', 'samplesPerClass']);
    const { min, max } = samplesPerClassField;
    return { kind, samplesPerClass: readNumber(record.samplesPerClass, at(path, 'samplesPerClass'), { min, max, integer: true }) };
  }
  readObject(value, path, ['kind']);
  return { kind };
}

function readDataset(value: unknown, path: string): DatasetParams {
  const record = readObject(value, path, datasetBlock.fields.map((field) => field.key), ['sampler', 'augmentFlip']);
  const params = readFields(record, datasetBlock.fields, path) as unknown as DatasetParams;
  // Optional so files from before the options load (and save) exactly as they were.
  if (record.augmentFlip !== undefined) params.augmentFlip = readBoolean(record.augmentFlip, at(path, 'augmentFlip'));
  if (record.sampler === undefined) return params;
  return { ...params, sampler: readSampler(record.sampler, at(path, 'sampler')) };
}

function readModel(value: unknown, path: string): ModelParams {
  const record = readObject(value, path, ['role', 'architecture'], ['teacherTraining', 'imported']);
  const role = readChoice(record.role, at(path, 'role'), MODEL_ROLES);
  const architecture = readArchitecture(record.architecture, at(path, 'architecture'));
  const imported = record.imported === undefined ? {} : { imported: readImportedTeacher(record.imported, at(path, 'imported')) };
  if (record.teacherTraining === undefined) return { role, architecture, ...imported };
  return { role, architecture, teacherTraining: readTeacherTraining(record.teacherTraining, at(path, 'teacherTraining')), ...imported };
}

function readImportedTeacher(value: unknown, path: string): ImportedTeacher {
  const keys = ['format', 'fileName', 'sha256', 'weightsKey', 'opset', 'producer', 'maxAbsDiff', 'parityImages'] as const;
  const record = readObject(value, path, [...keys], []);
  return {
    format: readChoice(record.format, at(path, 'format'), ['onnx'] as const),
    fileName: readString(record.fileName, at(path, 'fileName')),
    sha256: readString(record.sha256, at(path, 'sha256')),
    weightsKey: readString(record.weightsKey, at(path, 'weightsKey')),
    opset: readNumber(record.opset, at(path, 'opset'), { min: 1, integer: true }),
    producer: readString(record.producer, at(path, 'producer')),
    maxAbsDiff: readNumber(record.maxAbsDiff, at(path, 'maxAbsDiff'), { min: 0 }),
    parityImages: readNumber(record.parityImages, at(path, 'parityImages'), { min: 0, integer: true }),
  };
}

function readGuide(value: unknown, path: string): GuideParams {
  return { layerId: readString(readObject(value, path, ['layerId']).layerId, at(path, 'layerId')) };
}

function readGuided(value: unknown, path: string): GuidedParams {
  const record = readObject(value, path, ['layerId', 'adapter']);
  return { layerId: readString(record.layerId, at(path, 'layerId')), adapter: readChoice(record.adapter, at(path, 'adapter'), adapterKinds) };
}

function readHead(value: unknown, path: string): HeadParams {
  readObject(value, path, []);
  return {};
}

function readEnsemble(value: unknown, path: string): EnsembleParams {
  readObject(value, path, []);
  return {};
}

function readLoss(value: unknown, path: string): LossParamsNode {
  const record = readObject(value, path, ['lossId', 'weight', 'params']);
  const known = lossRegistry.map((loss) => loss.id);
  const lossId = readChoice(record.lossId, at(path, 'lossId'), known);
  const loss = lossRegistry.find((entry) => entry.id === lossId);
  const paramsPath = at(path, 'params');
  const raw = readObject(record.params, paramsPath, loss?.params.map((param) => param.key) ?? []);
  const params = Object.fromEntries((loss?.params ?? []).map((param) => [
    param.key,
    readNumber(raw[param.key], at(paramsPath, param.key), { min: param.min, max: param.max, integer: param.choices !== undefined || param.integer === true }),
  ]));
  return { lossId, weight: readNumber(record.weight, at(path, 'weight'), { min: 0 }), params };
}

function readTrainer(value: unknown, path: string): TrainerParams {
  const record = readObject(value, path, ['stageName', ...settingKeys, 'weightSchedules', 'trainUpTo'], ['weightDecay', 'pruning', 'quantization']);
  const schedulesPath = at(path, 'weightSchedules');
  const schedules = readRecord(record.weightSchedules, schedulesPath);
  return {
    stageName: readString(record.stageName, at(path, 'stageName')),
    ...readSettingsFrom(record, path),
    weightSchedules: Object.fromEntries(Object.entries(schedules)
      .map(([nodeId, schedule]) => [nodeId, readWeightSchedule(schedule, at(schedulesPath, nodeId))])),
    trainUpTo: record.trainUpTo === null ? null : readString(record.trainUpTo, at(path, 'trainUpTo'), true),
    ...(record.pruning === undefined ? {} : { pruning: readPruning(record.pruning, at(path, 'pruning')) }),
    ...(record.quantization === undefined ? {} : { quantization: readQuantization(record.quantization, at(path, 'quantization')) }),
  };
}

/** QAT settings of a stage (absent in files from before the option = FP32). */
function readQuantization(value: unknown, path: string): QuantizationSettings {
  const record = readObject(value, path, ['emaMomentum', 'calibrationImages'], ['method']);
  return {
    ...(record.method === undefined ? {} : { method: readChoice(record.method, at(path, 'method'), QUANTIZATION_METHODS) }),
    emaMomentum: readNumber(record.emaMomentum, at(path, 'emaMomentum'), { min: 0, max: 0.9999 }),
    calibrationImages: readNumber(record.calibrationImages, at(path, 'calibrationImages'), { min: 1, max: 60000, integer: true }),
  };
}

function readExport(value: unknown, path: string): ExportParams {
  const record = readObject(value, path, exportBlock.fields.map((field) => field.key));
  return readFields(record, exportBlock.fields, path) as unknown as ExportParams;
}

export const paramReaders: { [K in NodeKind]: (value: unknown, path: string) => NodeParamsByKind[K] } = {
  dataset: readDataset,
  model: readModel,
  guide: readGuide,
  guided: readGuided,
  head: readHead,
  ensemble: readEnsemble,
  loss: readLoss,
  trainer: readTrainer,
  export: readExport,
};
