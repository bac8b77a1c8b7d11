/**
 * Which training images each batch of an epoch holds, as indices into the split. Every sampler
 * yields ceil(N / B) batches of B images, the last one smaller, so an epoch still sees N images and
 * progress, learning-rate schedules and the smallest-batch check read the same whichever is used.
 */
import type { Rng } from './rng';
import type { BatchSampler, ImageSplit } from './types';

export function* epochIndexBatches(
  split: ImageSplit, classes: number, batchSize: number, rng: Rng, sampler: BatchSampler = { kind: 'shuffled' },
): Generator<Int32Array, void, undefined> {
  if (sampler.kind === 'classUniform') {
    yield* classUniformBatches(split, classes, batchSize, sampler.samplesPerClass, rng);
    return;
  }
  const order = rng.shuffle(Int32Array.from({ length: split.count }, (_, i) => i));
  for (let start = 0; start < order.length; start += batchSize) yield order.subarray(start, start + batchSize);
}

/**
 * Images per class in a batch of `size`: k each from ceil(size / k) classes, the last class taking
 * the remainder. When that needs more classes than there are (B > C * k, e.g. 64 at k = 4 on 10
 * classes), every class takes part with the batch split as evenly as possible: still at least k
 * each, and the batch keeps its size, so an epoch still covers the split about once.
 */
export function classCounts(size: number, samplesPerClass: number, classCount: number): number[] {
  const wanted = Math.ceil(size / samplesPerClass);
  if (wanted <= classCount) return Array.from({ length: wanted }, (_, i) => Math.min(samplesPerClass, size - i * samplesPerClass));
  const base = Math.floor(size / classCount);
  return Array.from({ length: classCount }, (_, i) => base + (i < size % classCount ? 1 : 0));
}

/**
 * Class-uniform batches (Peng et al. 2019, correlation congruence), grouped by class within a batch.
 * Classes come from a shuffled deck, dealt in turn, so over an epoch each class is chosen about
 * equally often; within a class, images are drawn without replacement until it is used up, then
 * reshuffled. Pools start afresh each epoch.
 */
export function* classUniformBatches(
  split: ImageSplit, classes: number, batchSize: number, samplesPerClass: number, rng: Rng,
): Generator<Int32Array, void, undefined> {
  if (!Number.isInteger(samplesPerClass) || samplesPerClass < 1) {
    throw new RangeError(`samples per class must be a positive whole number, got ${samplesPerClass}`);
  }
  const pools = imagesByClass(split, classes).map((images) => (images.length > 0 ? classPool(images, rng) : null));
  const present = pools.flatMap((pool, label) => (pool === null ? [] : [label]));
  const deal = classDeck(present, rng);
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const counts = classCounts(size, samplesPerClass, present.length);
    const chosen = deal(counts.length);
    const indices = new Int32Array(size);
    let at = 0;
    counts.forEach((count, i) => {
      const draw = pools[chosen[i]] as (count: number) => number[];
      for (const image of draw(count)) indices[at++] = image;
    });
    yield indices;
  }
}

function imagesByClass(split: ImageSplit, classes: number): Int32Array[] {
  const sizes = new Array<number>(classes).fill(0);
  for (let i = 0; i < split.count; i++) {
    const label = split.labels[i];
    if (label >= classes) throw new RangeError(`image ${i} has label ${label}, outside the classes 0..${classes - 1}`);
    sizes[label] += 1;
  }
  const byClass = sizes.map((size) => new Int32Array(size));
  const filled = new Array<number>(classes).fill(0);
  for (let i = 0; i < split.count; i++) byClass[split.labels[i]][filled[split.labels[i]]++] = i;
  return byClass;
}

/**
 * Draws a class's images in a shuffled order, reshuffling once all have been drawn. One call's
 * images are distinct (a reshuffle mid-call skips those already taken) unless the class holds fewer.
 */
function classPool(images: Int32Array, rng: Rng): (count: number) => number[] {
  rng.shuffle(images);
  let next = 0;
  return (count) => {
    const taken: number[] = [];
    let skipped = 0;
    while (taken.length < count) {
      if (next === images.length) {
        rng.shuffle(images);
        next = 0;
      }
      const image = images[next++];
      // A repeat within the call only once every image of the class is in it.
      if (taken.includes(image) && skipped < images.length) {
        skipped += 1;
        continue;
      }
      taken.push(image);
    }
    return taken;
  };
}

/** Deals `count` distinct classes (count <= classes.length) from shuffled rounds of all of them. */
function classDeck(classes: readonly number[], rng: Rng): (count: number) => number[] {
  let deck: number[] = [];
  return (count) => {
    const chosen: number[] = [];
    // Classes already chosen when a new round starts mid-batch wait for the next batch.
    const held: number[] = [];
    while (chosen.length < count) {
      if (deck.length === 0) deck = rng.shuffle([...classes]);
      const label = deck.pop() as number;
      (chosen.includes(label) ? held : chosen).push(label);
    }
    deck.push(...held);
    return chosen;
  };
}
