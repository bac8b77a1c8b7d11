import type { StateCreator } from 'zustand';
import type { MeasuredChoice } from '../../src/backendChoice';
import type { ExperimentFile } from '../../src/graph/schema';
import type {
  BackendName,
  BackendPreference,
  EpochMetrics,
  LogDetail,
  PhaseDone,
  ProbeSnapshot,
  ProgressEvent,
  RunErrorDetail,
  TrainedModel,
} from '../../src/protocol';
import type { ExperimentResults } from '../../src/results';
import type { PhaseKind, RunSelection, TrainingPlan } from '../../src/train/plan';
import { initialBackendPreference, storeBackendPreference } from '../run/backendPreference';
import { browserStorage } from '../run/backendProbeStore';
import { createRunController } from '../run/runController';
import { MAX_SWEEP_SEEDS, type SeedSweep } from '../run/seedSweep';
import type { ParamSweep } from '../run/paramSweep';
import type { RequestedSweepAxis } from '../run/runController';

/**
 * The run slice: everything the toolbar and the dashboard show about a training run.
 * All run data lives under one `run` key so the combined store can leave it out of persistence
 * and a new run resets it in one assignment. The worker itself lives in the run controller,
 * never in the state (it is not serialisable).
 */

export type RunStatus = 'idle' | 'running' | 'paused' | 'stopped' | 'finished' | 'error';

/** A run that holds the worker: running or paused. */
export const isRunActive = (status: RunStatus): boolean => status === 'running' || status === 'paused';

export interface LogLine {
  /** English, or the sentence the page wrote; shown when there is no detail. */
  message: string;
  warning: boolean;
  /** The worker's line as data, worded in the interface language when shown. */
  detail?: LogDetail;
}

export interface LossPoint {
  step: number;
  epoch: number;
  total: number;
  /** Weighted loss terms keyed by loss node id (`ce:<model id>` for teacher and baseline phases). */
  terms: Record<string, number>;
  /** Numbers of loss modules' own steps (adversarial KD's discriminator), keyed `<loss node id>:<name>`. */
  metrics: Record<string, number>;
}

/** Step metrics of one phase, thinned to at most a few hundred points for the charts. */
export interface LossSeries {
  phaseId: string;
  kind: PhaseKind;
  /** The phase's label (from the plan, else from its progress events, else its id). */
  label: string;
  /** Only steps that are multiples of `stride` are kept; it doubles whenever the series fills. */
  stride: number;
  points: LossPoint[];
}

export interface FspDistancePoint {
  step: number;
  /** FSP block id -> distance between the matrices of the block's two sides (teacher side, student side). */
  distances: Record<string, number>;
}

export type RunErrorKind = 'diverged' | 'invalid-plan' | 'data' | 'backend' | 'internal' | 'crash' | 'graph';

export interface RunError {
  kind: RunErrorKind;
  /** What happened and what to do. */
  message: string;
  /** Graph problems that block Run, one reason each. */
  problems: string[];
  lossTerm?: string;
  /** The worker's error as data, worded in the interface language when shown. */
  detail?: RunErrorDetail;
}

/** Where a phase was when the user stopped the run: its models are stopped there, not "not run". */
export interface StoppedAt {
  phaseId: string;
  step: number;
  stepsTotal: number;
  epoch: number;
  epochs: number;
}

