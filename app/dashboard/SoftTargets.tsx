import { useMemo, useState } from 'react';
import { findDatasetInfo } from '../../src/data/registry';
import type { ExperimentFile } from '../../src/graph/schema';
import { useStudio } from '../store';
import { softmaxWithTemperature } from './chartData';
import { knownModels, modelColors } from './modelColors';
import { EmptyState, Panel } from './Panel';
import { ProbeImage } from './ProbeImage';
import { SoftTargetChart, type SoftTargetSeries } from './SoftTargetChart';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

/** The temperature of the first loss block that has one (KD), else 1: what the student is taught with. */
function experimentTemperature(experiment: ExperimentFile): number {
  for (const node of experiment.nodes) {
    if (node.kind === 'loss' && typeof node.params.params.T === 'number') return node.params.params.T;
  }
  return 1;
}

function classNamesOf(experiment: ExperimentFile): string[] | null {
  const dataset = experiment.nodes.find((node) => node.kind === 'dataset');
  if (dataset?.kind !== 'dataset') return null;
  return findDatasetInfo(dataset.params.datasetId)?.classNames ?? null;
}

/**
 * For each probe image: the hard label and the class probabilities at temperature T of every model
 * of the phase (teachers, then learners), recomputed from the stored logits when the slider moves
 * (no worker round trip).
 */
export function SoftTargets() {
  const tx = useTexts(dashboardTexts);
  const probe = useStudio((s) => s.run.probe);
  const plan = useStudio((s) => s.run.plan);
  const experiment = useStudio((s) => s.experiment);
  const defaultTemperature = useMemo(() => experimentTemperature(experiment), [experiment]);
  const classNames = useMemo(() => classNamesOf(experiment), [experiment]);
  const [chosenTemperature, setChosenTemperature] = useState<number | null>(null);
  const temperature = chosenTemperature ?? defaultTemperature;

  const models = useMemo(() => {
    const logits = probe?.logits ?? [];
    const colors = modelColors(knownModels(plan, logits));
    return logits.map((model) => ({ ...model, color: colors.get(model.modelId) ?? '#57606a' }));
  }, [probe, plan]);

  const rows = useMemo(() => {
    if (probe === null) return [];
    return probe.labels.map((label, i) => ({
      label,
      image: probe.images[i],
      series: models.flatMap((model): SoftTargetSeries[] => {
        const logits = model.values[i];
        if (logits === undefined) return [];
        const { modelId, label: name, role, color } = model;
        return [{ modelId, label: name, role, color, probabilities: softmaxWithTemperature(logits, temperature) }];
      }),
    }));
  }, [probe, models, temperature]);

  return (
    <Panel title={tx.softTargetsTitle} testId="soft-targets" wide>
      <div className="soft-targets__controls">
        <label className="soft-targets__slider">
          <span>
            {tx.temperature} <b className="soft-targets__temperature">T = {temperature.toFixed(1)}</b>
          </span>
          <input
            type="range"
            min={0.5}
            max={20}
            step={0.5}
            value={temperature}
            data-testid="temperature-slider"
            onChange={(event) => setChosenTemperature(Number(event.target.value))}
          />
        </label>
        {chosenTemperature !== null && chosenTemperature !== defaultTemperature && (
          <button type="button" className="dash-link" onClick={() => setChosenTemperature(null)}>
            {tx.resetTemperature(defaultTemperature)}
          </button>
        )}
        <span className="soft-targets__legend" data-testid="soft-targets-legend">
          {probe === null ? (
            <>
              <span className="dash-swatch dash-swatch--teacher" /> {tx.teacher}
              <span className="dash-swatch dash-swatch--student" /> {tx.student}
            </>
          ) : (
            models.map((model) => (
              <span key={model.modelId} className="soft-targets__legend-model" data-model-id={model.modelId}>
                <span className="dash-swatch" style={{ background: model.color }} /> {model.label}
              </span>
            ))
          )}
          <span className="soft-targets__legend-mark" /> {tx.trueLabel}
          {probe !== null && <span className="soft-targets__step">{tx.softmaxAtStep(probe.step)}</span>}
        </span>
      </div>
      {probe === null ? (
        <EmptyState>{tx.softTargetsEmpty}</EmptyState>
      ) : (
        <div className="soft-targets__grid">
          {rows.map((row, i) => (
            <div key={i} className="soft-targets__row" data-testid="soft-target-row">
              <div className="soft-targets__probe">
                <ProbeImage pixels={row.image} shape={probe.imageShape} size={56} />
                <span className="soft-targets__label" title={tx.trueLabel}>
                  {tx.label} <b>{classNames?.[row.label] ?? row.label}</b>
                </span>
                <span className="soft-targets__t">T = {temperature.toFixed(1)}</span>
              </div>
              <SoftTargetChart series={row.series} label={row.label} classNames={classNames} />
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}
