/**
 * Graph problems as data, so the interface can word them in another language (the validator's
 * `message` stays the English text). Each code names the problem; its fields are what the text needs.
 */
export type ProblemDetail =
  // Roles the graph does not honour, on the model node.
  | { code: 'neverTrained' }
  | { code: 'teachesButNeverTrained' }
  | { code: 'assistantTeachesNobody' }
  | { code: 'teacherIdle' }
  | { code: 'lonePeer'; trainer: string; instead: 'assistant' | 'student' }
  // The graph as a whole (nodeId null) and the dataset.
  | { code: 'noDataset' }
  | { code: 'extraDataset' }
  | { code: 'userDatasetMissing'; datasetId: string }
  | { code: 'noLearner' }
  | { code: 'noTrainer' }
  // Models.
  | { code: 'imagesUnconnected' }
  | { code: 'outputUnits'; units: number; classes: number; dataset: string }
  | { code: 'teacherDefaults' }
  // Guide and Guided nodes.
  | { code: 'tapUnconnected'; side: 'teacher' | 'student' }
  | { code: 'tapNoLayer'; model: string }
  | { code: 'tapFeedsNoLoss' }
  // Losses and trainers.
  | { code: 'lossPortUnconnected'; port: string; from: 'data' | 'teacher' | 'student' }
  | { code: 'lossInNoTrainer' }
  | { code: 'trainerNoLosses' };

export type ProblemCode = ProblemDetail['code'];

/** Every code, at run time: a test checks each has a text in every language. */
export const problemCodes: readonly ProblemCode[] = [
  'neverTrained', 'teachesButNeverTrained', 'assistantTeachesNobody', 'teacherIdle', 'lonePeer',
  'noDataset', 'extraDataset', 'userDatasetMissing', 'noLearner', 'noTrainer',
  'imagesUnconnected', 'outputUnits', 'teacherDefaults',
  'tapUnconnected', 'tapNoLayer', 'tapFeedsNoLoss',
  'lossPortUnconnected', 'lossInNoTrainer', 'trainerNoLosses',
];
