/**
 * `npm run ship-teacher -- public/presets/<preset>.json [--model <id>]`: copies the preset's trained
 * teachers (each teacher phase's, or the one `--model` names) from the runner's cache into
 * `public/teachers/`, measures their validation and test accuracy, and lists each in
 * `public/teachers/index.json` with every preset that has a teacher of the same cache key. From then
 * on the studio and the runner start those presets from the shipped teacher instead of training it
 * (until a recipe change gives the teacher another key).
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { PRETRAINED_INDEX, PRETRAINED_SCHEMA_VERSION, parsePretrainedIndex, type PretrainedIndex, type PretrainedTeacher } from '../src/train/pretrained';
import { measureTeacherAccuracy } from '../src/train/teacherAccuracy';
import type { LayerWeights } from '../src/models/spec';
import { loadPlan, selectNodeBackend } from './experiment';
import { DEFAULT_PRETRAINED_DIR, fsTeacherCache, teacherFiles, writeTeacherFiles } from './lib/fs-teachers';
import { nodeAssetReader } from './lib/node-assets';
import { teacherPhases, type TeacherPhase } from './lib/teacher-phases';
import { errorMessage } from '../src/errorMessage';

const USAGE = `Usage: npm run ship-teacher -- <preset.json> [--model <id>] [--cache <dir>] [--to <dir>] [--trained-on <backend>]
  --model       the teacher to ship (its model node id; default: every teacher of the preset)
  --cache       the runner's teacher cache (default .cache/teachers)
  --to          the pretrained directory (default public/teachers)
  --trained-on  the tfjs backend the teacher was trained on (default wasm), recorded in the index`;
const NO_OVERRIDES = { epochs: null, studentSeed: null, trainSubset: undefined, testSubset: undefined } as const;

interface ShipOptions { preset: string; model: string | undefined; cache: string; to: string; trainedOn: string }

function parseArgs(argv: string[]): ShipOptions {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--')) { positional.push(argv[i]); continue; }
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = inline ?? argv[++i];
    if (!['--model', '--cache', '--to', '--trained-on'].includes(flag)) throw new Error(`Unknown option '${flag}'.\n${USAGE}`);
    if (!value) throw new Error(`${flag} needs a value.\n${USAGE}`);
    flags.set(flag, value);
  }
  if (positional.length !== 1) throw new Error(USAGE);
  return {
    preset: positional[0], model: flags.get('--model'), cache: flags.get('--cache') ?? '.cache/teachers',
    to: flags.get('--to') ?? DEFAULT_PRETRAINED_DIR, trainedOn: flags.get('--trained-on') ?? 'wasm',
  };
}

async function readIndex(directory: string): Promise<PretrainedIndex> {
  try {
    return parsePretrainedIndex(JSON.parse(await readFile(path.join(directory, PRETRAINED_INDEX), 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: PRETRAINED_SCHEMA_VERSION, teachers: [] };
    throw error;
  }
}

/** The presets of a directory grouped by the cache keys of their teachers (each compiled once; a preset may have several). */
async function presetsByTeacherKey(presetDir: string): Promise<Map<string, string[]>> {
  const files = (await readdir(presetDir)).filter((name) => name.endsWith('.json') && name !== 'index.json').sort();
  const byKey = new Map<string, string[]>();
  for (const file of files) {
    const keys = new Set(teacherPhases(await loadPlan(path.join(presetDir, file), NO_OVERRIDES)).map((teacher) => teacher.cacheKey));
    for (const key of keys) byKey.set(key, [...(byKey.get(key) ?? []), file]);
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
  // Two teachers with one key are the same trained weights: shipped once.
  const teachers = teacherPhases(plan, options.model).filter((teacher, i, all) => all.findIndex((t) => t.cacheKey === teacher.cacheKey) === i);
  if (teachers.length === 0) throw new Error(`${options.preset} trains no teacher of its own, so there is nothing to ship.`);
  // Every teacher's weights first: a missing one stops the run before anything is written.
  const cache = fsTeacherCache(options.cache);
  const found: { teacher: TeacherPhase; weights: LayerWeights[] }[] = [];
  for (const teacher of teachers) {
    const weights = await cache.get(teacher.cacheKey);
    if (!weights) {
      throw new Error(`No trained teacher '${teacher.modelId}' for ${options.preset} in ${options.cache} (key ${teacher.cacheKey}). ` +
        `Train it first: npm run experiment -- ${options.preset} --backend ${options.trainedOn} --only teacher`);
    }
    found.push({ teacher, weights });
  }
  await selectNodeBackend('wasm');
  const presetsByKey = await presetsByTeacherKey(path.dirname(options.preset));
  const entries: PretrainedTeacher[] = [];
  for (const { teacher, weights } of found) {
    const { validationAccuracy, testAccuracy } = await measureTeacherAccuracy(plan, teacher.modelId, weights, nodeAssetReader());
    console.log(`Teacher ${teacher.modelId} (${teacher.cacheKey}): validation ${(validationAccuracy * 100).toFixed(2)} %, test ${(testAccuracy * 100).toFixed(2)} %`);
    entries.push({
      key: teacher.cacheKey, presets: presetsByKey.get(teacher.cacheKey) ?? [], validationAccuracy, testAccuracy,
      trainedWith: `npm run experiment -- public/presets/${path.basename(options.preset)} --backend ${options.trainedOn} --only teacher ` +
        `(tfjs ${tf.version.tfjs}); accuracy measured on wasm when shipped, ${new Date().toISOString().slice(0, 10)}`,
    });
  }
  // Teachers no preset compiles to any more leave the index, and their files go after it.
  const shipped = new Set(entries.map((entry) => entry.key));
  const previous = (await readIndex(options.to)).teachers.filter((t) => !shipped.has(t.key));
  const stale = previous.filter((t) => !presetsByKey.has(t.key));
  const index: PretrainedIndex = {
    schemaVersion: PRETRAINED_SCHEMA_VERSION,
    // Teachers shipped before keep their weights and accuracy; their preset lists are brought up to date.
    teachers: [...previous.flatMap((t) => (presetsByKey.has(t.key) ? [{ ...t, presets: presetsByKey.get(t.key)! }] : [])), ...entries]
      .sort((a, b) => a.presets[0].localeCompare(b.presets[0])),
  };
  // Files first, the index last: the index never lists a teacher without its files.
  for (const { teacher, weights } of found) await writeTeacherFiles(options.to, teacher.cacheKey, weights);
  await writeIndex(options.to, index);
  for (const entry of entries) console.log(`Shipped ${teacherFiles(options.to, entry.key).data} for ${entry.presets.join(', ')}.`);
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
