import type { LayerWeights } from '../src/models/spec';
import { pretrainedTeachers, type PretrainedFileReader } from '../src/train/pretrained';
import type { TeacherCache } from '../src/train/runner';
import { keyValueStore } from './keyValueStore';

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

export async function readAsset(relativePath: string): Promise<Uint8Array> {
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
