import type { ConnectionRefusal } from './connectionRefusal';

/**
 * Graph problems as data, so the interface can word them in another language (the validator's
 * `message` stays the English text). Each code names the problem; its fields are what the text
 * needs: node ids and dataset ids (the interface names them), numbers, and shapes already formatted ("[7, 7, 64]").
 * Every problem the validators report carries one.
 */
export type ProblemDetail =
  // Roles the graph does not honour, on the model node.
  | { code: 'neverTrained' }
  | { code: 'teachesButNeverTrained' }
  | { code: 'assistantTeachesNobody' }
  | { code: 'teacherIdle' }
  | { code: 'lonePeer'; trainer: string; instead: 'assistant' | 'student' }
  | { code: 'identicalStart'; twin: string; seed: number; teacher: boolean }
  // The graph as a whole (nodeId null) and the dataset.
  | { code: 'noDataset' }
  | { code: 'extraDataset' }
  | { code: 'userDatasetMissing'; datasetId: string }
  | { code: 'noLearner' }
  | { code: 'noTrainer' }
  | { code: 'unknownDataset'; datasetId: string; known: string[] }
  | { code: 'trainSubsetTooBig'; dataset: string; trainCount: number; trainSubset: number | null; validation: number }
  | { code: 'testSubsetTooBig'; dataset: string; testCount: number }
  | { code: 'samplerOneClass'; batchSize: number; perClass: number }
  | { code: 'samplerTooFewClasses'; batchSize: number; perClass: number; dataset: string; classes: number; spread: string }
  // Models.
  | { code: 'imagesUnconnected' }
  | { code: 'outputUnits'; units: number; classes: number; dataset: string }
  | { code: 'teacherDefaults' }
  | { code: 'architectureInvalid'; layer: string | null }
  | { code: 'teacherSubsetTooBig'; dataset: string; trainCount: number; subset: number; validation: number }
  // Guide and Guided nodes, adapters, auxiliary classifiers, ensembles.
  | { code: 'tapUnconnected'; side: 'teacher' | 'student' }
  | { code: 'tapNoLayer'; model: string }
  | { code: 'tapNoSuchLayer'; model: string; layer: string; layers: string[] }
  | { code: 'tapFeedsNoLoss' }
  | AdapterProblem
  | { code: 'headUnconnected' }
  | { code: 'headInputShape'; model: string; layer: string; shape: string }
  | { code: 'headFeedsNoLoss' }
  | { code: 'ensembleTooFew'; minimum: number; members: string[] }
  | { code: 'ensembleClasses'; members: { model: string; classes: string }[] }
  // Losses.
  | { code: 'unknownLoss'; lossId: string }
  | { code: 'lossPortUnconnected'; port: string; from: 'data' | 'teacher' | 'student' }
  /** The loss's own shape rule refuses its inputs (each registry entry words its reason in English). */
  | { code: 'lossShapes'; shapes: { port: string; shape: string }[] }
  | { code: 'needsFeatureMaps'; models: string[]; teacherPreset: string; learnerPreset: string }
  | { code: 'teacherSideTrains'; model: string }
  | { code: 'lossInNoTrainer' }
  // Trainers and stages.
  | { code: 'trainerNoLosses' }
  | { code: 'allWeightsZero' }
  | { code: 'allCutBySchedule'; fromEpoch: number; lastCutoff: number }
  | { code: 'batchTooSmall'; loss: string; needed: number; images: number; batchSize: number; smallest: number }
  | { code: 'scheduleNotOfStage'; loss: string }
  | { code: 'scheduleAfterEnd'; loss: string; atEpoch: number; epochs: number }
  | { code: 'warmupTooLong'; loss: string; warmup: number; epochs: number }
  | { code: 'stagesLoop' }
  | { code: 'trainUpToUnknown'; layer: string; models: string[] }
  | { code: 'trainUpToPartial'; layer: string; having: string[]; whole: string[] }
  | { code: 'trainUpToNoWeights'; layer: string; models: string[] }
  | { code: 'pruningNoLayers'; method: 'magnitude' | 'channel'; models: string[] }
  | { code: 'chainTrainsNothing' }
  | { code: 'trainedTwice'; model: string; other: string; otherLast: string }
  | { code: 'teachingLoop'; trainers: string[] }
  | { code: 'exportUnconnected' }
  /** An edge drawn earlier that a later change broke: the refusal a new edge would get. */
  | { code: 'edgeRefused'; refusal: ConnectionRefusal }
  /** The validator itself failed (a bug): shown rather than taking the editor down. */
  | { code: 'validationFailed'; error: string };

/** Why no adapter fits a guided layer (shapes formatted). */
export type AdapterProblem =
  | { code: 'adapterConflict'; first: string; second: string }
  | { code: 'adapterNoneButShapesDiffer'; student: string; teacher: string }
  | { code: 'adapterImpossible'; student: string; teacher: string }
  | { code: 'adapterDenseNeedsVectors'; student: string; teacher: string }
  | { code: 'adapterConvNeedsMaps'; kind: string; student: string; teacher: string };

export type ProblemCode = ProblemDetail['code'];

/** Every code once: a missing or unknown key fails the typecheck, so `problemCodes` is complete. */
const everyCode: { [C in ProblemCode]: true } = {
  neverTrained: true, teachesButNeverTrained: true, assistantTeachesNobody: true, teacherIdle: true, lonePeer: true,
  identicalStart: true, noDataset: true, extraDataset: true, userDatasetMissing: true, noLearner: true, noTrainer: true, unknownDataset: true,
  trainSubsetTooBig: true, testSubsetTooBig: true, samplerOneClass: true, samplerTooFewClasses: true,
  imagesUnconnected: true, outputUnits: true, teacherDefaults: true, architectureInvalid: true, teacherSubsetTooBig: true,
  tapUnconnected: true, tapNoLayer: true, tapNoSuchLayer: true, tapFeedsNoLoss: true,
  adapterConflict: true, adapterNoneButShapesDiffer: true, adapterImpossible: true, adapterDenseNeedsVectors: true, adapterConvNeedsMaps: true,
  headUnconnected: true, headInputShape: true, headFeedsNoLoss: true, ensembleTooFew: true, ensembleClasses: true,
  unknownLoss: true, lossPortUnconnected: true, lossShapes: true, needsFeatureMaps: true, teacherSideTrains: true, lossInNoTrainer: true,
  trainerNoLosses: true, allWeightsZero: true, allCutBySchedule: true, batchTooSmall: true, scheduleNotOfStage: true,
  scheduleAfterEnd: true, warmupTooLong: true, stagesLoop: true, trainUpToUnknown: true, trainUpToPartial: true,
  trainUpToNoWeights: true, pruningNoLayers: true, chainTrainsNothing: true, trainedTwice: true, teachingLoop: true, exportUnconnected: true, edgeRefused: true, validationFailed: true,
};

/** Every code, at run time: a test checks each has a text in every language. */
export const problemCodes = Object.keys(everyCode) as ProblemCode[];
