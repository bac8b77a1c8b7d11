import '../editor/share.css';
import { useEffect, useMemo, useState } from 'react';
import { useStudio } from '../store';
import {
  expandSweep, parseSweepValues, sweepParameterChoices, sweepParameterId, type SweepParameterChoice,
} from '../../src/graph/sweepVariants';
import type { ExperimentFile } from '../../src/graph/schema';
import type { RequestedSweepAxis } from './runController';
import { useTexts } from '../i18n/texts';
import { runSweepTexts } from '../i18n/catalogs/runSweep';
import { useLanguage, type Language } from '../i18n/language';
import { sweepChoiceLabel } from './sweepChoiceLabel';
import { sweepProblemText } from './sweepProblemText';

type SweepTexts = (typeof runSweepTexts)['en'];

interface AxisDraft {
  parameterId: string;
  valuesText: string;
}

/** The temperature of the first KD-like loss when there is one: the sweep most people start with. */
function defaultParameter(choices: SweepParameterChoice[]): string {
  const temperature = choices.find((c) => c.parameter.kind === 'lossParam' && c.parameter.key === 'T');
  return sweepParameterId((temperature ?? choices[0]).parameter);
}

/** The axes the drafts describe, or the first reason they cannot run; the run count once valid. */
function readDrafts(experiment: ExperimentFile, choices: SweepParameterChoice[], drafts: AxisDraft[], tx: SweepTexts, language: Language):
  { axes: RequestedSweepAxis[]; runs: number } | { error: string } {
  const axes: RequestedSweepAxis[] = [];
  for (const draft of drafts) {
    const choice = choices.find((c) => sweepParameterId(c.parameter) === draft.parameterId);
    if (choice === undefined) return { error: tx.pickParameter };
    const parsed = parseSweepValues(experiment, choice, draft.valuesText);
    if ('problem' in parsed) return { error: tx.axisProblem(choice.symbol, sweepProblemText(parsed.problem, experiment, language)) };
    axes.push({ parameter: choice.parameter, symbol: choice.symbol, label: sweepChoiceLabel(experiment, choice, language), values: parsed.values });
  }
  const expanded = expandSweep(experiment, axes);
  return 'problem' in expanded ? { error: sweepProblemText(expanded.problem, experiment, language) } : { axes, runs: expanded.variants.length };
}

function AxisFields({ index, experiment, choices, draft, onChange }: {
  index: number; experiment: ExperimentFile; choices: SweepParameterChoice[]; draft: AxisDraft; onChange: (draft: AxisDraft) => void;
}) {
  const tx = useTexts(runSweepTexts);
  const language = useLanguage();
  const choice = choices.find((c) => sweepParameterId(c.parameter) === draft.parameterId);
  return (
    <fieldset className="sweep-dialog__axis">
      <legend>{index === 0 ? tx.firstAxis : tx.secondAxis}</legend>
      <select value={draft.parameterId} data-testid={`sweep-param-${index + 1}`} aria-label={tx.axisLabel(index + 1)}
        onChange={(event) => onChange({ ...draft, parameterId: event.target.value })}>
        {index > 0 && <option value="">{tx.none}</option>}
        {choices.map((c) => <option key={sweepParameterId(c.parameter)} value={sweepParameterId(c.parameter)}>{sweepChoiceLabel(experiment, c, language)}</option>)}
      </select>
      {choice !== undefined && (
        <label>
          {tx.values(choice.symbol, String(choice.current))}
          <input type="text" value={draft.valuesText} data-testid={`sweep-values-${index + 1}`}
            placeholder={choice.layerChoices?.join(', ') ?? tx.valuesExample}
            onChange={(event) => onChange({ ...draft, valuesText: event.target.value })} />
        </label>
      )}
      {choice?.layerChoices && <small>{tx.layerChoices(choice.layerChoices.join(', '))}</small>}
    </fieldset>
  );
}

/**
 * "Sweep…": one or two parameters of the graph and their values; one run per value (per pair for
 * two), one after another. The count of runs, or the reason the sweep cannot run, shows as you type.
 */
export function SweepDialog({ onClose }: { onClose: () => void }) {
  const tx = useTexts(runSweepTexts);
  const language = useLanguage();
  const experiment = useStudio((s) => s.experiment);
  const startParamSweep = useStudio((s) => s.startParamSweep);
  const choices = useMemo(() => sweepParameterChoices(experiment), [experiment]);
  const [first, setFirst] = useState<AxisDraft>(() => ({ parameterId: choices.length > 0 ? defaultParameter(choices) : '', valuesText: '' }));
  const [second, setSecond] = useState<AxisDraft>({ parameterId: '', valuesText: '' });
  // Every variant is validated as the values are typed: at most a few dozen graph checks.
  const read = useMemo(() => readDrafts(experiment, choices, second.parameterId === '' ? [first] : [first, second], tx, language), [experiment, choices, first, second, tx, language]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const start = (): void => {
    if ('error' in read) return;
    startParamSweep(read.axes);
    onClose();
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog sweep-dialog" role="dialog" aria-modal="true" aria-labelledby="sweep-title" data-testid="sweep-dialog">
        <h2 id="sweep-title">{tx.title}</h2>
        <p>{tx.intro}</p>
        {choices.length === 0 ? <p>{tx.noParameter}</p> : (
          <>
            <AxisFields index={0} experiment={experiment} choices={choices} draft={first} onChange={setFirst} />
            <AxisFields index={1} experiment={experiment} choices={choices} draft={second} onChange={setSecond} />
          </>
        )}
        {'error' in read
          ? <p className="sweep-dialog__problem" data-testid="sweep-problem">{read.error}</p>
          : <p data-testid="sweep-run-count">{tx.runs(read.runs)}</p>}
        <div className="dialog__actions">
          <button type="button" data-testid="sweep-cancel" onClick={onClose}>{tx.cancel}</button>
          <button type="button" className="primary" data-testid="sweep-start" disabled={'error' in read} onClick={start}>
            {tx.start} {'error' in read ? '' : tx.runs(read.runs)}
          </button>
        </div>
      </div>
    </div>
  );
}