export interface RunData {
  status: RunStatus;
  /** Stop was pressed and the worker has not confirmed yet (it finishes the step in flight first). */
  stopping: boolean;
  runId: string | null;
  selection: RunSelection | null;
  /** The compiled plan of this run: phase and model labels and roles for the views (null when restored). */
  plan: TrainingPlan | null;
  /** `reason` is the worker's English; `measured`, when Auto measured, lets the badge word it in the interface language. */
  backend: { name: BackendName; reason: string; measured?: MeasuredChoice; threads?: number } | null;
  progress: ProgressEvent | null;
  /** Keyed by phase id, in the order the phases first reported a step. */
  lossSeries: Record<string, LossSeries>;
  /** Keyed by model id: each trained model's epochs in order (stages of a phase follow one another). */
  epochMetrics: Record<string, EpochMetrics[]>;
  probe: ProbeSnapshot | null;
  /** Keyed by phase id: the FSP distances of that phase's probe snapshots. */
  fspHistory: Record<string, FspDistancePoint[]>;
  phasesDone: PhaseDone[];
  results: ExperimentResults | null;
  error: RunError | null;
  log: LogLine[];
  /** Trained models other than teachers, keyed by model id, for export. */
  trainedModels: Record<string, TrainedModel>;
  startedAt: number | null;
  /** Set when `results` were restored from the run journal at start-up; `notice` when that run was cut off. */
  restored: { notice: string | null } | null;
  /** The seed sweep this run belongs to; carried from each seed's run to the next. */
  sweep: SeedSweep | null;
  /** The parameter sweep this run belongs to (never together with a seed sweep); carried from run to run. */
  paramSweep: ParamSweep | null;
  /** Set when the worker confirmed a stop during a phase. */
  stoppedAt: StoppedAt | null;
}

export interface RunSlice {
  run: RunData;
  backendPreference: BackendPreference;
  /** How many student seeds Run trains (a seed sweep when more than one); 1 by default. */
  seedCount: number;
  /**
   * Compiles the current experiment and starts the selected phases; graph problems block it.
   * Runs that train both the baseline and the student repeat over `seedCount` seeds (a gain needs both).
   */
  startRun: (runs: RunSelection) => void;
  pauseRun: () => void;
  resumeRun: () => void;
  stopRun: () => void;
  /** Queues one run per value (per pair of values for two parameters); refused with the reason when a variant fails the graph check. */
  startParamSweep: (axes: RequestedSweepAxis[]) => void;
  /** The user's choice in the selector: remembered across reloads (a `?backend=` URL still overrides it). */
  setBackendPreference: (preference: BackendPreference) => void;
  setSeedCount: (count: number) => void;
}

/** What the run slice needs from the rest of the store (the graph slice). */
export interface RunSliceDeps {
  experiment: ExperimentFile;
}

export type RunSliceStore = RunSlice & RunSliceDeps;

export const ALL_PHASES: RunSelection = { teacher: true, baseline: true, student: true };

export function initialRunData(): RunData {
  return {
    status: 'idle',
    stopping: false,
    runId: null,
    selection: null,
    plan: null,
    backend: null,
    progress: null,
    lossSeries: {},
    epochMetrics: {},
    probe: null,
    fspHistory: {},
    phasesDone: [],
    results: null,
    error: null,
    log: [],
    trainedModels: {},
    startedAt: null,
    restored: null,
    sweep: null,
    paramSweep: null,
    stoppedAt: null,
  };
}

export const createRunSlice: StateCreator<RunSliceStore, [], [], RunSlice> = (set, get) => {
  const controller = createRunController({
    getExperiment: () => get().experiment,
    getRun: () => get().run,
    getBackendPreference: () => get().backendPreference,
    updateRun: (update) => set((state) => ({ run: update(state.run) })),
  });
  return {
    run: initialRunData(),
    backendPreference: initialBackendPreference(typeof window === 'undefined' ? null : window.location.search, browserStorage()),
    seedCount: 1,
    startRun: (runs) => controller.start(runs, runs.baseline && runs.student ? get().seedCount : 1),
    pauseRun: () => controller.send({ type: 'pause' }),
    resumeRun: () => controller.send({ type: 'resume' }),
    stopRun: () => controller.stop(),
    startParamSweep: (axes) => controller.startParamSweep(axes),
    setBackendPreference: (preference) => {
      storeBackendPreference(browserStorage(), preference);
      set({ backendPreference: preference });
    },
    setSeedCount: (count) => set({ seedCount: Number.isFinite(count) ? Math.min(MAX_SWEEP_SEEDS, Math.max(1, Math.round(count))) : 1 }),
  };
};
