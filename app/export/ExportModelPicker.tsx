import type { TrainedModel } from '../../src/protocol';
import { ROLE_NAMES } from '../dashboard/modelColors';

/** Which trained model the panel exports; shown once a run has trained one. */
export function ExportModelPicker({ models, chosen, onChoose }: {
  models: Readonly<Record<string, TrainedModel>>;
  chosen: string | null;
  onChoose: (modelId: string) => void;
}) {
  const list = Object.values(models);
  if (list.length === 0 || chosen === null) return null;
  return (
    <label className="export-panel__model">
      Model{' '}
      <select value={chosen} data-testid="export-model" disabled={list.length === 1} onChange={(event) => onChoose(event.target.value)}>
        {list.map((model) => (
          <option key={model.modelId} value={model.modelId}>
            {model.label} ({ROLE_NAMES[model.role]})
          </option>
        ))}
      </select>
    </label>
  );
}
