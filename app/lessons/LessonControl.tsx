import { useId, useState } from 'react';
import type { ExperimentFile } from '../../src/graph/schema';
import type { StepControl } from '../../src/lessons/types';
import { withHiddenUnits } from '../../src/lessons/experiments';
import { hiddenUnitsOf, lossParamOf, modelNode } from '../../src/lessons/observation';
import { nodeById } from '../../src/graph/queries';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { lessonTexts } from '../i18n/catalogs/lessons';
import { useStudio } from '../store';

function valueOf(experiment: ExperimentFile, control: StepControl): number | null {
  if (control.kind === 'lossParam') return lossParamOf(experiment, control.nodeId, control.key);
  return hiddenUnitsOf(experiment, control.modelId)[0] ?? null;
}

/** Writes the value into the graph as an ordinary, undoable edit (the same one the inspector makes). */
function apply(experiment: ExperimentFile, control: StepControl, value: number): void {
  const { updateNodeParams } = useStudio.getState();
  if (control.kind === 'lossParam') {
    const node = nodeById(experiment, control.nodeId);
    if (node?.kind === 'loss') updateNodeParams(node.id, { params: { ...node.params.params, [control.key]: value } });
    return;
  }
  const model = modelNode(experiment, control.modelId);
  if (model !== null) {
    const { architecture } = model.params;
    updateNodeParams(model.id, { architecture: { ...architecture, layers: withHiddenUnits(architecture.layers, value) } });
  }
}

/**
 * The asked change, on the card itself: the inspector is hidden in presenter view, and a student
 * can make the change here or in the inspector, whichever they find.
 */
export function LessonControl({ control }: { control: StepControl }) {
  const language = useLanguage();
  const tx = useTexts(lessonTexts);
  const id = useId();
  const experiment = useStudio((s) => s.experiment);
  const value = valueOf(experiment, control);
  const [draft, setDraft] = useState<string | null>(null);
  const integer = control.kind === 'hiddenUnits';
  const read = (text: string): number | null => {
    const number = Number(text.trim());
    const ok = text.trim() !== '' && Number.isFinite(number) && number >= control.min && number <= control.max && (!integer || Number.isInteger(number));
    return ok ? number : null;
  };
  const invalid = draft !== null && read(draft) === null;
  if (value === null) return null;
  return (
    <div className="lesson-card__control">
      <label htmlFor={id}>{control.label[language]}</label>
      <input id={id} type="text" inputMode="decimal" data-testid="lesson-control" value={draft ?? String(value)}
        aria-invalid={invalid}
        onChange={(event) => {
          setDraft(event.target.value);
          const next = read(event.target.value);
          if (next !== null && next !== value) apply(experiment, control, next);
        }}
        onBlur={() => setDraft(null)} />
      {invalid && <span className="lesson-card__control-error" role="alert">{tx.controlInvalid(control.min, control.max)}</span>}
    </div>
  );
}
