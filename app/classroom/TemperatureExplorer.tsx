import { useEffect, useMemo, useState } from 'react';
import type { ExplorerLogits } from '../../src/classroom/explorerTeacher';
import {
  entropyBits, kdGradientScale, maxEntropyBits, softmaxWithTemperature, TEMPERATURE_STOPS, wrongClassMass,
} from '../../src/classroom/softTargetMaths';
import { ProbeImage } from '../dashboard/ProbeImage';
import { SoftTargetChart } from '../dashboard/SoftTargetChart';
import { useExplorerLogits } from './useExplorerLogits';
import { useTexts } from '../i18n/texts';
import { classroomTexts } from '../i18n/catalogs/classroom';
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
  const tx = useTexts(classroomTexts);
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
          <span>{tx.temperature} <b data-testid="explorer-temperature">T = {formatTemperature(temperature)}</b></span>
          <input type="range" min={0} max={TEMPERATURE_STOPS.length - 1} step={1} value={stop}
            aria-valuetext={`T = ${formatTemperature(temperature)}`} data-testid="explorer-slider"
            onChange={(event) => setStop(Number(event.target.value))} />
        </label>
        <dl className="explorer__summary">
          <div>
            <dt>{tx.meanEntropy}</dt>
            <dd data-testid="explorer-entropy" data-bits={meanEntropy}>
              {tx.bits(meanEntropy.toFixed(2))} <span className="muted">{tx.ofAtMost(data.classNames.length, maxBits.toFixed(2))}</span>
            </dd>
          </div>
          <div>
            <dt>{tx.darkKnowledge}</dt>
            <dd data-testid="explorer-dark-knowledge">{(meanDark * 100).toFixed(1)} % <span className="muted">{tx.onWrongClasses}</span></dd>
          </div>
          <div>
            <dt>{tx.kdScale}</dt>
            <dd data-testid="explorer-t-squared">{formatTemperature(kdGradientScale(temperature))}</dd>
          </div>
        </dl>
      </div>
      <p className="explorer__note">{tx.note(data.teacherLabel, (data.testAccuracy * 100).toFixed(2), data.labels.length)}</p>
      <div className="explorer__grid">
        {rows.map((row, i) => (
          <div key={i} className="explorer__card" data-testid="explorer-card">
            <div className="explorer__digit">
              <ProbeImage pixels={data.images[i]} shape={data.imageShape} size={56} />
              <span>{tx.label} <b>{data.classNames[data.labels[i]]}</b></span>
            </div>
            <div className="explorer__bars">
              <SoftTargetChart
                series={[{ modelId: 'teacher', label: tx.teacher, role: 'teacher', color: TEACHER_COLOR, probabilities: row.probabilities }]}
                label={data.labels[i]} classNames={data.classNames} />
              <p className="explorer__numbers">
                {tx.cardNumbers(row.entropy.toFixed(2), (row.darkKnowledge * 100).toFixed(1))}
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
  const tx = useTexts(classroomTexts);
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
          <h2 id="explorer-title">{tx.explorerTitle}</h2>
          <button type="button" onClick={onClose} data-testid="explorer-close">{tx.close}</button>
        </header>
        {load.status === 'loading' && <p className="muted" data-testid="explorer-loading">{tx.loading}</p>}
        {load.status === 'failed' && (
          <div className="explorer__error" role="alert" data-testid="explorer-error">
            {load.message} <button type="button" onClick={retry}>{tx.tryAgain}</button>
          </div>
        )}
        {load.status === 'ready' && <ExplorerBody data={load.result} />}
      </div>
    </div>
  );
}
