import { memo, useMemo, useState } from 'react';
import { datasetRegistry } from '../../src/data/registry';
import type { ExperimentFile } from '../../src/graph/schema';
import { useStudio } from '../store';
import { softmaxWithTemperature } from './chartData';
import { EmptyState, Panel } from './Panel';
import { ProbeImage } from './ProbeImage';

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

const ProbabilityBars = memo(function ProbabilityBars({
  probabilities,
  label,
  classNames,
  side,
}: {
  probabilities: number[];
  label: number;
  classNames: string[] | null;
  side: 'teacher' | 'student';
}) {
  return (
    <div className={`soft-bars soft-bars--${side}`} aria-label={`${side} probabilities`}>
      {probabilities.map((p, cls) => (
        <div
          key={cls}
          className={cls === label ? 'soft-bars__bar soft-bars__bar--label' : 'soft-bars__bar'}
          title={`${classNames?.[cls] ?? cls}: ${(p * 100).toFixed(1)}%`}
        >
          <div className="soft-bars__fill" style={{ height: `${Math.max(p * 100, 0.5)}%` }} />
          <span className="soft-bars__class">{classNames?.[cls]?.slice(0, 3) ?? cls}</span>
        </div>
      ))}
    </div>
  );
});

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
      <label className="soft-targets__slider">
        Temperature T = {temperature.toFixed(1)}
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
      {probe === null ? (
        <EmptyState>Teacher and student probabilities for a few test images appear during training.</EmptyState>
      ) : (
        <div className="soft-targets__grid">
          <span className="soft-targets__legend">
            <span className="soft-bars__swatch soft-bars__swatch--teacher" /> teacher
            <span className="soft-bars__swatch soft-bars__swatch--student" /> student ({probe.phase}, step {probe.step})
          </span>
          {rows.map((row, i) => (
            <div key={i} className="soft-targets__row" data-testid="soft-target-row">
              <ProbeImage pixels={row.image} shape={probe.imageShape} />
              <span className="soft-targets__label" title="Hard label">
                {classNames?.[row.label] ?? row.label}
              </span>
              <ProbabilityBars probabilities={row.teacher} label={row.label} classNames={classNames} side="teacher" />
              <ProbabilityBars probabilities={row.student} label={row.label} classNames={classNames} side="student" />
            </div>
          ))}
        </div>
      )}
    </Panel>
  );
}
