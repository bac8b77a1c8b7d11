import { PRUNED_ONNX_FORMS, type PrunedOnnxForm } from './compress/types';
import { MODEL_ROLES, QUANTIZATION_METHODS, type QuantizationMethod } from './graph/schema';
import { RESULTS_VERSION, type DistillationReport, type EnsembleResult, type ExperimentResults, type ModelResult } from './results';

/**
 * Reads a results object from JSON (a file written by `npm run experiment -- --out`, the studio's
 * download, or storage): checks its shape and upgrades the first format, which knew exactly one
 * teacher, baseline and student, to the current one. Anything else is refused with the field named,
 * never half-read.
 */

export class ResultsFileError extends Error {
  override readonly name = 'ResultsFileError';
}

/** The first format's fixed networks, under the ids the preset graphs give them. */
export const V1_MODEL_IDS = { teacher: 'teacher', student: 'student', baseline: 'student/baseline' } as const;

type Json = Record<string, unknown>;
type Kind = 'string' | 'number' | 'boolean';

function fail(message: string): never {
  throw new ResultsFileError(`Not a readable results object: ${message}`);
}

function record(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${path} is ${kindOf(value)}, expected an object.`);
  return value as Json;
}

/** How an unexpected value reads in a message. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** The field's value when it has the kind asked for (or null / absent where allowed); otherwise throws naming it. */
function field<T>(object: Json, path: string, key: string, kind: Kind, allow: { nullable?: boolean; optional?: boolean } = {}): T {
  const value = object[key];
  if (typeof value === kind) return value as T;
  if (value === null && allow.nullable) return value as T;
  if (value === undefined && allow.optional) return value as T;
  const wanted = `${kind === 'number' ? 'a number' : kind === 'boolean' ? 'true or false' : 'a string'}${allow.nullable ? ' or null' : ''}`;
  return fail(`${join(path, key)} is ${kindOf(value)}, expected ${wanted}.`);
}

const MEASUREMENTS = ['testAccuracy', 'validationAccuracy', 'trainAccuracy', 'params', 'bytes', 'flops', 'epochs',
  'trainingSeconds', 'inferenceMsPerSample'] as const;

type Measurements = Omit<ModelResult, 'modelId' | 'label' | 'role' | 'baselineOf'>;

/** The fields both formats share; seeds were added late in the first format, hence the hint. */
function measurements(object: Json, path: string): Measurements {
  const result = Object.fromEntries(MEASUREMENTS.map((key) => [key, field<number>(object, path, key, 'number')])) as Record<(typeof MEASUREMENTS)[number], number>;
  if (object.seed === undefined) fail(`${join(path, 'seed')} is missing: results written before seeds were recorded cannot be paired; rerun them.`);
  const seed = field<number>(object, path, 'seed', 'number');
  const fromCache = field<boolean | undefined>(object, path, 'fromCache', 'boolean', { optional: true });
  const pretrained = field<boolean | undefined>(object, path, 'pretrained', 'boolean', { optional: true });
  // A pruned model's measurements (absent on every other result).
  const pruned = Object.fromEntries((['sparsity', 'nonzeroParams', 'sparseBytes', 'onnxBytes', 'prunedOnnxBytes'] as const)
    .flatMap((key) => { const value = field<number | undefined>(object, path, key, 'number', { optional: true }); return value === undefined ? [] : [[key, value]]; }));
  const prunedOnnxForm = field<string | undefined>(object, path, 'prunedOnnxForm', 'string', { optional: true });
  if (prunedOnnxForm !== undefined && !(PRUNED_ONNX_FORMS as readonly string[]).includes(prunedOnnxForm)) {
    fail(`${join(path, 'prunedOnnxForm')} is '${prunedOnnxForm}', expected 'slimmed' or 'sparse'.`);
  }
  const int8TestAccuracy = field<number | undefined>(object, path, 'int8TestAccuracy', 'number', { optional: true });
  const int8Bytes = field<number | undefined>(object, path, 'int8Bytes', 'number', { optional: true });
  const int8Method = field<string | undefined>(object, path, 'int8Method', 'string', { optional: true });
  if (int8Method !== undefined && !(QUANTIZATION_METHODS as readonly string[]).includes(int8Method)) {
    fail(`${join(path, 'int8Method')} is '${int8Method}', expected 'qat' or 'ptq'.`);
  }
  return {
    ...result, seed,
    ...(fromCache === undefined ? {} : { fromCache }),
    ...(pretrained === undefined ? {} : { pretrained }),
    ...pruned,
    ...(prunedOnnxForm === undefined ? {} : { prunedOnnxForm: prunedOnnxForm as PrunedOnnxForm }),
    ...(int8Method === undefined ? {} : { int8Method: int8Method as QuantizationMethod }),
    ...(int8TestAccuracy === undefined ? {} : { int8TestAccuracy }),
    ...(int8Bytes === undefined ? {} : { int8Bytes }),
  };
}

const ROLES: readonly string[] = [...MODEL_ROLES, 'baseline'];

function modelResult(value: unknown, path: string): ModelResult {
  const object = record(value, path);
  const modelId = field<string>(object, path, 'modelId', 'string');
  const label = field<string>(object, path, 'label', 'string');
  const role = field<string>(object, path, 'role', 'string');
  if (!ROLES.includes(role)) fail(`${join(path, 'role')} is '${role}', expected one of ${ROLES.join(', ')}.`);
  const baselineOf = field<string | undefined>(object, path, 'baselineOf', 'string', { optional: true });
  return {
    modelId, label, role: role as ModelResult['role'],
    ...(baselineOf === undefined ? {} : { baselineOf }),
    ...measurements(object, path),
  };
}

function distillationReport(value: unknown, path: string): DistillationReport {
  const object = record(value, path);
  const id = (key: string): string | null => field<string | null>(object, path, key, 'string', { nullable: true });
  const number = (key: string): number | null => field<number | null>(object, path, key, 'number', { nullable: true });
  return {
    studentId: field<string>(object, path, 'studentId', 'string'),
    teacherId: id('teacherId'),
    baselineId: id('baselineId'),
    compressionRatio: number('compressionRatio'),
    accuracyDrop: number('accuracyDrop'),
    distillationGain: number('distillationGain'),
  };
}

function ensembleResult(value: unknown, path: string): EnsembleResult {
  const object = record(value, path);
  const members = object.members;
  if (!Array.isArray(members)) fail(`${join(path, 'members')} is ${kindOf(members)}, expected a list of model ids.`);
  const notAnId = members.findIndex((id) => typeof id !== 'string');
  if (notAnId >= 0) fail(`${join(path, `members[${notAnId}]`)} is ${kindOf(members[notAnId])}, expected a model id.`);
  return {
    ensembleId: field<string>(object, path, 'ensembleId', 'string'),
    label: field<string>(object, path, 'label', 'string'),
    members: [...members] as string[],
    testAccuracy: field<number>(object, path, 'testAccuracy', 'number'),
    validationAccuracy: field<number>(object, path, 'validationAccuracy', 'number'),
    params: field<number>(object, path, 'params', 'number'),
  };
}

function list<T>(object: Json, key: string, read: (value: unknown, path: string) => T): T[] {
  const value = object[key];
  if (!Array.isArray(value)) return fail(`${key} is ${kindOf(value)}, expected a list.`);
  return value.map((item, index) => read(item, `${key}[${index}]`));
}

/** What every results object says about its run, in either format. */
function runFacts(object: Json): Pick<ExperimentResults, 'experimentName' | 'backend' | 'datasetId' | 'trainCount' | 'testCount' | 'finishedAt'> {
  return {
    experimentName: field<string>(object, '', 'experimentName', 'string'),
    backend: field<string>(object, '', 'backend', 'string'),
    datasetId: field<string>(object, '', 'datasetId', 'string'),
    trainCount: field<number>(object, '', 'trainCount', 'number'),
    testCount: field<number>(object, '', 'testCount', 'number'),
    finishedAt: field<string>(object, '', 'finishedAt', 'string'),
  };
}

function readCurrent(object: Json): ExperimentResults {
  const facts = runFacts(object);
  const models = list(object, 'models', modelResult);
  const seen = new Set<string>();
  for (const model of models) {
    if (seen.has(model.modelId)) fail(`models lists '${model.modelId}' twice.`);
    seen.add(model.modelId);
  }
  const results: ExperimentResults = { resultsVersion: RESULTS_VERSION, ...facts, models, distillations: list(object, 'distillations', distillationReport) };
  // Ensembles came later within version 2: files without them have none.
  return object.ensembles === undefined ? results : { ...results, ensembles: list(object, 'ensembles', ensembleResult) };
}

const V1_MODELS = [
  { key: 'teacher', modelId: V1_MODEL_IDS.teacher, label: 'Teacher', role: 'teacher' },
  { key: 'baseline', modelId: V1_MODEL_IDS.baseline, label: 'Baseline', role: 'baseline', baselineOf: V1_MODEL_IDS.student },
  { key: 'student', modelId: V1_MODEL_IDS.student, label: 'Student', role: 'student' },
] as const;

/**
 * The first format: `teacher`, `baseline` and `student` (each a result or null) and the three numbers
 * at the top level. The plan always had all three networks, so the report names all three ids even
 * when a run (`--only`) trained fewer; models lists only those with a result, in the order they ran.
 */
function upgradeV1(object: Json): ExperimentResults {
  const facts = runFacts(object);
  const models: ModelResult[] = [];
  for (const { key, ...identity } of V1_MODELS) {
    if (!(key in object)) fail(`${key} is missing, expected a result or null (first results format).`);
    if (object[key] === null) continue;
    models.push({ ...identity, ...measurements(record(object[key], key), key) });
  }
  const number = (key: string): number | null => {
    if (!(key in object)) fail(`${key} is missing, expected a number or null (first results format).`);
    return field<number | null>(object, '', key, 'number', { nullable: true });
  };
  const report: DistillationReport = {
    studentId: V1_MODEL_IDS.student, teacherId: V1_MODEL_IDS.teacher, baselineId: V1_MODEL_IDS.baseline,
    compressionRatio: number('compressionRatio'), accuracyDrop: number('accuracyDrop'), distillationGain: number('distillationGain'),
  };
  return { resultsVersion: RESULTS_VERSION, ...facts, models, distillations: [report] };
}

export function readResultsFile(json: unknown): ExperimentResults {
  const object = record(json, 'the top level');
  const version = object.resultsVersion;
  if (version === RESULTS_VERSION) return readCurrent(object);
  if (version === undefined) {
    if (['teacher', 'baseline', 'student'].some((key) => key in object)) return upgradeV1(object);
    return fail('resultsVersion is missing, and it has no teacher, baseline or student of the first format either.');
  }
  if (typeof version === 'number' && version > RESULTS_VERSION) {
    return fail(`resultsVersion ${version} is newer than this studio reads (up to ${RESULTS_VERSION}); update the studio.`);
  }
  return fail(`resultsVersion is ${JSON.stringify(version)}, expected ${RESULTS_VERSION} (or none, for the first format).`);
}
