/** Opening and saving experiment files: presets served from public/presets, local files, downloads. */
import type { ExperimentFile } from '../../src/graph/schema';
import { parseExperiment, serializeExperiment } from '../../src/graph/serialize';
import { downloadFile, fileSlug } from '../download';

export interface PresetEntry {
  file: string;
  name: string;
  description: string;
}

export const defaultPresetFile = 'hinton-mnist.json';

const presetUrl = (file: string): string => `${import.meta.env.BASE_URL}presets/${file}`;

async function fetchJson(url: string): Promise<unknown> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not fetch ${url} (HTTP ${response.status}).`);
  return response.json() as Promise<unknown>;
}

function isPresetEntry(value: unknown): value is PresetEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.file === 'string' && typeof entry.name === 'string' && typeof entry.description === 'string';
}

export async function fetchPresetIndex(): Promise<PresetEntry[]> {
  const index = await fetchJson(presetUrl('index.json'));
  const list = Array.isArray(index) ? index : (index as { presets?: unknown }).presets;
  if (!Array.isArray(list)) throw new Error('presets/index.json must list {file, name, description} entries.');
  return list.filter(isPresetEntry);
}

/** Loads a preset through the same parser as user files, so presets are validated too. */
export async function fetchPreset(file: string): Promise<ExperimentFile> {
  return parseExperiment(await fetchJson(presetUrl(file)));
}

/** Reads a user's file; throws ExperimentFileError (path + what to fix) when it is not a valid experiment. */
export async function readExperimentFile(file: File): Promise<ExperimentFile> {
  return parseExperiment(await file.text());
}

export function experimentFileName(name: string): string {
  return `${fileSlug(name, 'experiment')}.experiment.json`;
}

export function downloadExperiment(experiment: ExperimentFile): void {
  downloadFile(serializeExperiment(experiment), experimentFileName(experiment.name), 'application/json');
}
