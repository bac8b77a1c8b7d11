import { memo } from 'react';
import { argmax, probabilityCeiling } from './chartData';
import type { DisplayRole } from './modelColors';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

/** Percent with one decimal, or "<0.1%" so tiny but non-zero soft targets do not read as zero. */
function percent(p: number): string {
  return p > 0 && p < 0.001 ? '<0.1%' : `${(p * 100).toFixed(1)}%`;
}

/** One model's soft targets on one probe image, with how it is drawn. */
export interface SoftTargetSeries {
  modelId: string;
  label: string;
  role: DisplayRole;
  color: string;
  probabilities: number[];
}

function Bar({ probability, ceiling, series, top }: { probability: number; ceiling: number; series: SoftTargetSeries; top: boolean }) {
  return (
    <div className={`soft-bar soft-bars--${series.role}${top ? ' soft-bar--top' : ''}`} data-model-id={series.modelId}>
      {top && <span className="soft-bar__value" style={{ color: series.color }}>{Math.round(probability * 100)}</span>}
      {/* A sliver stays visible at 0 so every class has a bar to compare against. */}
      <div className="soft-bars__fill" style={{ height: `${Math.max((probability / ceiling) * 100, 0.5)}%`, background: series.color }} />
    </div>
  );
}

/**
 * One probe image as a small grouped bar chart: per class, each model's probability at temperature
 * T side by side (teachers first, then learners). The true class is marked under the axis and each
 * model's most likely class is drawn solid with its percentage on top.
 */
export const SoftTargetChart = memo(function SoftTargetChart({
  series,
  label,
  classNames,
}: {
  series: readonly SoftTargetSeries[];
  label: number;
  classNames: string[] | null;
}) {
  const tx = useTexts(dashboardTexts);
  const tops = series.map((s) => argmax(s.probabilities));
  const ceiling = probabilityCeiling(...series.map((s) => s.probabilities));
  const classes = series[0]?.probabilities.map((_, cls) => cls) ?? [];
  const nameOf = (cls: number): string => classNames?.[cls] ?? String(cls);
  return (
    <div className="soft-chart" role="img" aria-label={tx.probabilitiesPerClass(series.map((s) => s.label).join(', '))}>
      <div className="soft-chart__plot" data-ceiling={`${Math.round(ceiling * 100)}%`} title={tx.axisUpTo(Math.round(ceiling * 100))}>
        {classes.map((cls) => (
          <div
            key={cls}
            className={cls === label ? 'soft-chart__class soft-chart__class--label' : 'soft-chart__class'}
            title={`${nameOf(cls)}${cls === label ? tx.trueLabelMark : ''}\n${series.map((s) => `${s.label} ${percent(s.probabilities[cls])}`).join('\n')}`}
          >
            {series.map((s, i) => (
              <Bar key={s.modelId} probability={s.probabilities[cls]} ceiling={ceiling} series={s} top={cls === tops[i]} />
            ))}
          </div>
        ))}
      </div>
      <div className="soft-chart__axis">
        {classes.map((cls) => (
          <span key={cls} className={cls === label ? 'soft-chart__tick soft-chart__tick--label' : 'soft-chart__tick'}>
            {classNames?.[cls]?.slice(0, 4) ?? cls}
          </span>
        ))}
      </div>
      <p className="soft-chart__verdict">
        {series.map((s, i) => (
          <span key={s.modelId}>
            {i > 0 && ' · '}
            {s.label} → <b className={tops[i] === label ? 'is-right' : 'is-wrong'}>{nameOf(tops[i])}</b> {percent(s.probabilities[tops[i]])}
          </span>
        ))}
      </p>
    </div>
  );
});
