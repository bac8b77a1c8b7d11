/**
 * `npm run ship-teacher -- public/presets/<preset>.json`: copies the preset's trained teacher from
 * the runner's cache into `public/teachers/`, measures its validation and test accuracy, and lists
 * it in `public/teachers/index.json`. From then on the studio and the runner start that preset from
 * the shipped teacher instead of training it (until the teacher's recipe changes its cache key).
 */
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PRETRAINED_INDEX, PRETRAINED_SCHEMA_VERSION, parsePretrainedIndex, type PretrainedIndex } from '../src/train/pretrained';
import { measureTeacherAccuracy } from '../src/train/teacherAccuracy';
import { loadPlan, selectNodeBackend } from './experiment';
import { DEFAULT_PRETRAINED_DIR, fsTeacherCache, teacherFiles } from './lib/fs-teacher-cache';
import { nodeAssetReader } from './lib/node-assets';

const USAGE = 'Usage: npm run ship-teacher -- <preset.json> [--cache .cache/teachers] [--to public/teachers]';

async function readIndex(directory: string): Promise<PretrainedIndex> {
  try {
    return parsePretrainedIndex(JSON.parse(await readFile(path.join(directory, PRETRAINED_INDEX), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: PRETRAINED_SCHEMA_VERSION, teachers: [] };
    throw error;
  }
}

async function main(argv: string[]): Promise<void> {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('--')) flags.set(argv[i], argv[++i] ?? '');
    else positional.push(argv[i]);
  }
  if (positional.length !== 1 || [...flags.keys()].some((flag) => flag !== '--cache' && flag !== '--to')) throw new Error(USAGE);
  const presetPath = positional[0];
  const cacheDir = flags.get('--cache') ?? '.cache/teachers';
  const shipDir = flags.get('--to') ?? DEFAULT_PRETRAINED_DIR;

  const plan = await loadPlan(presetPath, { epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined });
  const key = plan.teacher.cacheKey;
  const weights = await fsTeacherCache(cacheDir).get(key);
  if (!weights) {
    throw new Error(`No trained teacher for ${presetPath} in ${cacheDir} (key ${key}). ` +
      `Train it first: npm run experiment -- ${presetPath} --backend wasm --only teacher`);
  }
  await selectNodeBackend('wasm');
  const { validationAccuracy, testAccuracy } = await measureTeacherAccuracy(plan, weights, nodeAssetReader());
  const accuracy = { validationAccuracy, testAccuracy };
  console.log(`Teacher ${key}: validation ${(accuracy.validationAccuracy * 100).toFixed(2)} %, test ${(accuracy.testAccuracy * 100).toFixed(2)} %`);

  const preset = path.basename(presetPath);
  const index = await readIndex(shipDir);
  // One shipped teacher per preset: a retrained recipe replaces the old files.
  for (const stale of index.teachers.filter((t) => t.preset === preset && t.key !== key)) {
    const files = teacherFiles(shipDir, stale.key);
    await Promise.all([rm(files.index, { force: true }), rm(files.data, { force: true })]);
  }
  const from = teacherFiles(cacheDir, key);
  const to = teacherFiles(shipDir, key);
  await copyFile(from.data, to.data);
  await copyFile(from.index, to.index);
  const entry = {
    key,
    preset,
    ...accuracy,
    trainedWith: `npm run experiment -- public/presets/${preset} --backend wasm --only teacher (tfjs ${tf.version.tfjs}), shipped ${new Date().toISOString().slice(0, 10)}`,
  };
  const teachers = [...index.teachers.filter((t) => t.preset !== preset && t.key !== key), entry]
    .sort((a, b) => a.preset.localeCompare(b.preset));
  await writeFile(path.join(shipDir, PRETRAINED_INDEX), JSON.stringify({ schemaVersion: PRETRAINED_SCHEMA_VERSION, teachers }, null, 2) + '\n');
  console.log(`Shipped to ${to.data} and listed in ${path.join(shipDir, PRETRAINED_INDEX)}.`);
}

main(process.argv.slice(2)).then(() => process.exit(0), (error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
