/**
 * What is wrong with an experiment file, as data: the readers (read.ts, serialize.ts) throw an
 * ExperimentFileError carrying one of these beside the path, and the English sentence is made here
 * (app/i18n/fileProblemsZh.ts words the same data in Chinese). `got` is describeValue's text.
 */
export type FileProblem =
  | { code: 'invalidJson'; error: string }
  | { code: 'noSchemaVersion' }
  | { code: 'schemaTooNew'; version: number; supported: number }
  | { code: 'schemaNoMigration'; version: number; supported: number }
  | { code: 'notObject'; got: string }
  | { code: 'missing' }
  | { code: 'unknownField'; expected: string[] }
  | { code: 'notArray'; got: string }
  | { code: 'notString'; got: string }
  | { code: 'empty' }
  | { code: 'notBoolean'; got: string }
  | { code: 'notNumber'; got: string }
  | { code: 'notWholeNumber'; got: number }
  | { code: 'belowMin'; min: number; got: number }
  | { code: 'aboveMax'; max: number; got: number }
  | { code: 'notOneOf'; choices: string[]; got: string }
  | { code: 'inputShapeLength'; count: number }
  | { code: 'padsLength'; count: number }
  | { code: 'unknownNode'; node: string }
  | { code: 'notAPort'; port: string; direction: 'input' | 'output'; kind: string; node: string }
  | { code: 'duplicateNodeId'; id: string }
  | { code: 'duplicateEdgeId'; id: string };

/** Problems that are whole sentences; the others follow the path ("nodes[3].params.weight must be ..."). */
export const SENTENCE_PROBLEMS: ReadonlySet<FileProblem['code']> = new Set(['invalidJson']);

/** The English predicate (or sentence) of a problem. */
export function englishFileProblem(problem: FileProblem): string {
  switch (problem.code) {
    case 'invalidJson': return `The file is not valid JSON (${problem.error}); open an experiment .json file saved by the studio.`;
    case 'noSchemaVersion': return 'is missing: this is not a studio experiment file.';
    case 'schemaTooNew': return `is ${problem.version}, newer than this studio understands (${problem.supported}): update the studio to open this file.`;
    case 'schemaNoMigration': return `is ${problem.version}, and no migration leads from it to version ${problem.supported}: this file cannot be opened.`;
    case 'notObject': return `must be an object (got ${problem.got}).`;
    case 'missing': return 'is missing.';
    case 'unknownField': return `is not a known field (expected: ${problem.expected.join(', ')}).`;
    case 'notArray': return `must be an array (got ${problem.got}).`;
    case 'notString': return `must be a string (got ${problem.got}).`;
    case 'empty': return 'must not be empty.';
    case 'notBoolean': return `must be true or false (got ${problem.got}).`;
    case 'notNumber': return `must be a number (got ${problem.got}).`;
    case 'notWholeNumber': return `must be a whole number (got ${problem.got}).`;
    case 'belowMin': return `must be at least ${problem.min} (got ${problem.got}).`;
    case 'aboveMax': return `must be at most ${problem.max} (got ${problem.got}).`;
    case 'notOneOf': return `must be one of ${problem.choices.map((choice) => `'${choice}'`).join(', ')} (got ${problem.got}).`;
    case 'inputShapeLength': return `must be [H, W, C] (got ${problem.count} numbers).`;
    case 'padsLength': return `must be [top, bottom, left, right] (got ${problem.count} numbers).`;
    case 'unknownNode': return `refers to node '${problem.node}', which is not in the file.`;
    case 'notAPort': return `'${problem.port}' is not an ${problem.direction} port of ${problem.kind} node '${problem.node}'.`;
    case 'duplicateNodeId': return `'${problem.id}' is used by two nodes; node ids must be unique.`;
    case 'duplicateEdgeId': return `'${problem.id}' is used by two edges; edge ids must be unique.`;
  }
}
