import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { ExperimentFile } from '../src/graph/schema';

/** Shared steps of the end-to-end specs: open the studio, pick presets, shrink them, load files. */

export interface PresetEntry {
  file: string;
  name: string;
  description: string;
}

/**
 * Waits until the loaded graph's view is in place (the canvas's data-view-set): React Flow measures
 * the nodes first, and a click before that can land where a node was.
 */
export async function expectViewSet(page: Page): Promise<void> {
  await expect(page.getByTestId('canvas')).toHaveAttribute('data-view-set', 'true');
}

/** Opens the studio on a backend; `query` adds URL parameters, e.g. '&lang=zh'. */
export async function openStudio(page: Page, backend = 'webgl', query = ''): Promise<void> {
  await page.goto(`/?backend=${backend}${query}`);
  await expect(page.getByTestId('canvas')).toBeVisible();
  // The first load opens the default preset (or the autosave); wait until a graph is on the canvas.
  await expect(page.locator('[data-testid^="node-"]').first()).toBeVisible();
  await expectViewSet(page);
}

export async function fetchPresets(request: APIRequestContext): Promise<{ entry: PresetEntry; file: ExperimentFile }[]> {
  const indexResponse = await request.get('/presets/index.json');
  expect(indexResponse.ok(), 'public/presets/index.json must be served').toBe(true);
  const index = (await indexResponse.json()) as PresetEntry[] | { presets: PresetEntry[] };
  const entries = Array.isArray(index) ? index : index.presets;
  return Promise.all(
    entries.map(async (entry) => {
      const response = await request.get(`/presets/${entry.file}`);
      return { entry, file: (await response.json()) as ExperimentFile };
    }),
  );
}

/** The preset `public/presets/<file>`, as listed in the index the toolbar reads. */
export async function presetFile(request: APIRequestContext, file: string): Promise<ExperimentFile> {
  const match = (await fetchPresets(request)).find(({ entry }) => entry.file === file);
  expect(match, `public/presets/${file} is listed in public/presets/index.json`).toBeDefined();
  return match!.file;
}

export function lossIdsOf(file: ExperimentFile): string[] {
  return file.nodes.flatMap((node) => (node.kind === 'loss' ? [node.params.lossId] : []));
}

function isCnn(file: ExperimentFile): boolean {
  return file.nodes.some((node) => node.kind === 'model' && node.params.architecture.layers.some((l) => l.kind === 'conv2d'));
}

/** The MNIST CNN preset that uses attention transfer and FSP: it exercises every dashboard panel. */
export async function cnnPresetWithAttentionAndFsp(request: APIRequestContext): Promise<ExperimentFile> {
  const presets = await fetchPresets(request);
  const match = presets.find(({ file }) => {
    const losses = lossIdsOf(file);
    return isCnn(file) && losses.includes('at') && losses.includes('fsp');
  });
  expect(match, 'a CNN preset with attention transfer (at) and FSP losses').toBeDefined();
  return match!.file;
}

export interface RunSize {
  trainSubset: number;
  testSubset: number;
  validationSize: number;
  probeCount: number;
  epochs: number;
  batchSize: number;
}

export const TINY_RUN: RunSize = { trainSubset: 256, testSubset: 128, validationSize: 64, probeCount: 3, epochs: 1, batchSize: 64 };

/** Shrinks every dataset and trainer so a whole run takes seconds on a software GPU. */
export function shrinkExperiment(file: ExperimentFile, size: RunSize = TINY_RUN): ExperimentFile {
  const trainer = { epochs: size.epochs, batchSize: size.batchSize };
  return {
    ...file,
    name: `${file.name} (tiny e2e run)`,
    nodes: file.nodes.map((node) => {
      switch (node.kind) {
        case 'dataset': {
          const { trainSubset, testSubset, validationSize, probeCount } = size;
          return { ...node, params: { ...node.params, trainSubset, testSubset, validationSize, probeCount, augmentShift: 0 } };
        }
        case 'trainer':
          return { ...node, params: { ...node.params, ...trainer, weightSchedules: {} } };
        case 'model': {
          if (node.params.teacherTraining === undefined) return node;
          // A quick preset's teacher trains on all the images: the tiny run trains it on the dataset's few.
          const { trainSubset: _ownImages, ...teacherTraining } = node.params.teacherTraining;
          return { ...node, params: { ...node.params, teacherTraining: { ...teacherTraining, ...trainer } } };
        }
        default:
          return node;
      }
    }),
  };
}

/** Loads an experiment through the toolbar's file input, as a user opening a file would. */
export async function uploadExperiment(page: Page, name: string, contents: string): Promise<void> {
  await page.getByTestId('open-file').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(contents) });
}

/** Opens the studio on a backend and loads an experiment through the file input, as a user would. */
export async function openStudioWith(page: Page, backend: string, fileName: string, experiment: ExperimentFile): Promise<void> {
  await openStudio(page, backend);
  await uploadExperiment(page, fileName, JSON.stringify(experiment));
  await expect(page.getByTestId('experiment-name')).toHaveValue(experiment.name);
  // The name and the view's flag change in one render, so this waits for this load's view.
  await expectViewSet(page);
}

/** Graph nodes on the canvas (not `[data-testid^="node-"]`, which also matches problem badges). */
export async function nodeCount(page: Page): Promise<number> {
  return page.locator('.react-flow__node').count();
}

/**
 * Selects a node by clicking it, after fitting the view: a preset's later nodes can sit right of
 * the visible canvas (under the inspector), where a click lands on whatever covers them, or where
 * Playwright scrolls React Flow's clipped container to reach them and shifts the whole canvas.
 */
export async function selectNode(page: Page, id: string): Promise<void> {
  await expectViewSet(page);
  await page.locator('.react-flow__controls-fitview').click();
  const node = page.locator(`.react-flow__node[data-id="${id}"]`);
  await expect.poll(() => insideCanvas(page, node), { message: `node ${id} inside the visible canvas after fitting the view` }).toBe(true);
  await node.click();
  await expect(node).toHaveClass(/selected/);
}

async function insideCanvas(page: Page, node: Locator): Promise<boolean> {
  const [box, canvas] = await Promise.all([node.boundingBox(), page.getByTestId('canvas').boundingBox()]);
  if (box === null || canvas === null) return false;
  return box.x >= canvas.x && box.y >= canvas.y && box.x + box.width <= canvas.x + canvas.width && box.y + box.height <= canvas.y + canvas.height;
}
