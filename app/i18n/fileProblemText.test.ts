import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { englishFileProblem, type FileProblem } from '../../src/graph/fileProblems';
import { ExperimentFileError, parseExperiment } from '../../src/graph/serialize';
import { fileErrorText, fileProblemZh } from './fileProblemText';

const chinese = /[\u4e00-\u9fff]/;

/** One sample per code; typed as a full map, so a new code without a sample fails the typecheck. */
const samples: { [C in FileProblem['code']]: Extract<FileProblem, { code: C }> } = {
  invalidJson: { code: 'invalidJson', error: 'Unexpected token } in JSON at position 12' },
  noSchemaVersion: { code: 'noSchemaVersion' },
  schemaTooNew: { code: 'schemaTooNew', version: 9, supported: 2 },
  schemaNoMigration: { code: 'schemaNoMigration', version: 0, supported: 2 },
  notObject: { code: 'notObject', got: 'an array' },
  missing: { code: 'missing' },
  unknownField: { code: 'unknownField', expected: ['weight', 'temperature'] },
  notArray: { code: 'notArray', got: 'an object' },
  notString: { code: 'notString', got: '42' },
  empty: { code: 'empty' },
  notBoolean: { code: 'notBoolean', got: '"yes"' },
  notNumber: { code: 'notNumber', got: '"0.5"' },
  notWholeNumber: { code: 'notWholeNumber', got: 2.5 },
  belowMin: { code: 'belowMin', min: 1, got: 0 },
  aboveMax: { code: 'aboveMax', max: 10, got: 1e12 },
  notOneOf: { code: 'notOneOf', choices: ['sgd', 'adam'], got: '"rmsprop"' },
  inputShapeLength: { code: 'inputShapeLength', count: 2 },
  padsLength: { code: 'padsLength', count: 3 },
  unknownNode: { code: 'unknownNode', node: 'ghost' },
  notAPort: { code: 'notAPort', port: 'logits', direction: 'input', kind: 'dataset', node: 'data' },
  duplicateNodeId: { code: 'duplicateNodeId', id: 'student' },
  duplicateEdgeId: { code: 'duplicateEdgeId', id: 'e1' },
};

const hinton = () => JSON.parse(readFileSync('public/presets/hinton-mnist.json', 'utf8')) as {
  schemaVersion?: number; nodes: { id: string; kind: string; params: Record<string, unknown> }[]; edges: { id: string; targetPort: string }[];
};

function parseError(text: string): ExperimentFileError {
  try {
    parseExperiment(text);
  } catch (error) {
    if (error instanceof ExperimentFileError) return error;
    throw error;
  }
  throw new Error('the file parsed');
}

describe('experiment file problems in Chinese', () => {
  it('word every code in Chinese with its values', () => {
    for (const problem of Object.values(samples)) {
      const text = fileProblemZh(problem);
      expect(text, problem.code).toMatch(chinese);
      expect(text, problem.code).not.toMatch(/undefined|must|is not|missing/);
      for (const [key, value] of Object.entries(problem)) {
        if (key === 'code' || key === 'direction' || key === 'got' && typeof value === 'string' && value.startsWith('an ')) continue;
        for (const item of Array.isArray(value) ? value : [value]) expect(text, `${problem.code}.${key}`).toContain(String(item));
      }
    }
  });

  const broken: [string, (file: ReturnType<typeof hinton>) => string][] = [
    ['a learning rate above the maximum', (file) => {
      const trainer = file.nodes.find((node) => node.kind === 'trainer');
      if (trainer) trainer.params.learningRate = 1e12;
      return JSON.stringify(file);
    }],
    ['an unknown field', (file) => JSON.stringify({ ...file, colour: 'red' })],
    ['two nodes with one id', (file) => JSON.stringify({ ...file, nodes: [...file.nodes, file.nodes[0]] })],
    ['an edge into a port that does not exist', (file) => {
      file.edges[0].targetPort = 'nowhere';
      return JSON.stringify(file);
    }],
    ['no schema version', (file) => JSON.stringify({ ...file, schemaVersion: undefined })],
    ['text that is not JSON', (file) => JSON.stringify(file).slice(0, 100)],
  ];

  it.each(broken)('a real file with %s: English as thrown, Chinese with the same path', (_, breakFile) => {
    const error = parseError(breakFile(hinton()));
    expect(fileErrorText(error, 'en')).toBe(error.message);
    expect(error.message).toContain(englishFileProblem(error.problem));
    const zh = fileErrorText(error, 'zh');
    expect(zh).toMatch(chinese);
    if (error.path !== '') expect(zh.startsWith(`${error.path} `)).toBe(true);
    expect(zh).not.toMatch(/\b(must|is not|missing|used by)\b/);
  });
});
