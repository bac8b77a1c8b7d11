import { useMemo, useState } from 'react';
import { datasetRegistry } from '../../src/data/registry';
import type { ExperimentFile } from '../../src/graph/schema';
import { useStudio } from '../store';
import { PHASE_LABELS, softmaxWithTemperature } from './chartData';
import { EmptyState, Panel } from './Panel';
import { ProbeImage } from './ProbeImage';
import { SoftTargetChart } from './SoftTargetChart';

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
  return datasetRegistry.find((info) => info.id === dataset.params.datasetId)?.classNames ?? null;
}

/**
 * For each probe image: the hard label and the teacher's and student's class probabilities at
 * temperature T, recomputed from the stored logits when the slider moves (no worker round trip).
 */
export function SoftTargets() {
  const probe = useStudio((s) => s.run.probe);
  const experiment = useStudio((s) => s.experiment);
  const defaultTemperature = useMemo(() => experimentTemperature(experiment), [experiment]);
  const classNames = useMemo(() => classNamesOf(experiment), [experiment]);
  const [chosenTemperature, setChosenTemperature] = useState<number | null>(null);
  const temperature = chosenTemperature ?? defaultTemperature;

  const rows = useMemo(() => {
    if (probe === null) return [];
    return probe.labels.map((label, i) => ({
      label,
      image: probe.images[i],
      teacher: softmaxWithTemperature(probe.teacherLogits[i], temperature),
      student: softmaxWithTemperature(probe.studentLogits[i], temperature),
    }));
  }, [probe, temperature]);

  return (
    <Panel title="Soft targets" testId="soft-targets" wide>
      <div className="soft-targets__controls">
        <label className="soft-targets__slider">
          <span>
            Temperature <b className="soft-targets__temperature">T = {temperature.toFixed(1)}</b>
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
            reset to the KD temperature ({defaultTemperature})
          </button>
        )}
        <span className="soft-targets__legend">
          <span className="dash-swatch dash-swatch--teacher" /> teacher
          <span className="dash-swatch dash-swatch--student" /> {probe === null ? 'student' : PHASE_LABELS[probe.phase].toLowerCase()}
          <span className="soft-targets__legend-mark" /> true label
          {probe !== null && <span className="soft-targets__step">softmax(z / T) of step {probe.step}</span>}
        </span>
      </div>
      {probe === null ? (
        <EmptyState>Teacher and student probabilities for a few test images appear during training.</EmptyState>
      ) : (
        <div className="soft-targets__grid">
          {rows.map((row, i) => (
            <div key={i} className="soft-targets__row" data-testid="soft-target-row">
              <div className="soft-targets__probe">
                <ProbeImage pixels={row.image} shape={probe.imageShape} size={56} />
                <span className="soft-targets__label" title="True label">
                  label <b>{classNames?.[row.label] ?? row.label}</b>
                </span>
                <span className="soft-targets__t">T = {temperature.toFixed(1)}</span>
              </div>
              <SoftTargetChart teacher={row.teacher} student={row.student} label={row.label} classNames={classNames} />
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}
