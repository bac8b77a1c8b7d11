import { useEffect, useRef, useState, type ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ExperimentFileError } from '../../src/graph/serialize';
import { useStudio } from '../store';
import { fetchPreset, fetchPresetIndex, readExperimentFile, type PresetEntry } from './experimentFiles';
import { errorMessage } from '../../src/errorMessage';
import { ShareButton } from './ShareButton';
import { LanguageSelect } from '../i18n/LanguageSelect';
import { textsNow, useTexts } from '../i18n/texts';
import { toolbarTexts } from '../i18n/catalogs/toolbar';
import { currentLanguage, useLanguage } from '../i18n/language';
import { fileErrorText } from '../i18n/fileProblemText';
import { localizedPreset } from '../i18n/presetTexts';

/** New, presets, open, save, undo/redo, the experiment's name and the interface language. */
export function Toolbar() {
  const tx = useTexts(toolbarTexts);
  const language = useLanguage();
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
      .catch((error: unknown) => useStudio.getState().pushToast('error', textsNow(toolbarTexts).presetsUnavailable(errorMessage(error))));
  }, []);

  const openPreset = async (event: ChangeEvent<HTMLSelectElement>) => {
    const file = event.target.value;
    event.target.value = '';
    if (file === '') return;
    const { openExperiment, setFileError } = useStudio.getState();
    try {
      const experiment = await fetchPreset(file);
      openExperiment(experiment, textsNow(toolbarTexts).fromPresetList);
    } catch (error) {
      setFileError(textsNow(toolbarTexts).presetFailed(file, errorMessage(error)));
    }
  };

  const openFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    const { openExperiment, setFileError } = useStudio.getState();
    try {
      const experiment = await readExperimentFile(file);
      openExperiment(experiment, textsNow(toolbarTexts).fromFile(file.name));
    } catch (error) {
      // The current graph stays as it was: a file is loaded completely or not at all.
      const texts = textsNow(toolbarTexts);
      const describe = error instanceof ExperimentFileError ? texts.fileInvalid : texts.fileUnreadable;
      setFileError(describe(file.name, fileErrorText(error, currentLanguage())));
    }
  };

  const newExperiment = () => {
    useStudio.getState().newExperiment();
    useStudio.getState().pushToast('info', textsNow(toolbarTexts).newExperimentDone);
  };

  return (
    <header className="toolbar" data-testid="toolbar">
      <div className="toolbar__brand">
        <span className="toolbar__logo" aria-hidden>◆</span>
        {tx.brand}
      </div>
      <input
        className="toolbar__name"
        data-testid="experiment-name"
        aria-label={tx.experimentName}
        value={name}
        onChange={(e) => useStudio.getState().renameExperiment(e.target.value)}
      />
      <div className="toolbar__group">
        <button type="button" data-testid="new-experiment" onClick={newExperiment}>{tx.newExperiment}</button>
        <select data-testid="preset-select" aria-label={tx.openPresetLabel} value="" onChange={openPreset}>
          <option value="">{tx.openPreset}</option>
          {presets.map((entry) => localizedPreset(entry, language)).map((p) => <option key={p.file} value={p.file} title={p.description}>{p.name}</option>)}
        </select>
        <button type="button" data-testid="open-file-button" onClick={() => fileInput.current?.click()}>{tx.openFile}</button>
        <input ref={fileInput} type="file" accept=".json,application/json" data-testid="open-file" hidden onChange={openFile} />
        <button type="button" data-testid="save-experiment" onClick={() => useStudio.getState().saveExperiment()}>{tx.save}</button>
        <ShareButton />
      </div>
      <div className="toolbar__group">
        <button type="button" data-testid="undo" disabled={!canUndo} onClick={() => useStudio.getState().undo()} title={tx.undoTitle}>{tx.undo}</button>
        <button type="button" data-testid="redo" disabled={!canRedo} onClick={() => useStudio.getState().redo()} title={tx.redoTitle}>{tx.redo}</button>
      </div>
      <LanguageSelect />
      {fileError !== null && (
        <div className="toolbar__error" data-testid="file-error" role="alert">
          {fileError}
          <button type="button" aria-label={tx.dismiss} onClick={() => useStudio.getState().setFileError(null)}>×</button>
        </div>
      )}
    </header>
  );
}
