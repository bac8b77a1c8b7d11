/**
 * Datasets as the trainer sees them: uint8 pixels in [H, W, C] row-major order per image
 * (the layout of the IDX files and of tfjs), labels as class indices.
 * Normalisation is applied on the fly from the registry entry, so the stored bytes stay compact.
 */

export interface DatasetInfo {
  id: string;
  label: string;
  /** [H, W, C] */
  shape: [number, number, number];
  classes: number;
  classNames: string[];
  /** Per-channel mean and std in [0, 1] units: x = (pixel / 255 - mean) / std. */
  normalization: { mean: number[]; std: number[] };
  trainCount: number;
  testCount: number;
  citation: string;
  /**
   * Too large to prepare at install: its assets exist only after `npm run prepare-data -- <id>`,
   * so the app says how to prepare it when they are missing.
   */
  prepareOnDemand?: boolean;
  /**
   * Set for a dataset imported from the user's images (src/data/userImages/): where it came from
   * and how many images at the end of its training file are its validation split.
   */
  userImport?: { source: string; validationCount: number };
}

export interface ImageSplit {
  /** count * H * W * C bytes. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface LoadedDataset {
  info: DatasetInfo;
  train: ImageSplit;
  validation: ImageSplit;
  test: ImageSplit;
}

/**
 * How training batches are drawn. shuffled: each epoch visits every image once in a seeded order.
 * classUniform: each batch holds `samplesPerClass` images from each of several random classes
 * (correlation congruence, Peng et al. 2019); see classUniformBatches for the exact rule.
 */
export type BatchSampler = { kind: 'shuffled' } | { kind: 'classUniform'; samplesPerClass: number };

/** Options the Dataset node exposes; the trainer asks the loader for exactly this. */
export interface DatasetOptions {
  datasetId: string;
  /** Use only the first N training images (after the validation hold-out); null = all. */
  trainSubset: number | null;
  /** Images held out from the end of the training file for validation. */
  validationSize: number;
  /** Use only the first N test images; null = all. */
  testSubset: number | null;
  /** Random shift augmentation in pixels (0 = off). */
  augmentShift: number;
  /**
   * Random horizontal flip of training images (half of them, seeded); absent = off, so plans and
   * teacher keys from before the option stay as they were. With a shift of 4 it is the standard
   * CIFAR augmentation (random 32 x 32 crop of the image padded by 4, and flip).
   */
  augmentFlip?: boolean;
  /** Absent = shuffled, so plans and teacher cache keys from before the option stay as they were. */
  sampler?: BatchSampler;
}

/**
 * Reads a generated asset by its path relative to the data root (e.g. "mnist/train-images.u8").
 * The browser injects fetch, Node injects the file system: src/ never knows which.
 */
export type AssetReader = (relativePath: string) => Promise<Uint8Array>;
