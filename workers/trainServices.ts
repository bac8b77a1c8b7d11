import type { LayerWeights } from '../src/models/spec';
import { pretrainedTeachers, type PretrainedFileReader } from '../src/train/pretrained';
import type { TeacherCache } from '../src/train/runner';
import { keyValueStore } from './keyValueStore';
import { isUserDatasetId, registerUserDataset } from '../src/data/registry';
import { loadStoredUserDataset } from './userDatasetStore';

/**
 * What a worker that trains needs from the browser, shared by the training and the guidance-search
 * workers: data files by fetch, the IndexedDB teacher cache and the pretrained teachers shipped in
 * public/teachers.
 */

/** Failures (private mode, quota) are caught and logged by the runner's teacher store (src/train/teacherStore.ts). */
export const teacherCache: TeacherCache = keyValueStore<LayerWeights[]>('distillation-studio', 'teacher-weights');

/**
 * Pretrained teachers shipped with the studio, served from public/teachers (src/train/pretrained.ts).
 * A specific Accept header keeps Vite's dev server from answering a missing file with index.html;
 * an HTML answer from a host that rewrites every path counts as missing too.
 */
export const readShippedTeacherFile: PretrainedFileReader = async (name) => {
  const accept = name.endsWith('.bin') ? 'application/octet-stream' : 'application/json';
  const response = await fetch(`/teachers/${encodeURIComponent(name)}`, { headers: { Accept: accept } });
  if (response.status === 404 || response.headers.get('content-type')?.includes('text/html')) return null;
  if (!response.ok) throw new Error(`/teachers/${name} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

export const shippedTeachers = pretrainedTeachers(readShippedTeacherFile);

/** Asset files of the imported datasets this worker has loaded, by dataset id. */
const userDatasetFiles = new Map<string, Record<string, Uint8Array>>();

/**
 * Registers an imported dataset from IndexedDB before a run reads it. One not in this browser stays
 * unregistered: the loader then says to import the images again.
 */
export async function loadUserDataset(datasetId: string): Promise<void> {
  if (!isUserDatasetId(datasetId) || userDatasetFiles.has(datasetId)) return;
  const stored = await loadStoredUserDataset(datasetId);
  if (stored === null) return;
  registerUserDataset(stored.info);
  userDatasetFiles.set(datasetId, stored.files);
}

export async function readAsset(relativePath: string): Promise<Uint8Array> {
  const datasetId = relativePath.slice(0, relativePath.indexOf('/'));
  if (isUserDatasetId(datasetId)) {
    const bytes = userDatasetFiles.get(datasetId)?.[relativePath.slice(datasetId.length + 1)];
    if (bytes === undefined) throw new Error(`${relativePath} is not among the imported images in this browser: import the images again.`);
    return bytes;
  }
  const response = await fetch(`/data/${relativePath}`);
  // The dev server answers a missing file with its index page, so HTML counts as missing too.
  if (!response.ok || response.headers.get('content-type')?.includes('text/html')) {
    const datasetId = relativePath.split('/')[0];
    throw new Error(
      `The ${datasetId} data set is not prepared on this server (/data/${relativePath}: HTTP ${response.status}). ` +
        `Run \`npm run prepare-data -- ${datasetId}\` where the studio is served, then run again.`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}
