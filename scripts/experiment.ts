/**
 * Headless runner: `npm run experiment -- <experiment.json> [options]`.
 * Parses and compiles the experiment file exactly as the studio does, runs it with src/train on
 * the tfjs cpu (or wasm) backend with the generated data assets, prints progress, and writes the
 * results object as JSON (accuracies as fractions; src/results.ts, read back by src/resultsFile.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileExperiment } from '../src/graph/compile';
import type { ExperimentFile } from '../src/graph/schema';
import { parseExperiment } from '../src/graph/serialize';
import { studentOf } from '../src/export/exportRequest';
import { RunControl } from '../src/train/control';
import type { RunSelection, TrainingPlan } from '../src/train/plan';
import { runExperiment } from '../src/train/runner';
import { installTrainingKernels } from '../src/models/training-kernels';
import { nodeAssetReader } from './lib/node-assets';
import { writeExports } from './lib/export-cli';
import { formatResults, terminalReporter } from './lib/experiment-report';
import { DEFAULT_PRETRAINED_DIR, fsPretrainedTeachers, fsTeacherCache } from './lib/fs-teachers';
import { errorMessage } from '../src/errorMessage';
import { parseFlags, type OptionParsers } from './lib/cli-args';

export type NodeBackend = 'cpu' | 'wasm';

export interface ExperimentCliOptions {
  file: string;
  out: string | null;
  epochs: number | null;
  /** Seed of every trainer (stage) node, so of every phase but the teachers' (baselines follow their students). null = as in the file. */
  studentSeed: number | null;
  /** undefined = as in the file; null = all images. */
  trainSubset: number | null | undefined;
  testSubset: number | null | undefined;
  backend: NodeBackend;
  /** Which kinds of phase run (a distillation also runs the teacher phases it needs). */
  runs: RunSelection;
  /** Paths the export step writes after the run. */
  onnx: string | null;
  bundle: string | null;
  /** The model --onnx / --bundle export; null = the one the Export node takes, else the first student. */
  exportModel: string | null;
  /** Directory of trained teachers reused across runs; null = always train the teacher. */
  teacherCache: string | null;
  /** Directory of the pretrained teachers shipped with the studio; null = do not use them. */
  pretrained: string | null;
}

const USAGE = `Usage: npm run experiment -- <experiment.json> [options]
  --out <file>              write the results JSON here (default: print it)
  --epochs <N>              override every trainer's epochs (teachers, stages; the baselines follow)
  --student-seed <N>        seed of every stage, so of every phase but the teachers' (students, assistants,
                            peers and baselines); teachers keep theirs, so one cached teacher teaches
                            every seed (repeat runs for mean and spread: npm run seeds)
  --train-subset <N|all>    number of training images (default: as in the file)
  --test-subset <N|all>     number of test images
  --backend <cpu|wasm>      tfjs backend (default cpu; wasm is several times faster)
  --only <teacher,baseline,student>  run only these kinds of phase (default: all); a distillation also
                            runs (or restores from the cache) the teachers it learns from
  --onnx <file>             export the trained model as ONNX (see --model)
  --bundle <file>           export the Atlas (ATC) bundle
  --model <id>              the model to export: a model node's id, or <id>/baseline (default: the one
                            the Export node takes, else the first student)
  --teacher-cache <dir>     reuse trained teachers stored here (default .cache/teachers; 'off' always
                            trains the teacher, ignoring the pretrained ones too)
  --pretrained <dir|off>    pretrained teachers shipped with the studio, read when the cache misses
                            (default public/teachers)`;

export function positiveInteger(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new Error(`${flag} needs a whole number >= 1, got '${value}'.`);
  return number;
}

function seedValue(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 2 ** 31 - 1) throw new Error(`${flag} needs a whole number from 0 to 2^31 - 1, got '${value}'.`);
  return number;
}

export const subset = (value: string, flag: string): number | null => (value === 'all' ? null : positiveInteger(value, flag));

/** Each flag takes one value; adding an option means adding one entry here. */
const OPTION_PARSERS: OptionParsers<ExperimentCliOptions> = {
  '--out': (o, v) => { o.out = v; },
  '--teacher-cache': (o, v) => { o.teacherCache = v === 'off' ? null : v; },
  '--pretrained': (o, v) => { o.pretrained = v === 'off' ? null : v; },
  '--epochs': (o, v, f) => { o.epochs = positiveInteger(v, f); },
  '--student-seed': (o, v, f) => { o.studentSeed = seedValue(v, f); },
  '--train-subset': (o, v, f) => { o.trainSubset = subset(v, f); },
  '--test-subset': (o, v, f) => { o.testSubset = subset(v, f); },
  '--backend': (o, v) => {
    if (v !== 'cpu' && v !== 'wasm') throw new Error(`--backend must be cpu or wasm in Node, got '${v}'.`);
    o.backend = v;
  },
  '--only': (o, v) => {
    const phases = v.split(',').map((p) => p.trim());
    const unknown = phases.filter((p) => p !== 'teacher' && p !== 'baseline' && p !== 'student');
    if (unknown.length > 0) throw new Error(`--only takes teacher, baseline and/or student, got '${unknown.join(', ')}'.`);
    o.runs = { teacher: phases.includes('teacher'), baseline: phases.includes('baseline'), student: phases.includes('student') };
  },
  '--onnx': (o, v) => { o.onnx = v; },
  '--bundle': (o, v) => { o.bundle = v; },
  '--model': (o, v) => { o.exportModel = v; },
};

