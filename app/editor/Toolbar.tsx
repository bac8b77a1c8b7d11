import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ExperimentFileError } from '../../src/graph/serialize';
import { useStudio } from '../store';
import { fetchPreset, fetchPresetIndex, readExperimentFile, type PresetEntry } from './experimentFiles';
import { errorMessage } from '../../src/errorMessage';
import { ShareButton } from './ShareButton';

/** New, presets, open, save, undo/redo, and the experiment's name. */
export function Toolbar() {
  const { name, canUndo, canRedo, fileError } = useStudio(useShallow((s) => ({
    name: s.experiment.name,
    canUndo: s.past.length > 0,
    canRedo: s.future.length > 0,
    fileError: s.fileError,
  })));
  const [presets, setPresets] = useState<PresetEntry[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    fetchPresetIndex()
      .then(setPresets)
      .catch((error: unknown) => useStudio.getState().pushToast('error', `Presets unavailable: ${errorMessage(error)}`));
  }, []);

  const openPreset = async (event: ChangeEvent<HTMLSelectElement>) => {
    const file = event.target.value;
    event.target.value = '';
    if (file === '') return;
    const { openExperiment, setFileError } = useStudio.getState();
    try {
      const experiment = await fetchPreset(file);
      openExperiment(experiment, `the preset "${experiment.name}"`);
    } catch (error) {
      setFileError(`Could not open preset ${file}: ${errorMessage(error)}`);
    }
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    const { openExperiment, setFileError } = useStudio.getState();
    try {
      const experiment = await readExperimentFile(file);
      openExperiment(experiment, `the file "${file.name}"`);
    } catch (error) {
      // The current graph stays as it was: a file is loaded completely or not at all.
      const what = error instanceof ExperimentFileError ? 'is not a valid experiment file' : 'could not be read';
      setFileError(`"${file.name}" ${what}: ${errorMessage(error)} The current graph was kept.`);
    }
  };

  const newExperiment = () => {
    useStudio.getState().newExperiment();
    useStudio.getState().pushToast('info', 'New empty experiment (Undo brings the previous one back).');
  };

  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="toolbar__brand">
        <span className="toolbar__logo" aria-hidden>◆</span>
        Distillation Studio
      </div>
      <input
        className="toolbar__name"
        data-testid="experiment-name"
        aria-label="Experiment name"
        value={name}
        onChange={(e) => useStudio.getState().renameExperiment(e.target.value)}
      />
      <div className="toolbar__group">
        <button type="button" data-testid="new-experiment" onClick={newExperiment}>New</button>
        <select data-testid="preset-select" aria-label="Open preset" value="" onChange={openPreset}>
          <option value="">Open preset…</option>
          {presets.map((p) => <option key={p.file} value={p.file} title={p.description}>{p.name}</option>)}
        </select>
        <button type="button" data-testid="open-file-button" onClick={() => fileInput.current?.click()}>Open file…</button>
        <input ref={fileInput} type="file" accept=".json,application/json" data-testid="open-file" hidden onChange={openFile} />
        <button type="button" data-testid="save-experiment" onClick={() => useStudio.getState().saveExperiment()}>Save</button>
        <ShareButton />
      </div>
      <div className="toolbar__group">
        <button type="button" data-testid="undo" disabled={!canUndo} onClick={() => useStudio.getState().undo()} title="Undo (Ctrl+Z)">↶ Undo</button>
        <button type="button" data-testid="redo" disabled={!canRedo} onClick={() => useStudio.getState().redo()} title="Redo (Ctrl+Shift+Z)">↷ Redo</button>
      </div>
      {fileError !== null && (
        <div className="toolbar__error" data-testid="file-error" role="alert">
          {fileError}
          <button type="button" aria-label="Dismiss" onClick={() => useStudio.getState().setFileError(null)}>×</button>
        </div>
      )}
    </header>
  );
}
