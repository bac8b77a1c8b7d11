import { useEffect, useRef, useState } from 'react';
import { DEFAULT_SPLIT } from '../../src/data/userImages/split';
import type { ImportedDataset, ImportSummary, UserImageShape } from '../../src/data/userImages/importImages';
import type { ImageImportCommand, ImageImportWorkerMessage } from '../../src/protocol';
import { saveUserDataset } from '../../workers/userDatasetStore';
import { errorMessage } from '../../src/errorMessage';
import { useStudio } from '../store';
import { useTexts } from '../i18n/texts';
import { importTexts } from '../i18n/catalogs/imports';
import { importProblemText, skipReasonText } from './importWording';

type Stage =
  | { kind: 'choosing' }
  | { kind: 'importing'; done: number; total: number }
  | { kind: 'summary'; dataset: ImportedDataset }
  | { kind: 'failed'; message: string };

type Chosen = { name: string; source: ImageImportCommand['source'] };

/** The sample grid: each class's first training images, drawn from the decoded pixels. */
function SampleGrid({ summary }: { summary: ImportSummary }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [height, width, channels] = summary.shape;
  const perRow = Math.max(...summary.classes.map((_, label) => summary.samples.filter((s) => s.label === label).length), 1);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const image = context.createImageData(width, height);
    const column = new Map<number, number>();
    for (const sample of summary.samples) {
      const x = column.get(sample.label) ?? 0;
      column.set(sample.label, x + 1);
      for (let p = 0; p < width * height; p++) {
        const rgb = channels === 1 ? [sample.pixels[p], sample.pixels[p], sample.pixels[p]] : sample.pixels.subarray(p * 3, p * 3 + 3);
        image.data.set([rgb[0], rgb[1], rgb[2], 255], p * 4);
      }
      context.putImageData(image, x * (width + 2), sample.label * (height + 2));
    }
  }, [summary, width, height, channels]);
  return (
    <div className="import-images__grid">
      <div className="import-images__grid-labels" style={{ gridTemplateRows: `repeat(${summary.classes.length}, ${(height + 2) * 1.5}px)` }}>
        {summary.classes.map((c) => <span key={c.name}>{c.name}</span>)}
      </div>
      <canvas ref={canvas} data-testid="import-sample-grid" width={perRow * (width + 2)} height={summary.classes.length * (height + 2)}
        style={{ width: perRow * (width + 2) * 1.5, imageRendering: 'pixelated' }} />
    </div>
  );
}

