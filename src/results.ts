/** The results object: what the results panel shows and the headless runner writes as JSON. */

export interface ModelResult {
  /** Fractions in [0, 1]. */
  testAccuracy: number;
  validationAccuracy: number;
  trainAccuracy: number;
  params: number;
  bytes: number;
  flops: number;
  epochs: number;
  trainingSeconds: number;
  inferenceMsPerSample: number;
  /** Seed of the initialisation and data order (the first stage's, for a staged student). */
  seed: number;
  /** True when the teacher came from the cache instead of being trained in this run. */
  fromCache?: boolean;
  /** True when that cached teacher is one of the pretrained teachers shipped with the studio. */
  pretrained?: boolean;
}

export interface ExperimentResults {
  experimentName: string;
  backend: string;
  datasetId: string;
  trainCount: number;
  testCount: number;
  teacher: ModelResult | null;
  baseline: ModelResult | null;
  student: ModelResult | null;
  /** teacher params / student params. */
  compressionRatio: number | null;
  /** teacher accuracy - distilled student accuracy. */
  accuracyDrop: number | null;
  /** distilled student accuracy - baseline accuracy. */
  distillationGain: number | null;
  finishedAt: string;
}
