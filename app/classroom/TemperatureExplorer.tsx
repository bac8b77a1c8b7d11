import { useEffect, useMemo, useState } from 'react';
import type { ExplorerLogits } from '../../src/classroom/explorerTeacher';
import {
  entropyBits, kdGradientScale, maxEntropyBits, softmaxWithTemperature, TEMPERATURE_STOPS, wrongClassMass,
} from '../../src/classroom/softTargetMaths';
import { ProbeImage } from '../dashboard/ProbeImage';
import { SoftTargetChart } from '../dashboard/SoftTargetChart';
import { useExplorerLogits } from './useExplorerLogits';
import './classroom.css';

const TEACHER_COLOR = '#1f6feb';
const formatTemperature = (t: number) => (Number.isInteger(t) ? String(t) : t.toFixed(1));

/** Per image: the soft targets at T and the two numbers that describe them. */
function softTargetsAt(data: ExplorerLogits, temperature: number) {
  return data.logits.map((logits, i) => {
    const probabilities = softmaxWithTemperature(logits, temperature);
    return { probabilities, entropy: entropyBits(probabilities), darkKnowledge: wrongClassMass(probabilities, data.labels[i]) };
  });
}

function ExplorerBody({ data }: { data: ExplorerLogits }) {
  const [stop, setStop] = useState(0);
  const temperature = TEMPERATURE_STOPS[stop];
  const rows = useMemo(() => softTargetsAt(data, temperature), [data, temperature]);
  const meanEntropy = rows.reduce((sum, row) => sum + row.entropy, 0) / rows.length;
  const meanDark = rows.reduce((sum, row) => sum + row.darkKnowledge, 0) / rows.length;
  const maxBits = maxEntropyBits(data.classNames.length);

  return (
    <>
      <div className="explorer__controls">
        <label className="explorer__slider">
          <span>Temperature <b data-testid="explorer-temperature">T = {formatTemperature(temperature)}</b></span>
          <input type="range" min={0} max={TEMPERATURE_STOPS.length - 1} step={1} value={stop}
            aria-valuetext={`T = ${formatTemperature(temperature)}`} data-testid="explorer-slider"
            onChange={(event) => setStop(Number(event.target.value))} />
        </label>
        <dl className="explorer__summary">
          <div>
            <dt>Mean entropy</dt>
            <dd data-testid="explorer-entropy" data-bits={meanEntropy}>{meanEntropy.toFixed(2)} bits <span className="muted">of at most log₂ {data.classNames.length} = {maxBits.toFixed(2)}</span></dd>
          </div>
          <div>
            <dt>Dark knowledge</dt>
            <dd data-testid="explorer-dark-knowledge">{(meanDark * 100).toFixed(1)} % <span className="muted">on the wrong classes</span></dd>
          </div>
          <div>
            <dt>KD loss × T²</dt>
            <dd data-testid="explorer-t-squared">{formatTemperature(kdGradientScale(temperature))}</dd>
          </div>
        </dl>
      </div>
      <p className="explorer__note">
        Soft-target gradients shrink as 1/T² (both softmaxes divide by T), so the KD term is multiplied by T² to
        weigh as much as the hard-label term. Teacher: {data.teacherLabel}, shipped with {(data.testAccuracy * 100).toFixed(2)} % test accuracy;
        the first {data.labels.length} MNIST test images.
      </p>
      <div className="explorer__grid">
        {rows.map((row, i) => (
          <div key={i} className="explorer__card" data-testid="explorer-card">
            <div className="explorer__digit">
              <ProbeImage pixels={data.images[i]} shape={data.imageShape} size={56} />
              <span>label <b>{data.classNames[data.labels[i]]}</b></span>
            </div>
            <div className="explorer__bars">
              <SoftTargetChart
                series={[{ modelId: 'teacher', label: 'Teacher', role: 'teacher', color: TEACHER_COLOR, probabilities: row.probabilities }]}
                label={data.labels[i]} classNames={data.classNames} />
              <p className="explorer__numbers">
                H = {row.entropy.toFixed(2)} bits · wrong classes {(row.darkKnowledge * 100).toFixed(1)} %
              </p>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}

/**
 * Soft targets at any temperature without training: the shipped Hinton teacher's logits on real
 * test images, softened on the page as the slider moves (the maths lives in src/classroom).
 */
export function TemperatureExplorer({ onClose }: { onClose: () => void }) {
  const { load, retry } = useExplorerLogits();
  useEffect(() => {
    const closeOnEscape = (event: KeyboardEvent) => { if (event.key === 'Escape') onClose(); };
    window.addEventListener('keydown', closeOnEscape);
    return () => window.removeEventListener('keydown', closeOnEscape);
  }, [onClose]);

  return (
    <div className="explorer-backdrop" onClick={onClose}>
      <div className="explorer" role="dialog" aria-modal="true" aria-labelledby="explorer-title" data-testid="temperature-explorer"
        onClick={(event) => event.stopPropagation()}>
        <header className="explorer__header">
          <h2 id="explorer-title">Temperature explorer</h2>
          <button type="button" onClick={onClose} data-testid="explorer-close">Close</button>
        </header>
        {load.status === 'loading' && <p className="muted" data-testid="explorer-loading">Loading the shipped teacher and twelve test images in a worker…</p>}
        {load.status === 'failed' && (
          <div className="explorer__error" role="alert" data-testid="explorer-error">
            {load.message} <button type="button" onClick={retry}>Try again</button>
          </div>
        )}
        {load.status === 'ready' && <ExplorerBody data={load.result} />}
      </div>
    </div>
  );
}
