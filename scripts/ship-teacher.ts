/**
 * `npm run ship-teacher -- public/presets/<preset>.json`: copies the preset's trained teacher from
 * the runner's cache into `public/teachers/`, measures its validation and test accuracy, and lists
 * it in `public/teachers/index.json` with every preset whose teacher has the same cache key. From
 * then on the studio and the runner start those presets from the shipped teacher instead of
 * training it (until a recipe change gives the teacher another key).
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PRETRAINED_INDEX, PRETRAINED_SCHEMA_VERSION, parsePretrainedIndex, type PretrainedIndex, type PretrainedTeacher } from '../src/train/pretrained';
import { measureTeacherAccuracy } from '../src/train/teacherAccuracy';
import { loadPlan, selectNodeBackend } from './experiment';
import { DEFAULT_PRETRAINED_DIR, fsTeacherCache, teacherFiles, writeTeacherFiles } from './lib/fs-teachers';
import { nodeAssetReader } from './lib/node-assets';
import { errorMessage } from '../src/errorMessage';

const USAGE = `Usage: npm run ship-teacher -- <preset.json> [--cache <dir>] [--to <dir>] [--trained-on <backend>]
  --cache       the runner's teacher cache (default .cache/teachers)
  --to          the pretrained directory (default public/teachers)
  --trained-on  the tfjs backend the teacher was trained on (default wasm), recorded in the index`;
const NO_OVERRIDES = { epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined } as const;

function parseArgs(argv: string[]): { preset: string; cache: string; to: string; trainedOn: string } {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) { positional.push(argv[i]); continue; }
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (!['--cache', '--to', '--trained-on'].includes(flag) || !value) throw new Error(`${flag} needs a value.\n${USAGE}`);
    flags.set(flag, value);
  }
  if (positional.length !== 1) throw new Error(USAGE);
  return { preset: positional[0], cache: flags.get('--cache') ?? '.cache/teachers', to: flags.get('--to') ?? DEFAULT_PRETRAINED_DIR, trainedOn: flags.get('--trained-on') ?? 'wasm' };
}

async function readIndex(directory: string): Promise<PretrainedIndex> {
  try {
    return parsePretrainedIndex(JSON.parse(await readFile(path.join(directory, PRETRAINED_INDEX), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: PRETRAINED_SCHEMA_VERSION, teachers: [] };
    throw error;
  }
}

/** The presets of a directory grouped by the cache key of their teacher (each compiled once). */
async function presetsByTeacherKey(presetDir: string): Promise<Map<string, string[]>> {
  const files = (await readdir(presetDir)).filter((name) => name.endsWith('.json') && name !== 'index.json').sort();
  const byKey = new Map<string, string[]>();
  for (const file of files) {
    const key = (await loadPlan(path.join(presetDir, file), NO_OVERRIDES)).teacher.cacheKey;
    byKey.set(key, [...(byKey.get(key) ?? []), file]);
  }
  return byKey;
}

/** Written beside, then renamed into place: readers see the old index or the new one, never half. */
async function writeIndex(directory: string, index: PretrainedIndex): Promise<void> {
  const indexPath = path.join(directory, PRETRAINED_INDEX);
  await writeFile(`${indexPath}.tmp`, JSON.stringify(index, null, 2) + '\n');
  await rename(`${indexPath}.tmp`, indexPath);
}

async function main(argv: string[]): Promise<void> {
  const options = parseArgs(argv);
  const plan = await loadPlan(options.preset, NO_OVERRIDES);
  const key = plan.teacher.cacheKey;
  const weights = await fsTeacherCache(options.cache).get(key);
  if (!weights) {
    throw new Error(`No trained teacher for ${options.preset} in ${options.cache} (key ${key}). ` +
      `Train it first: npm run experiment -- ${options.preset} --backend ${options.trainedOn} --only teacher`);
  }
  await selectNodeBackend('wasm');
  const { validationAccuracy, testAccuracy } = await measureTeacherAccuracy(plan, weights, nodeAssetReader());
  console.log(`Teacher ${key}: validation ${(validationAccuracy * 100).toFixed(2)} %, test ${(testAccuracy * 100).toFixed(2)} %`);

  const presetsByKey = await presetsByTeacherKey(path.dirname(options.preset));
  const presets = presetsByKey.get(key) ?? [];
  const entry: PretrainedTeacher = {
    key, presets, validationAccuracy, testAccuracy,
    trainedWith: `npm run experiment -- public/presets/${path.basename(options.preset)} --backend ${options.trainedOn} --only teacher ` +
      `(tfjs ${tf.version.tfjs}); accuracy measured on wasm when shipped, ${new Date().toISOString().slice(0, 10)}`,
  };
  // Teachers no preset compiles to any more leave the index, and their files go after it.
  const previous = (await readIndex(options.to)).teachers.filter((t) => t.key !== key);
  const stale = previous.filter((t) => !presetsByKey.has(t.key));
  const index: PretrainedIndex = {
    schemaVersion: PRETRAINED_SCHEMA_VERSION,
    teachers: [...previous.filter((t) => presetsByKey.has(t.key)), entry].sort((a, b) => a.presets[0].localeCompare(b.presets[0])),
  };
  // Files first, the index last: the index never lists a teacher without its files.
  await writeTeacherFiles(options.to, key, weights);
  await writeIndex(options.to, index);
  console.log(`Shipped ${teacherFiles(options.to, key).data} for ${presets.join(', ')}.`);
  for (const teacher of stale) {
    const files = teacherFiles(options.to, teacher.key);
    await Promise.all([rm(files.layout, { force: true }), rm(files.data, { force: true })]);
    console.log(`Removed ${teacher.key}: no preset uses it any more.`);
  }
}

main(process.argv.slice(2)).then(() => process.exit(0), (error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
