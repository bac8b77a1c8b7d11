import type { TrainedModel } from '../../src/protocol';
import { roleNames } from '../dashboard/modelColors';
import { useTexts } from '../i18n/texts';
import { exportTexts } from '../i18n/catalogs/export';
import { dashboardResultsTexts } from '../i18n/catalogs/dashboardResults';

/** Which trained model the panel exports; shown once a run has trained one. */
export function ExportModelPicker({ models, chosen, onChoose }: {
  models: Readonly<Record<string, TrainedModel>>;
  chosen: string | null;
  onChoose: (modelId: string) => void;
}) {
  const tx = useTexts(exportTexts);
  const roles = roleNames(useTexts(dashboardResultsTexts));
  const list = Object.values(models);
  if (list.length === 0 || chosen === null) return null;
  return (
    <label className="export-panel__model">
      {tx.model}{' '}
      <select value={chosen} data-testid="export-model" disabled={list.length === 1} onChange={(event) => onChoose(event.target.value)}>
        {list.map((model) => (
          <option key={model.modelId} value={model.modelId}>
            {model.label} ({roles[model.role]})
          </option>
        ))}
      </select>
    </label>
  );
}
