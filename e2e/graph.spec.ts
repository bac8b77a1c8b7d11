import { expect, test, type Locator, type Page } from '@playwright/test';
import { nodeCount, openStudio, presetFile, selectNode, uploadExperiment } from './helpers';

async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (a === null || b === null) throw new Error('Both handles must be on screen to connect them.');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

test('a connection that cannot work is refused with its reason', async ({ page }) => {
  await openStudio(page);
  const edgesBefore = await page.locator('.react-flow__edge').count();
  // Labels cannot feed a model's image input.
  const labelsOut = page.locator('[data-testid$="-out-labels"]').first();
  const imagesIn = page.locator('[data-testid^="handle-"][data-testid$="-in-images"]').first();
  await dragBetween(page, labelsOut, imagesIn);
  const reason = page.getByTestId('connection-error').first();
  await expect(reason).toBeVisible();
  await expect(reason).not.toBeEmpty();
  expect(await page.locator('.react-flow__edge').count()).toBe(edgesBefore);
});

test('a reload restores the graph', async ({ page }) => {
  await openStudio(page);
  const nodes = await nodeCount(page);
  await page.getByTestId('experiment-name').fill('Restored after reload');
  // The teacher's own random shift: range-checked in the inspector, shown on the node.
  const teacher = page.locator('.react-flow__node[data-id="teacher"]');
  await selectNode(page, 'teacher');
  const shift = page.getByTestId('field-augmentShift');
  // The default teacher (the shipped one's recipe) trains with shifts of up to 2 px.
  await expect(teacher).toContainText('Trains with shift±2 px');
  await shift.locator('input').fill('9');
  await expect(shift.getByRole('alert')).toHaveText('Must be between 0 and 8.');
  await expect(teacher).not.toContainText('±9 px');
  await shift.locator('input').fill('3');
  await expect(shift.getByRole('alert')).toHaveCount(0);
  await expect(teacher).toContainText('Trains with shift±3 px');
  // Autosave is debounced; give it time, then reload.
  await page.waitForTimeout(1_000);
  await page.reload();
  await expect(page.getByTestId('experiment-name')).toHaveValue('Restored after reload');
  expect(await nodeCount(page)).toBe(nodes);
  await expect(teacher).toContainText('Trains with shift±3 px');
});

test("the dataset's batch sampler: class-uniform with k per class, checked against the classes, shown on the node", async ({ page }) => {
  await openStudio(page);
  const dataset = page.locator('.react-flow__node[data-id="dataset"]');
  await selectNode(page, 'dataset');
  const sampler = page.getByTestId('field-sampler').locator('select');
  await expect(sampler).toHaveValue('shuffled');
  await expect(page.getByTestId('field-samplesPerClass')).toHaveCount(0);
  await sampler.selectOption('classUniform');
  const perClass = page.getByTestId('field-samplesPerClass').locator('input');
  await expect(perClass).toHaveValue('8');
  await expect(dataset).toContainText('Batches8 per class');
  // Batches of 64 at 4 per class would need 16 of MNIST's 10 classes: a warning says what happens instead.
  await perClass.fill('4');
  await expect(page.getByTestId('inspector-problems')).toContainText('need 16 classes');
  await expect(dataset).toContainText('Batches4 per class');
  await sampler.selectOption('shuffled');
  await expect(dataset).not.toContainText('per class');
  await expect(page.getByTestId('inspector-problems')).toHaveCount(0);
});

test('a corrupt experiment file shows its error and keeps the graph', async ({ page }) => {
  await openStudio(page);
  const name = await page.getByTestId('experiment-name').inputValue();
  const nodes = await nodeCount(page);
  await uploadExperiment(page, 'corrupt.json', '{"schemaVersion": 1, "nodes": [ {"kind": "model"');
  await expect(page.getByTestId('file-error')).toBeVisible();
  await expect(page.getByTestId('file-error')).toContainText('corrupt.json');
  await expect(page.getByTestId('experiment-name')).toHaveValue(name);
  expect(await nodeCount(page)).toBe(nodes);

  // Valid JSON that is not an experiment is refused the same way.
  await uploadExperiment(page, 'wrong.json', JSON.stringify({ schemaVersion: 1, name: 'x', nodes: 'none' }));
  await expect(page.getByTestId('file-error')).toContainText('wrong.json');
  expect(await nodeCount(page)).toBe(nodes);
});

test('in Chinese, a malformed experiment file is explained in Chinese with the path of the field', async ({ page, request }) => {
  await page.goto('/?backend=wasm&lang=zh');
  await expect(page.locator('[data-testid^="node-"]').first()).toBeVisible();
  const nodes = await nodeCount(page);
  const file = await presetFile(request, 'hinton-mnist.json');
  const trainerIndex = file.nodes.findIndex((node) => node.kind === 'trainer');
  const tooFast = { ...file, nodes: file.nodes.map((node, i) => (i === trainerIndex ? { ...node, params: { ...node.params, learningRate: 1e12 } } : node)) };
  await uploadExperiment(page, 'too-fast.json', JSON.stringify(tooFast));
  const error = page.getByTestId('file-error');
  await expect(error).toContainText(`“too-fast.json”不是有效的实验文件：nodes[${trainerIndex}].params.learningRate 不能大于 10（实际为 1000000000000）。`);
  await expect(error).not.toContainText('must be');
  await uploadExperiment(page, 'broken.json', '{"schemaVersion": 2, "nodes": [');
  await expect(error).toContainText('不是有效的 JSON');
  expect(await nodeCount(page)).toBe(nodes);
});

test('editing: a palette block with its KaTeX formula, undo and redo, copy and paste, delete, a layer edit', async ({ page }) => {
  await openStudio(page);
  const nodes = await nodeCount(page);

  await page.getByTestId('palette-loss-at').click();
  await expect.poll(() => nodeCount(page)).toBe(nodes + 1);
  const attention = page.locator('.react-flow__node').filter({ hasText: 'Attention transfer' });
  await expect(attention).toHaveCount(1);
  await attention.click();
  // The inspector's form comes from the registry: weight, formula rendered by KaTeX, citation.
  const formula = page.getByTestId('loss-formula');
  await expect(formula.locator('.katex').first()).toBeVisible();
  await expect(formula.locator('.katex-error')).toHaveCount(0);
  expect(await formula.locator('.katex-display').count(), 'one line per definition').toBeGreaterThan(1);
  await expect(page.getByTestId('loss-citation')).toContainText('Zagoruyko');
  await expect(page.getByTestId('loss-weight-field').locator('input')).toHaveValue('1000');

  await page.keyboard.press('Control+z');
  await expect.poll(() => nodeCount(page)).toBe(nodes);
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => nodeCount(page)).toBe(nodes + 1);

  await attention.click();
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect.poll(() => nodeCount(page)).toBe(nodes + 2);
  await expect(page.locator('.react-flow__node').filter({ hasText: 'Attention transfer' })).toHaveCount(2);
  await page.keyboard.press('Delete');
  await expect.poll(() => nodeCount(page)).toBe(nodes + 1);

  // Halving the student's first hidden layer: its shape and the node's parameter count follow.
  const student = page.locator('.react-flow__node[data-id="student"]');
  await expect(student.getByTestId('model-stats')).toContainText('1.28 M');
  await selectNode(page, 'student');
  await page.getByTestId('layer-fc1-units').locator('input').fill('400');
  await expect(page.getByTestId('layer-shape-fc1')).toHaveText('[400]');
  // 784*400 + 400 + 400*800 + 800 + 800*10 + 10 = 642,810 parameters.
  await expect(student.getByTestId('model-stats')).toContainText('642.8 k');
});
