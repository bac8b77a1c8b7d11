import { useTexts } from '../i18n/texts';
import { dashboardSweepsTexts } from '../i18n/catalogs/dashboardSweeps';

/**
 * The seeds' gains on one axis: a dot per seed, zero marked, and the mean with its 95 % interval as
 * a bar, so whether the interval leaves zero out can be seen at a glance. Gains are fractions.
 */
export function GainStrip({ gains, interval, mean }: { gains: { seed: number; gain: number }[]; interval: [number, number] | null; mean: number }) {
  const tx = useTexts(dashboardSweepsTexts);
  const width = 360;
  const height = 46;
  const pad = 14;
  const axisY = 22;
  const values = [0, mean, ...gains.map((g) => g.gain), ...(interval ?? [])].filter(Number.isFinite);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 0.001;
  const x = (value: number): number => pad + ((value - low) / span) * (width - 2 * pad);
  const label = (value: number): string => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)}`;

  return (
    <svg className="gain-strip" data-testid="gain-strip" width={width} height={height} viewBox={`0 0 ${width} ${height}`}
      role="img" aria-label={tx.stripLabel}>
      <line className="gain-strip__axis" x1={pad} x2={width - pad} y1={axisY} y2={axisY} />
      <line className="gain-strip__zero" x1={x(0)} x2={x(0)} y1={axisY - 12} y2={axisY + 12} />
      <text className="gain-strip__label" x={x(0)} y={height - 2} textAnchor="middle">0</text>
      {interval && (
        <line className="gain-strip__interval" data-testid="gain-strip-interval" x1={x(interval[0])} x2={x(interval[1])} y1={axisY + 8} y2={axisY + 8}>
          <title>{tx.stripInterval(label(interval[0]), label(interval[1]))}</title>
        </line>
      )}
      <line className="gain-strip__mean" x1={x(mean)} x2={x(mean)} y1={axisY + 3} y2={axisY + 13}>
        <title>{tx.stripMean(label(mean))}</title>
      </line>
      {gains.map(({ seed, gain }) => (
        <circle key={seed} className={`gain-strip__dot${gain > 0 ? ' gain-strip__dot--up' : gain < 0 ? ' gain-strip__dot--down' : ''}`} data-testid="gain-strip-dot"
          cx={x(gain)} cy={axisY - 4} r={4}>
          <title>{tx.stripSeed(seed, label(gain))}</title>
        </circle>
      ))}
      <text className="gain-strip__label" x={pad} y={10} textAnchor="start">{label(low)} pp</text>
      <text className="gain-strip__label" x={width - pad} y={10} textAnchor="end">{label(high)} pp</text>
    </svg>
  );
}
