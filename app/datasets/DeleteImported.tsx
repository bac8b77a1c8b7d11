import { useState } from 'react';
import type { DatasetInfo } from '../../src/data/types';
import { errorMessage } from '../../src/errorMessage';
import { deleteUserDataset } from '../../workers/userDatasetStore';
import { importTexts } from '../i18n/catalogs/imports';
import { useTexts } from '../i18n/texts';
import { useStudio } from '../store';

/** The stored pixels of an imported dataset: one byte per pixel and channel. */
function storedMegabytes(info: DatasetInfo): string {
  const [height, width, channels] = info.shape;
  return (((info.trainCount + info.testCount) * height * width * channels) / 1e6).toFixed(1);
}

/**
 * Deletes an imported dataset from this browser's IndexedDB after asking. The graph keeps naming
 * it, so its Dataset node then says to import the images again: nothing else is lost.
 */
export function DeleteImported({ info }: { info: DatasetInfo }) {
  const tx = useTexts(importTexts);
  const [failure, setFailure] = useState<string | null>(null);
  const remove = async () => {
    if (!window.confirm(tx.deleteConfirm(info.label, storedMegabytes(info)))) return;
    try {
      await deleteUserDataset(info.id);
      useStudio.getState().removeUserDataset(info.id);
      setFailure(null);
    } catch (error) {
      setFailure(tx.deleteFailed(errorMessage(error)));
    }
  };
  return (
    <>
      <button type="button" data-testid="import-delete" title={tx.deleteTitle} onClick={() => void remove()}>{tx.deleteImported}</button>
      {failure && <p className="inspector__error" role="alert">{failure}</p>}
    </>
  );
}
