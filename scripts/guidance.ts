/**
 * Best guidance path: `npm run guidance -- <experiment.json> --loss <nodeId> [options]`.
 * Trains every (teacher layer, student layer) pairing a FitNet or attention-transfer block accepts
 * on a small subset, the teacher trained once, and prints them ranked by the validation accuracy
 * of the network that learns (src/train/guidanceSearch.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { compileExperiment } from '../src/graph/compile';
import type { ExperimentFile } from '../src/graph/schema';
import { parseExperiment } from '../src/graph/serialize';
import type { TrainingPlan } from '../src/train/plan';
import { DEFAULT_MAX_CANDIDATES } from '../src/graph/guidancePaths';
import { GUIDANCE_SEARCH_DEFAULTS, searchExperiment, searchGuidancePaths, type GuidanceSearchOptions } from '../src/train/guidanceSearch';
import { errorMessage } from '../src/errorMessage';
import { positiveInteger, selectNodeBackend, subset, type NodeBackend } from './experiment';
import { nodeAssetReader } from './lib/node-assets';
import { DEFAULT_PRETRAINED_DIR, fsPretrainedTeachers, fsTeacherCache } from './lib/fs-teachers';
import { terminalReporter } from './lib/experiment-report';
import { formatGuidanceReport, formatProgress } from './lib/guidance-report';
import { parseFlags, type OptionParsers } from './lib/cli-args';

export interface GuidanceCliOptions {
  file: string;
  loss: string;
  search: GuidanceSearchOptions;
  backend: NodeBackend;
  out: string | null;
  teacherCache: string | null;
  pretrained: string | null;
}

const { trainSubset, validationSize, testSubset } = GUIDANCE_SEARCH_DEFAULTS;
const USAGE = `Usage: npm run guidance -- <experiment.json> --loss <nodeId> [options]
  --loss <nodeId>           the FitNet or attention transfer block whose pairing to search
  --train-subset <N|all>    training images (default ${trainSubset})
  --validation-size <N>     held-out images the ranking reads (default ${validationSize})
  --test-subset <N|all>     test images (default ${testSubset})
  --epochs <N>              epochs of every stage (default: as in the file)
  --teacher-epochs <N>      epochs of the teacher's own training (default: as in the file)
  --seeds <N>               runs per pairing, stage seeds moved on by 0..N-1, for mean ± sd (default 1)
  --max <N>                 pairings to try (default ${DEFAULT_MAX_CANDIDATES}): the drawn one, then the deepest teacher layers first
  --layers <all|blocks>     every feature layer, or one per conv/bn/relu block (default all)
  --backend <cpu|wasm>      tfjs backend (default cpu; wasm is several times faster)
  --teacher-cache <dir|off> keep the trained teacher here for later runs (default .cache/teachers)
  --pretrained <dir|off>    pretrained teachers read when the cache misses (default public/teachers)
  --out <file>              also write the report as JSON`;

const OPTION_PARSERS: OptionParsers<GuidanceCliOptions> = {
  '--loss': (o, v) => { o.loss = v; },
  '--train-subset': (o, v, f) => { o.search.trainSubset = subset(v, f); },
  '--validation-size': (o, v, f) => { o.search.validationSize = positiveInteger(v, f); },
  '--test-subset': (o, v, f) => { o.search.testSubset = subset(v, f); },
  '--epochs': (o, v, f) => { o.search.epochs = positiveInteger(v, f); },
  '--teacher-epochs': (o, v, f) => { o.search.teacherEpochs = positiveInteger(v, f); },
  '--seeds': (o, v, f) => { o.search.seeds = positiveInteger(v, f); },
  '--max': (o, v, f) => { o.search.maxCandidates = positiveInteger(v, f); },
  '--layers': (o, v) => {
    if (v !== 'all' && v !== 'blocks') throw new Error(`--layers takes all or blocks, got '${v}'.`);
    o.search.layers = v === 'all' ? 'all' : 'blockOutputs';
  },
  '--backend': (o, v) => {
    if (v !== 'cpu' && v !== 'wasm') throw new Error(`--backend must be cpu or wasm in Node, got '${v}'.`);
    o.backend = v;
  },
  '--teacher-cache': (o, v) => { o.teacherCache = v === 'off' ? null : v; },
  '--pretrained': (o, v) => { o.pretrained = v === 'off' ? null : v; },
  '--out': (o, v) => { o.out = v; },
};

export function parseGuidanceArgs(argv: readonly string[]): GuidanceCliOptions {
  const options: GuidanceCliOptions = {
    file: '', loss: '', search: {}, backend: 'cpu', out: null, teacherCache: '.cache/teachers', pretrained: DEFAULT_PRETRAINED_DIR,
  };
  const positional = parseFlags(argv, options, OPTION_PARSERS, USAGE);
  if (positional.length !== 1) throw new Error(`Give exactly one experiment file.\n${USAGE}`);
  if (options.loss === '') throw new Error(`Name the FitNet or attention transfer block to search with --loss <nodeId>.\n${USAGE}`);
  options.file = positional[0];
  return options;
}

function tryCompile(experiment: ExperimentFile): TrainingPlan | undefined {
  try {
    return compileExperiment(experiment);
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let options: GuidanceCliOptions;
  try {
    options = parseGuidanceArgs(process.argv.slice(2));
  } catch (error) {
    console.error(errorMessage(error));
    return 2;
  }
  const experiment = parseExperiment(await readFile(options.file, 'utf8'));
  await selectNodeBackend(options.backend);
  let stop = false;
  process.once('SIGINT', () => {
    console.error('\nStopping after the current step; the pairings finished so far are ranked (Ctrl-C again to abort)...');
    stop = true;
  });
  const write = (line: string): void => console.log(line);
  // The first run trains (or restores) the teacher: show it in full; later runs only warn or fail aloud.
  // Its plan only names the phases; an experiment that cannot compile is reported by the search itself.
  const firstRun = terminalReporter(write, tryCompile(searchExperiment(experiment, options.search)));
  console.log(`Searching the guidance paths of '${options.loss}' in ${path.basename(options.file)} on tfjs ${tf.getBackend()}`);
  const report = await searchGuidancePaths(experiment, options.loss, options.search, {
    readAsset: nodeAssetReader(), backend: tf.getBackend(), now: () => performance.now(),
    teacherCache: options.teacherCache ? fsTeacherCache(options.teacherCache) : undefined,
    pretrainedTeachers: options.teacherCache && options.pretrained ? fsPretrainedTeachers(options.pretrained) : undefined,
    shouldStop: () => stop,
    onProgress: (progress) => write(formatProgress(progress)),
    onTrainEvent: (event, run) => {
      if (run.index === 0 && run.seedOffset === 0) firstRun.emit(event);
      else if (event.type === 'log' && event.warning === true) write(event.message);
    },
  });
  console.log(`\n${formatGuidanceReport(report)}`);
  if (options.out) {
    await mkdir(path.dirname(path.resolve(options.out)), { recursive: true });
    await writeFile(options.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`Report written to ${options.out}`);
  }
  return report.ranked.some((result) => result.error === null) ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then((code) => process.exit(code), (error: unknown) => {
    console.error(errorMessage(error));
    process.exit(1);
  });
}