function Summary({ dataset, onUse, onCancel }: { dataset: ImportedDataset; onUse: () => void; onCancel: () => void }) {
  const tx = useTexts(importTexts);
  const { summary } = dataset;
  const total = summary.classes.reduce((sum, c) => sum + c.train + c.validation + c.test, 0);
  const format = (values: number[]) => values.map((v) => v.toFixed(3)).join(', ');
  return (
    <div data-testid="import-summary">
      <h4>{tx.classesHeading(summary.classes.length, total)}</h4>
      <table className="import-images__table">
        <thead><tr><th>{tx.classColumn}</th><th>{tx.trainColumn}</th><th>{tx.validationColumn}</th><th>{tx.testColumn}</th></tr></thead>
        <tbody>
          {summary.classes.map((c) => (
            <tr key={c.name} data-testid="import-class-row"><td>{c.name}</td><td>{c.train}</td><td>{c.validation}</td><td>{c.test}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted">{tx.normalization(format(summary.normalization.mean), format(summary.normalization.std))}</p>
      <p className="muted">{tx.samples}</p>
      <SampleGrid summary={summary} />
      {summary.skipped.length > 0 && (
        <div data-testid="import-skipped">
          <h4>{tx.skippedHeading(summary.skipped.length)}</h4>
          <ul>
            {summary.skipped.map((file) => (
              <li key={file.path} title={file.detail}><code>{file.path}</code>: {skipReasonText(tx, file.reason)}</li>
            ))}
          </ul>
        </div>
      )}
      {summary.ignored > 0 && <p className="muted">{tx.ignored(summary.ignored)}</p>}
      <div className="import-images__actions">
        <button type="button" className="primary" data-testid="import-use" onClick={onUse}>{tx.use}</button>
        <button type="button" onClick={onCancel}>{tx.cancel}</button>
      </div>
    </div>
  );
}

/** Folder picks name files '<picked folder>/<class>/<image>'; the layout parser strips the top folder. */
function chosenFolder(files: FileList): Chosen | null {
  const list = [...files].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
  if (list.length === 0) return null;
  return { name: list[0].path.split('/')[0], source: { kind: 'folder', files: list } };
}

/**
 * "Import images…" in the Dataset inspector: choose a zip or folder, a shape and the split, see the
 * summary the worker (workers/imageImport.worker.ts) returns, and Use it: stored in IndexedDB,
 * registered, and set on the Dataset node with its validation split.
 */
export function ImportImages({ nodeId, defaultShape }: { nodeId: string; defaultShape: UserImageShape }) {
  const tx = useTexts(importTexts);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [name, setName] = useState('');
  const [shape, setShape] = useState<UserImageShape>(defaultShape);
  const [split, setSplit] = useState(DEFAULT_SPLIT);
  const [stage, setStage] = useState<Stage>({ kind: 'choosing' });
  const [note, setNote] = useState<string | null>(null);
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const choose = (next: Chosen | null) => {
    setChosen(next);
    if (next) setName(next.name);
  };
  const reset = () => {
    worker.current?.terminate();
    worker.current = null;
    setStage({ kind: 'choosing' });
  };

  const start = () => {
    if (!chosen) return;
    reset();
    setNote(null);
    const job = new Worker(new URL('../../workers/imageImport.worker.ts', import.meta.url), { type: 'module' });
    worker.current = job;
    setStage({ kind: 'importing', done: 0, total: 0 });
    job.onmessage = (event: MessageEvent<ImageImportWorkerMessage>) => {
      const message = event.data;
      if (message.type === 'progress') setStage({ kind: 'importing', done: message.done, total: message.total });
      else {
        job.terminate();
        worker.current = null;
        if (message.type === 'imported') setStage({ kind: 'summary', dataset: message.dataset });
        else setStage({ kind: 'failed', message: message.problem ? importProblemText(tx, message.problem) : tx.failed(message.message) });
      }
    };
    job.onerror = (event) => {
      worker.current = null;
      setStage({ kind: 'failed', message: tx.failed(event.message) });
    };
    const command: ImageImportCommand = { type: 'import', source: chosen.source, options: { ...split, name: name.trim() || chosen.name, source: chosen.name, shape } };
    job.postMessage(command);
  };

  const use = async (dataset: ImportedDataset) => {
    const { info, files } = dataset;
    try {
      await saveUserDataset({ info, files });
    } catch (error) {
      // Still usable in this session; only a reload loses it, and the note says so.
      setNote(tx.notStored(errorMessage(error)));
    }
    const state = useStudio.getState();
    state.addUserDatasets([info]);
    state.updateNodeParams(nodeId, { datasetId: info.id, validationSize: info.userImport?.validationCount ?? 0, trainSubset: null, testSubset: null });
    setStage({ kind: 'choosing' });
    setOpen(false);
  };

  const percent = (value: string) => Math.max(0, Math.min(50, Math.round(Number(value) || 0)));
  if (!open) {
    return (
      <>
        <button type="button" data-testid="import-images-open" onClick={() => setOpen(true)}>{tx.importImages}</button>
        {note && <p className="inspector__error" data-testid="import-note">{note}</p>}
      </>
    );
  }
  return (
    <section className="import-images" data-testid="import-images">
      <h3>{tx.title}</h3>
      <p className="muted">{tx.layoutHelp}</p>
      {stage.kind !== 'summary' && (
        <>
          <label>{tx.chooseZip} <input type="file" accept=".zip,application/zip" data-testid="import-zip"
            onChange={(e) => { const file = e.target.files?.[0]; choose(file ? { name: file.name.replace(/\.zip$/i, ''), source: { kind: 'zip', file } } : null); }} /></label>
          <label>{tx.chooseFolder} <input type="file" data-testid="import-folder" multiple
            ref={(input) => { input?.setAttribute('webkitdirectory', ''); }}
            onChange={(e) => choose(e.target.files ? chosenFolder(e.target.files) : null)} /></label>
          <label>{tx.name} <input type="text" value={name} data-testid="import-name" onChange={(e) => setName(e.target.value)} /></label>
          <label>{tx.shape}{' '}
            <select value={shape} data-testid="import-shape" onChange={(e) => setShape(e.target.value as UserImageShape)}>
              <option value="28x28x1">{tx.shapeGrey}</option>
              <option value="32x32x3">{tx.shapeColour}</option>
            </select>
          </label>
          <label>{tx.validationPercent} <input type="number" min={0} max={50} value={split.validationPercent} data-testid="import-validation"
            onChange={(e) => setSplit({ ...split, validationPercent: percent(e.target.value) })} /></label>
          <label>{tx.testPercent} <input type="number" min={1} max={50} value={split.testPercent} data-testid="import-test"
            onChange={(e) => setSplit({ ...split, testPercent: percent(e.target.value) })} /></label>
          <label>{tx.seed} <input type="number" value={split.seed} data-testid="import-seed"
            onChange={(e) => setSplit({ ...split, seed: Math.round(Number(e.target.value) || 0) })} /></label>
          <div className="import-images__actions">
            <button type="button" className="primary" data-testid="import-start" disabled={!chosen || stage.kind === 'importing'} onClick={start}>{tx.start}</button>
            <button type="button" onClick={() => { reset(); setOpen(false); }}>{tx.close}</button>
          </div>
        </>
      )}
      {stage.kind === 'importing' && <p data-testid="import-progress">{tx.progress(stage.done, stage.total)}</p>}
      {stage.kind === 'failed' && <p className="inspector__error" data-testid="import-error">{stage.message}</p>}
      {stage.kind === 'summary' && <Summary dataset={stage.dataset} onUse={() => void use(stage.dataset)} onCancel={reset} />}
    </section>
  );
}