export function parseExperimentArgs(argv: readonly string[]): ExperimentCliOptions {
  const options: ExperimentCliOptions = {
    file: '', out: null, epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined, backend: 'cpu',
    runs: { teacher: true, baseline: true, student: true }, onnx: null, bundle: null, exportModel: null, teacherCache: '.cache/teachers',
    pretrained: DEFAULT_PRETRAINED_DIR,
  };
  const positional = parseFlags(argv, options, OPTION_PARSERS, USAGE);
  if (positional.length !== 1) throw new Error(`Give exactly one experiment file.\n${USAGE}`);
  if (options.exportModel !== null && !options.onnx && !options.bundle) throw new Error('--model chooses what --onnx or --bundle export; give one of them.');
  if (options.teacherCache === null && argv.some((arg) => arg.split('=')[0] === '--pretrained') && options.pretrained !== null) {
    throw new Error('--teacher-cache off trains the teacher, so --pretrained would not be read; drop one of them.');
  }
  options.file = positional[0];
  return options;
}

type Overrides = Pick<ExperimentCliOptions, 'epochs' | 'studentSeed' | 'trainSubset' | 'testSubset'>;

/**
 * Applies the command-line overrides to the graph before compiling, so the plan (cache keys,
 * baselines) stays consistent. The seed is set on trainer nodes only, the nodes
 * src/graph/seedOffset.ts moves too: teachers train by their model node's own settings.
 */
export function applyOverrides(file: ExperimentFile, options: Overrides): ExperimentFile {
  const copy = structuredClone(file);
  for (const node of copy.nodes) {
    if (node.kind === 'dataset') {
      if (options.trainSubset !== undefined) node.params.trainSubset = options.trainSubset;
      if (options.testSubset !== undefined) node.params.testSubset = options.testSubset;
    } else if (node.kind === 'trainer') {
      if (options.epochs !== null) node.params.epochs = options.epochs;
      if (options.studentSeed !== null) node.params.seed = options.studentSeed;
    } else if (node.kind === 'model' && node.params.teacherTraining && options.epochs !== null) {
      node.params.teacherTraining.epochs = options.epochs;
    }
  }
  return copy;
}

export async function loadExperimentFile(filePath: string, overrides: Overrides): Promise<ExperimentFile> {
  const text = await readFile(filePath, 'utf8');
  return applyOverrides(parseExperiment(text), overrides);
}

export async function loadPlan(filePath: string, overrides: Overrides): Promise<TrainingPlan> {
  return compileExperiment(await loadExperimentFile(filePath, overrides));
}

export async function selectNodeBackend(backend: NodeBackend): Promise<void> {
  // Node 20's V8 ships relaxed SIMD behind a flag (on by default from Node 22): turn it on so the
  // wasm GEMM can run its FMA build (src/models/wasm-gemm.ts feature-detects it).
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend(backend))) throw new Error(`The tfjs ${backend} backend could not start in Node.`);
  await tf.ready();
  installTrainingKernels(backend);
}

/** The id of the model --onnx / --bundle export; throws when the plan cannot give its weights. */
export function exportableModel(experiment: ExperimentFile, plan: TrainingPlan, requested: string | null): string {
  const { modelId } = studentOf(experiment, requested ?? undefined);
  const model = plan.models.find((candidate) => candidate.id === modelId);
  if (!model) throw new Error(`--model: the plan has no model '${modelId}' (models: ${plan.models.map((m) => m.id).join(', ')}).`);
  if (model.role === 'teacher') throw new Error(`--model: '${modelId}' is a teacher; the runner exports the models that learn (and baselines), not teachers.`);
  return modelId;
}

async function main(): Promise<number> {
  let options: ExperimentCliOptions;
  try {
    options = parseExperimentArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const experiment = await loadExperimentFile(options.file, options);
  const plan = compileExperiment(experiment);
  // Checked before training, not hours later.
  const exportModelId = options.onnx || options.bundle ? exportableModel(experiment, plan, options.exportModel) : null;
  await selectNodeBackend(options.backend);
  const control = new RunControl();
  process.once('SIGINT', () => {
    console.error('\nStopping after the current step (Ctrl-C again to abort)...');
    control.stop();
  });
  const reporter = terminalReporter((line) => console.log(line), plan);
  console.log(`Running '${plan.experimentName}' on tfjs ${tf.getBackend()} (${path.basename(options.file)})`);
  const results = await runExperiment(plan, options.runs, {
    readAsset: nodeAssetReader(), emit: reporter.emit, control, backend: tf.getBackend(), now: () => performance.now(),
    teacherCache: options.teacherCache ? fsTeacherCache(options.teacherCache) : undefined,
    pretrainedTeachers: options.teacherCache && options.pretrained ? fsPretrainedTeachers(options.pretrained) : undefined,
  });
  console.log(formatResults(results, plan));
  const json = JSON.stringify(results, null, 2);
  if (options.out) {
    // A missing folder must not lose a long run's results.
    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    await writeFile(options.out, json + '\n');
    console.log(`Results written to ${options.out}`);
  } else {
    console.log(json);
  }
  if (exportModelId !== null) {
    const model = reporter.weights.get(exportModelId);
    if (!model) {
      const trained = [...reporter.weights.keys()];
      console.error(`Nothing to export: '${exportModelId}' was not trained in this run (see --only${trained.length > 0 ? `; trained: ${trained.join(', ')}` : ''}).`);
      return 1;
    }
    await writeExports({ experiment, model, results, flags: { onnx: options.onnx, bundle: options.bundle } });
  }
  return reporter.errors.length > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then((code) => process.exit(code), (error: unknown) => {
    console.error(errorMessage(error));
    process.exit(1);
  });
}
