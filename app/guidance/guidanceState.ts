import type { GuidanceLayers } from '../../src/graph/guidancePaths';
import { edgesInto, nodeById } from '../../src/graph/queries';
import type { ExperimentFile } from '../../src/graph/schema';
import type { BackendName, GuidanceWorkerMessage } from '../../src/protocol';
import type { Spread } from '../../src/seedStatistics';
import type { GuidanceReport, GuidanceResult, GuidanceSearchOptions } from '../../src/train/guidanceSearch';
import type { guidanceTexts } from '../i18n/catalogs/guidance';

type GuidanceTexts = (typeof guidanceTexts)['en'];

/**
 * What the inspector shows of a guidance-path search, and how the worker's messages fold into it.
 * Pure: the store's guidance slice holds it, the controller feeds it, the tests drive it directly.
 */

/** The inspector's fields; validation and test images are the search's defaults (1000 and 2000). */
export interface GuidanceSettings {
  trainSubset: number;
  epochs: number;
  seeds: number;
  maxCandidates: number;
  layers: GuidanceLayers;
}

export const DEFAULT_GUIDANCE_SETTINGS: GuidanceSettings = { trainSubset: 2000, epochs: 1, seeds: 1, maxCandidates: 6, layers: 'all' };

export const searchOptionsOf = (settings: GuidanceSettings): GuidanceSearchOptions => ({ ...settings });

export type GuidanceStatus = 'idle' | 'running' | 'stopping' | 'done' | 'failed';

export interface GuidanceError {
  /** 'request': the graph or settings need changing; 'internal' and 'crash': try again or another backend. */
  kind: 'request' | 'internal' | 'crash';
  message: string;
}

/** The pairing being trained now: k of N (0-based index), and the seed when there are several. */
export interface GuidanceCurrentRun {
  index: number;
  total: number;
  seedOffset: number;
  seeds: number;
  teacherLayerId: string;
  studentLayerId: string;
}

export interface GuidanceSearchState {
  status: GuidanceStatus;
  searchId: string | null;
  lossNodeId: string | null;
  /** The graph slice's loadGeneration when the search started: a result never shows in another experiment. */
  generation: number;
  backend: { name: BackendName; reason: string } | null;
  current: GuidanceCurrentRun | null;
  /** Within the current run: the phase training and the run's fraction done. */
  step: { phaseLabel: string; fractionDone: number } | null;
  /** Pairings finished so far, in the order they ran (the report ranks them). */
  finished: GuidanceResult[];
  report: GuidanceReport | null;
  error: GuidanceError | null;
  warnings: string[];
}

const MAX_WARNINGS = 20;

export function idleGuidance(): GuidanceSearchState {
  return {
    status: 'idle', searchId: null, lossNodeId: null, generation: 0, backend: null,
    current: null, step: null, finished: [], report: null, error: null, warnings: [],
  };
}

export function startedGuidance(searchId: string, lossNodeId: string, generation: number): GuidanceSearchState {
  return { ...idleGuidance(), status: 'running', searchId, lossNodeId, generation };
}

export const isGuidanceActive = (status: GuidanceStatus): boolean => status === 'running' || status === 'stopping';

/** Folds one worker message into the state; messages of another search (a stopped one's late ones) change nothing. */
export function applyGuidanceMessage(state: GuidanceSearchState, message: GuidanceWorkerMessage): GuidanceSearchState {
  if (message.searchId !== state.searchId || !isGuidanceActive(state.status)) return state;
  switch (message.type) {
    case 'backend':
      return { ...state, backend: { name: message.backend, reason: message.reason } };
    case 'pairing': {
      const { progress } = message;
      if (progress.type === 'candidate') return { ...state, finished: [...state.finished, progress.result] };
      const { index, total, seedOffset, seeds, teacherLayerId, studentLayerId } = progress;
      return { ...state, current: { index, total, seedOffset, seeds, teacherLayerId, studentLayerId }, step: null };
    }
    case 'step':
      return { ...state, step: { phaseLabel: message.phaseLabel, fractionDone: message.fractionDone } };
    case 'log':
      return { ...state, warnings: [...state.warnings, message.message].slice(-MAX_WARNINGS) };
    case 'report':
      return { ...state, status: 'done', report: message.report, current: null, step: null };
    case 'failed':
      return { ...state, status: 'failed', error: { kind: message.kind, message: message.message }, current: null, step: null };
  }
}

/** The worker died: the search ends with what to do; the graph was never the worker's to lose. */
export function crashedGuidance(state: GuidanceSearchState, detail: string): GuidanceSearchState {
  if (!isGuidanceActive(state.status)) return state;
  const message = `The guidance search worker crashed: ${detail}. Your graph is kept; search again with fewer training images ` +
    'or pairings, or pick another backend in the toolbar.';
  return { ...state, status: 'failed', error: { kind: 'crash', message }, current: null, step: null };
}

/** Fraction of the whole search done: finished runs plus the current one's fraction, over pairings x seeds. */
export function searchFraction(state: GuidanceSearchState): number {
  const { current } = state;
  if (current === null) return state.status === 'done' ? 1 : 0;
  const runs = current.total * current.seeds;
  const done = current.index * current.seeds + current.seedOffset + (state.step?.fractionDone ?? 0);
  return runs === 0 ? 0 : Math.min(1, done / runs);
}

/** "Pairing 2 of 6: teacher relu5 → student flatten (seed 2 of 3)", in the language of `tx`. */
export function currentRunText(current: GuidanceCurrentRun, tx: Pick<GuidanceTexts, 'pairingOf' | 'seedOf'>): string {
  const seed = current.seeds > 1 ? tx.seedOf(current.seedOffset + 1, current.seeds) : '';
  return tx.pairingOf(current.index + 1, current.total, current.teacherLayerId, current.studentLayerId) + seed;
}

/** The layers the block is wired to now, as "teacher>student" (a string, so a store selector stays stable); null when unwired. */
export function drawnPairing(experiment: ExperimentFile, lossNodeId: string): string | null {
  const layer = (port: string): string | null => {
    const source = nodeById(experiment, edgesInto(experiment, lossNodeId, port)[0]?.source ?? '');
    return source?.kind === 'guide' || source?.kind === 'guided' ? source.params.layerId : null;
  };
  const teacher = layer('guide');
  const student = layer('guided');
  return teacher === null || student === null ? null : pairingKey(teacher, student);
}

export const pairingKey = (teacherLayerId: string, studentLayerId: string): string => `${teacherLayerId}>${studentLayerId}`;

/** "95.20%" for one run, "95.20 ± 0.41%" (sample sd) over several seeds, "--" when none finished. */
export function formatSpread(s: Spread | null): string {
  if (s === null) return '--';
  return s.n > 1 ? `${(s.mean * 100).toFixed(2)} ± ${(s.sd * 100).toFixed(2)}%` : `${(s.mean * 100).toFixed(2)}%`;
}
