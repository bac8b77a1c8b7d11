/**
 * Path-aware readers for untrusted JSON: each returns the typed value or throws an
 * ExperimentFileError whose message starts with the path of the problem
 * (e.g. "nodes[3].params.weight must be a number (got "0.5")").
 */

import { englishFileProblem, SENTENCE_PROBLEMS, type FileProblem } from './fileProblems';

export class ExperimentFileError extends Error {
  /** `path` is where in the file ('' for the file as a whole); `problem` what is wrong there, as data. */
  constructor(readonly path: string, readonly problem: FileProblem) {
    const english = englishFileProblem(problem);
    super(SENTENCE_PROBLEMS.has(problem.code) ? english : `${path === '' ? 'The experiment file' : path} ${english}`);
    this.name = 'ExperimentFileError';
  }
}

export function fail(path: string, problem: FileProblem): never {
  throw new ExperimentFileError(path, problem);
}

export const at = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  return String(value);
}

/**
 * An object with exactly the allowed keys: missing required keys and unknown keys (typos) are
 * errors, so a file never loads with a silently ignored setting.
 */
export function readObject(
  value: unknown, path: string, required: readonly string[], optional: readonly string[] = [],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(path, { code: 'notObject', got: describeValue(value) });
  }
  const record = value as Record<string, unknown>;
  for (const key of required) {
    if (!(key in record)) fail(at(path, key), { code: 'missing' });
  }
  const allowed = new Set([...required, ...optional]);
  for (const key of Object.keys(record)) {
    if (!allowed.has(key)) {
      fail(at(path, key), { code: 'unknownField', expected: [...allowed] });
    }
  }
  return record;
}

/** A plain object whose keys are free (e.g. loss params, weight schedules by node id). */
export function readRecord(value: unknown, path: string): Record<string, unknown> {
  return readObject(value, path, [], Object.keys(typeof value === 'object' && value !== null ? value : {}));
}

export function readArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, { code: 'notArray', got: describeValue(value) });
  return value;
}

export function readString(value: unknown, path: string, nonEmpty = false): string {
  if (typeof value !== 'string') fail(path, { code: 'notString', got: describeValue(value) });
  if (nonEmpty && value.trim() === '') fail(path, { code: 'empty' });
  return value;
}

export function readBoolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, { code: 'notBoolean', got: describeValue(value) });
  return value;
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

export function readNumber(value: unknown, path: string, rule: NumberRule = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    fail(path, { code: 'notNumber', got: describeValue(value) });
  }
  if (rule.integer === true && !Number.isInteger(value)) fail(path, { code: 'notWholeNumber', got: value });
  if (rule.min !== undefined && value < rule.min) fail(path, { code: 'belowMin', min: rule.min, got: value });
  if (rule.max !== undefined && value > rule.max) fail(path, { code: 'aboveMax', max: rule.max, got: value });
  return value;
}

export function readChoice<C extends string>(value: unknown, path: string, choices: readonly C[]): C {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    fail(path, { code: 'notOneOf', choices: [...choices], got: describeValue(value) });
  }
  return value as C;
}
