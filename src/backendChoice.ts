import type { BackendName, BackendPreference } from './protocol';

/**
 * Auto's choice of backend from measured numbers: the worker times a few real training steps per
 * backend (workers/backend.ts); this module decides, from those numbers and what the GPU adapters
 * say about themselves, which backend to use and why, in words the badge shows. Pure: no timing,
 * no browser globals, so every rule is unit-tested with given numbers.
 */

export const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'CPU' };

/** Among equally fast backends Auto prefers the earlier one. */
export const AUTO_PREFERENCE: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * The order Auto measures in: WebAssembly first, since it runs everywhere and gives the number a
 * GPU has to beat; CPU last, as it is only needed when WebAssembly cannot run.
 */
export const PROBE_ORDER: readonly BackendName[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

/** Bumped whenever the probe measures differently, so stored measurements of an older probe are not reused. */
export const PROBE_VERSION = 2;

/** What a GPU adapter says about itself, read before any training. */
export interface AdapterFacts {
  /** Vendor, architecture or renderer string, for the fingerprint and the reason. */
  description: string;
  /** A CPU pretending to be a GPU (SwiftShader, llvmpipe, a fallback adapter). */
  software: boolean;
}

/** Why a backend was not timed, as data, so the page can say it in its language. */
export type SkipWhy =
  | { code: 'slowerThanWasm' }
  | { code: 'noAdapter' }
  | { code: 'softwareAdapter'; adapter: string }
  | { code: 'firstStepSlow'; seconds: number };

/** `reason` is English (an error's own message for a failure); `why` is set for a skip (absent in older stored records). */
export type ProbeOutcome =
  | { backend: BackendName; status: 'measured'; samplesPerSecond: number; adapter?: AdapterFacts }
  | { backend: BackendName; status: 'skipped' | 'failed'; reason: string; why?: SkipWhy; adapter?: AdapterFacts };

/** The words of a measured reason; English here, Chinese in app/i18n/backendWords.ts. */
export interface BackendWords {
  speed(samplesPerSecond: number): string;
  /** Follows a backend's label or the winner's speed. */
  softwareAdapter: string;
  auto(speed: string): string;
  /** The other measured backends, appended after the winner. */
  versus(items: string[]): string;
  /** The backends not measured, appended last. */
  unmeasured(items: string[]): string;
  failed(label: string, reason: string): string;
  skipped(label: string, reason: string): string;
  skip(why: SkipWhy): string;
  stored(reason: string, date: string): string;
}

export const englishBackendWords: BackendWords = {
  speed: (samplesPerSecond) => `${roundSpeed(samplesPerSecond).toLocaleString('en-US')} samples/s`,
  softwareAdapter: ' (software adapter)',
  auto: (speed) => `Auto: ${speed}`,
  versus: (items) => ` vs ${items.join(', ')}`,
  unmeasured: (items) => `; ${items.join('; ')}`,
  failed: (label, reason) => `${label} failed (${reason})`,
  skipped: (label, reason) => `${label} skipped (${reason})`,
  skip: (why) => {
    switch (why.code) {
      case 'slowerThanWasm': return 'always slower than WebAssembly';
      case 'noAdapter': return 'no adapter';
      case 'softwareAdapter': return `${why.adapter} emulates a GPU on the CPU`;
      case 'firstStepSlow': return `first step took ${why.seconds.toFixed(1)} s, stopped`;
    }
  },
  stored: (reason, date) => `${reason} (measured ${date} on this device; Re-measure to repeat)`,
};

/** Speeds as the badge shows them: whole samples from 100 up, one decimal below. */
export function roundSpeed(samplesPerSecond: number): number {
  return samplesPerSecond >= 100 ? Math.round(samplesPerSecond) : Math.round(samplesPerSecond * 10) / 10;
}

/** One device's measurement, stored by the page and sent back with later runs. */
export interface BackendProbeRecord {
  version: number;
  fingerprint: string;
  /** ISO date and time of the measurement. */
  measuredAt: string;
  /** How long measuring took, for the record. */
  durationMs?: number;
  outcomes: ProbeOutcome[];
}

export interface BackendDecision {
  backend: BackendName;
  reason: string;
}

/**
 * How the workers' sessions pick a backend: workers/backend.ts in the browser, a stub in Node tests.
 * `probe` is set when Auto measured during the call, for the page to store; `threads` on wasm.
 */
export type ChooseBackend = (
  preference: BackendPreference,
  options: { knownProbes?: readonly BackendProbeRecord[] },
) => Promise<BackendDecision & { probe?: BackendProbeRecord; measured?: MeasuredChoice; threads?: number }>;

const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i;

export function isSoftwareRenderer(text: string): boolean {
  return SOFTWARE_RENDERER.test(text);
}

/** A short name for a software adapter's reason ("SwiftShader"), not the whole renderer string. */
export function softwareAdapterName(adapter: AdapterFacts): string {
  const match = SOFTWARE_RENDERER.exec(adapter.description);
  if (match === null) return 'a fallback adapter';
  return /swiftshader/i.test(match[0]) ? 'SwiftShader' : match[0];
}

/** Fields of GPUAdapterInfo (or the older requestAdapterInfo()); any may be empty. */
export interface WebGpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

export function webGpuAdapterFacts(info: WebGpuAdapterInfo, isFallbackAdapter: boolean): AdapterFacts {
  const description = [info.vendor, info.architecture, info.device, info.description]
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join(' ') || 'unknown adapter';
  return { description, software: isFallbackAdapter || isSoftwareRenderer(description) };
}

/** From WebGL's UNMASKED_RENDERER_WEBGL (or RENDERER when the debug extension is missing). */
export function webGlAdapterFacts(renderer: string): AdapterFacts {
  return { description: renderer || 'unknown renderer', software: isSoftwareRenderer(renderer) };
}

export interface DeviceFacts {
  userAgent: string;
  hardwareConcurrency: number;
  webgpu: AdapterFacts | null;
  webgl: AdapterFacts | null;
}

/** Identifies a device and browser: a new browser version, GPU or driver measures again. */
export function deviceFingerprint(facts: DeviceFacts): string {
  return [
    facts.userAgent,
    `cores=${facts.hardwareConcurrency}`,
    `webgpu=${facts.webgpu?.description ?? 'none'}`,
    `webgl=${facts.webgl?.description ?? 'none'}`,
  ].join(' | ');
}

/** The stored measurement of this device by the current probe, if any. */
export function findProbeRecord(records: readonly BackendProbeRecord[], fingerprint: string): BackendProbeRecord | null {
  return records.find((record) => record.version === PROBE_VERSION && record.fingerprint === fingerprint) ?? null;
}

export type ProbeStep = { measure: true; software: boolean } | { measure: false; reason: string; why: SkipWhy };

function skipStep(why: SkipWhy): ProbeStep {
  return { measure: false, reason: englishBackendWords.skip(why), why };
}

const hasMeasured = (outcomes: readonly ProbeOutcome[], backend: BackendName): boolean =>
  outcomes.some((outcome) => outcome.backend === backend && outcome.status === 'measured');

/**
 * Whether to time `backend`, given its adapter and what is measured so far (WebAssembly first).
 * CPU (plain JavaScript) is never faster than WebAssembly, so it is timed only when WebAssembly
 * could not be. A software GPU adapter is a GPU emulated on the CPU: its first step alone compiles
 * shaders for seconds (8 to 40 s seen on the 2-core machine), and a step cannot be cut short, so it
 * is timed only when WebAssembly failed (then under the short budget, `software: true`).
 */
export function planProbe(backend: BackendName, adapter: AdapterFacts | null, measured: readonly ProbeOutcome[]): ProbeStep {
  if (backend === 'cpu' && hasMeasured(measured, 'wasm')) {
    return skipStep({ code: 'slowerThanWasm' });
  }
  if (backend === 'webgpu' || backend === 'webgl') {
    if (adapter === null) return skipStep({ code: 'noAdapter' });
    if (adapter.software && hasMeasured(measured, 'wasm')) {
      return skipStep({ code: 'softwareAdapter', adapter: softwareAdapterName(adapter) });
    }
    return { measure: true, software: adapter.software };
  }
  return { measure: true, software: false };
}

export function formatSamplesPerSecond(samplesPerSecond: number): string {
  return englishBackendWords.speed(samplesPerSecond);
}

function labelWithAdapter(outcome: ProbeOutcome, words: BackendWords): string {
  const label = BACKEND_LABELS[outcome.backend];
  return outcome.adapter?.software ? `${label}${words.softwareAdapter}` : label;
}

function describeOther(outcome: ProbeOutcome, words: BackendWords): string {
  const label = labelWithAdapter(outcome, words);
  if (outcome.status === 'measured') return `${label} ${words.speed(outcome.samplesPerSecond)}`;
  if (outcome.status === 'failed') return words.failed(label, outcome.reason);
  return words.skipped(label, outcome.why ? words.skip(outcome.why) : outcome.reason);
}

const preferenceRank = (backend: BackendName): number => AUTO_PREFERENCE.indexOf(backend);

/**
 * The fastest measured backend (ties go to the earlier in AUTO_PREFERENCE) with a reason that
 * lists what the others measured or why they were not; null when nothing could be measured.
 * Adapter facts only qualify the numbers: a software adapter that did measure fastest still wins.
 */
export function decideBackend(outcomes: readonly ProbeOutcome[], words: BackendWords = englishBackendWords): BackendDecision | null {
  const measured = outcomes.filter(
    (outcome): outcome is Extract<ProbeOutcome, { status: 'measured' }> =>
      outcome.status === 'measured' && Number.isFinite(outcome.samplesPerSecond) && outcome.samplesPerSecond > 0,
  );
  if (measured.length === 0) return null;
  const best = measured.reduce((winner, candidate) =>
    candidate.samplesPerSecond > winner.samplesPerSecond ||
    (candidate.samplesPerSecond === winner.samplesPerSecond && preferenceRank(candidate.backend) < preferenceRank(winner.backend))
      ? candidate
      : winner,
  );
  const others = [...outcomes]
    .filter((outcome) => outcome !== best)
    .sort((a, b) => preferenceRank(a.backend) - preferenceRank(b.backend));
  const measuredOthers = others.filter((outcome) => outcome.status === 'measured');
  const unmeasured = others.filter((outcome) => outcome.status !== 'measured');
  let reason = words.auto(words.speed(best.samplesPerSecond));
  if (best.adapter?.software) reason += words.softwareAdapter;
  if (measuredOthers.length > 0) reason += words.versus(measuredOthers.map((outcome) => describeOther(outcome, words)));
  if (unmeasured.length > 0) reason += words.unmeasured(unmeasured.map((outcome) => describeOther(outcome, words)));
  return { backend: best.backend, reason };
}

/** The reason shown when a stored measurement decides, so the user knows nothing was timed this run. */
export function reasonFromStoredProbe(decision: BackendDecision, record: BackendProbeRecord, words: BackendWords = englishBackendWords): string {
  return words.stored(decision.reason, record.measuredAt.slice(0, 10));
}

/** Auto's measurements behind a decision, sent with it so the page can word the reason in its language. */
export interface MeasuredChoice {
  outcomes: ProbeOutcome[];
  /** Set when a stored measurement decided: the record's ISO date. */
  storedAt?: string;
}

/** The reason for a measured choice in `words`; null if the outcomes decide nothing (they always do when sent). */
export function measuredReason(choice: MeasuredChoice, words: BackendWords): string | null {
  const decision = decideBackend(choice.outcomes, words);
  if (decision === null) return null;
  return choice.storedAt === undefined ? decision.reason : words.stored(decision.reason, choice.storedAt.slice(0, 10));
}

/** The worker's reasons that are fixed sentences, so the page can show them in its language (measured ones it rewords from MeasuredChoice). */
export const FIXED_BACKEND_REASONS = {
  chosen: 'chosen in the backend selector',
  firstStarted: 'the first backend that started',
} as const;
