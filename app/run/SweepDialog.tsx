import '../editor/share.css';
import { useEffect, useMemo, useState } from 'react';
import { useStudio } from '../store';
import {
  expandSweep, parseSweepValues, sweepParameterChoices, sweepParameterId, type SweepParameterChoice,
} from '../../src/graph/sweepVariants';
import type { ExperimentFile } from '../../src/graph/schema';
import type { RequestedSweepAxis } from './runController';

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
function readDrafts(experiment: ExperimentFile, choices: SweepParameterChoice[], drafts: AxisDraft[]):
  { axes: RequestedSweepAxis[]; runs: number } | { error: string } {
  const axes: RequestedSweepAxis[] = [];
  for (const draft of drafts) {
    const choice = choices.find((c) => sweepParameterId(c.parameter) === draft.parameterId);
    if (choice === undefined) return { error: 'Pick a parameter.' };
    const parsed = parseSweepValues(experiment, choice, draft.valuesText);
    if ('error' in parsed) return { error: `${choice.symbol}: ${parsed.error}` };
    axes.push({ parameter: choice.parameter, symbol: choice.symbol, label: choice.label, values: parsed.values });
  }
  const expanded = expandSweep(experiment, axes);
  return 'error' in expanded ? expanded : { axes, runs: expanded.variants.length };
}

function AxisFields({ index, choices, draft, onChange }: {
  index: number; choices: SweepParameterChoice[]; draft: AxisDraft; onChange: (draft: AxisDraft) => void;
}) {
  const choice = choices.find((c) => sweepParameterId(c.parameter) === draft.parameterId);
  return (
    <fieldset className="sweep-dialog__axis">
      <legend>{index === 0 ? 'Parameter' : 'Second parameter (a grid)'}</legend>
      <select value={draft.parameterId} data-testid={`sweep-param-${index + 1}`} aria-label={`Parameter ${index + 1}`}
        onChange={(event) => onChange({ ...draft, parameterId: event.target.value })}>
        {index > 0 && <option value="">none</option>}
        {choices.map((c) => <option key={sweepParameterId(c.parameter)} value={sweepParameterId(c.parameter)}>{c.label}</option>)}
      </select>
      {choice !== undefined && (
        <label>
          Values of {choice.symbol} (now {choice.current})
          <input type="text" value={draft.valuesText} data-testid={`sweep-values-${index + 1}`}
            placeholder={choice.layerChoices?.join(', ') ?? 'e.g. 1, 4, 20'}
            onChange={(event) => onChange({ ...draft, valuesText: event.target.value })} />
        </label>
      )}
      {choice?.layerChoices && <small>Layers this tap can take: {choice.layerChoices.join(', ')}</small>}
    </fieldset>
  );
}

/**
 * "Sweep…": one or two parameters of the graph and their values; one run per value (per pair for
 * two), one after another. The count of runs, or the reason the sweep cannot run, shows as you type.
 */
export function SweepDialog({ onClose }: { onClose: () => void }) {
  const experiment = useStudio((s) => s.experiment);
  const startParamSweep = useStudio((s) => s.startParamSweep);
  const choices = useMemo(() => sweepParameterChoices(experiment), [experiment]);
  const [first, setFirst] = useState<AxisDraft>(() => ({ parameterId: choices.length > 0 ? defaultParameter(choices) : '', valuesText: '' }));
  const [second, setSecond] = useState<AxisDraft>({ parameterId: '', valuesText: '' });
  // Every variant is validated as the values are typed: at most a few dozen graph checks.
  const read = useMemo(() => readDrafts(experiment, choices, second.parameterId === '' ? [first] : [first, second]), [experiment, choices, first, second]);

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
        <h2 id="sweep-title">Sweep a parameter</h2>
        <p>
          Runs the whole experiment once per value, one run after another. Teachers keep their settings, so they train once
          and come from the cache; every run trains its baseline and distilled student, so each value gets its own gain.
        </p>
        {choices.length === 0 ? <p>This graph has no parameter a sweep can vary.</p> : (
          <>
            <AxisFields index={0} choices={choices} draft={first} onChange={setFirst} />
            <AxisFields index={1} choices={choices} draft={second} onChange={setSecond} />
          </>
        )}
        {'error' in read
          ? <p className="sweep-dialog__problem" data-testid="sweep-problem">{read.error}</p>
          : <p data-testid="sweep-run-count">{read.runs} runs</p>}
        <div className="dialog__actions">
          <button type="button" data-testid="sweep-cancel" onClick={onClose}>Cancel</button>
          <button type="button" className="primary" data-testid="sweep-start" disabled={'error' in read} onClick={start}>
            Start {'error' in read ? '' : `${read.runs} runs`}
          </button>
        </div>
      </div>
    </div>
  );
}
