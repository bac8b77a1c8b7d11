import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { bestRowIndex, currentPoint, gainLines, paramSweepRows, type ParamSweep } from '../run/paramSweep';
import { describeSweepValues } from '../../src/graph/sweepVariants';
import { CHART_MARGIN, GRID_PROPS } from './chartStyle';
import { formatPercent, formatPoints } from './format';
import { useTexts } from '../i18n/texts';
import { dashboardSweepsTexts } from '../i18n/catalogs/dashboardSweeps';

const LINE_COLORS = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bf8700', '#57606a'];

interface DotProps { cx?: number; cy?: number; payload?: { best: boolean }; stroke?: string }

/** A point of the gain chart; the best gain of the sweep drawn as a larger ringed dot. */
function GainDot({ cx, cy, payload, stroke }: DotProps) {
  const tx = useTexts(dashboardSweepsTexts);
  if (cx === undefined || cy === undefined) return null;
  return (
    <g data-testid="param-sweep-point">
      <circle cx={cx} cy={cy} r={3.5} fill={stroke} />
      {payload?.best && <circle data-testid="param-sweep-best-marker" cx={cx} cy={cy} r={8} fill="none" stroke="#1a7f37" strokeWidth={2.5}><title>{tx.bestGain}</title></circle>}
    </g>
  );
}

/** The chart's x axis: numbers on a log scale when they span a factor of 20 or more (learning rates), categories for layers. */
function xAxisProps(values: readonly (number | string)[]) {
  const numbers = values.filter((v): v is number => typeof v === 'number');
  if (numbers.length !== values.length) return { type: 'category' as const, allowDuplicatedCategory: false };
  const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
  return low > 0 && high / low >= 20
    ? { type: 'number' as const, scale: 'log' as const, domain: [low, high], ticks: numbers }
    : { type: 'number' as const, domain: ['dataMin', 'dataMax'] as [string, string], ticks: numbers };
}

/**
 * A parameter sweep's results: one row per finished run with its values, the teacher's, baseline's
 * and distilled student's test accuracy and the gain, the best gain marked; then the gain against
 * the first parameter, one line per value of the second.
 */
export function ParamSweepResults({ sweep }: { sweep: ParamSweep }) {
  const tx = useTexts(dashboardSweepsTexts);
  const rows = useMemo(() => paramSweepRows(sweep), [sweep]);
  const lines = useMemo(() => gainLines(sweep, tx.gainLine), [sweep, tx]);
  const best = bestRowIndex(rows);
  const running = sweep.state === 'running' ? currentPoint(sweep) : null;
  const first = sweep.axes[0];

  return (
    <div className="seed-sweep param-sweep" data-testid="param-sweep" data-state={sweep.state}>
      <h4 className="seed-sweep__title">
        {tx.sweepOf(sweep.axes.map((axis) => axis.label).join(' × '), sweep.finished.length, sweep.points.length, sweep.state === 'stopped')}
      </h4>
      <table className="results-table seed-sweep__table">
        <thead>
          <tr>
            {sweep.axes.map((axis) => <th key={axis.symbol} scope="col" title={axis.label}>{axis.symbol}</th>)}
            <th scope="col">{tx.teacherTest}</th>
            <th scope="col">{tx.baselineTest}</th>
            <th scope="col">{tx.distilledTest}</th>
            <th scope="col">{tx.gainTest}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={row.values.join('|')} data-testid="param-sweep-row" data-best={index === best}
              className={index === best ? 'param-sweep__best' : undefined}>
              {row.values.map((value, axis) => <th key={axis} scope="row">{value}</th>)}
              <td>{formatPercent(row.teacher)}</td>
              <td>{formatPercent(row.baseline)}</td>
              <td>{formatPercent(row.distilled)}</td>
              <td data-testid="param-sweep-gain">{row.gain === null ? '—' : formatPoints(row.gain)}{index === best && ' ★'}</td>
            </tr>
          ))}
          {running && (
            <tr className="seed-sweep__pending">
              <th scope="row" colSpan={sweep.axes.length}>{describeSweepValues(sweep.axes, running.values)}</th>
              <td colSpan={4}>{tx.training}</td>
            </tr>
          )}
        </tbody>
      </table>
      {best !== null && (
        <p className="seed-sweep__summary" data-testid="param-sweep-best">
          {tx.bestSummary(formatPoints(rows[best].gain ?? 0), describeSweepValues(sweep.axes, rows[best].values))}
        </p>
      )}
      {lines.length > 0 && (
        <div data-testid="param-sweep-chart">
          <LineChart width={460} height={220} margin={CHART_MARGIN}>
            <CartesianGrid {...GRID_PROPS} />
            <XAxis dataKey="x" {...xAxisProps(first.values)} label={{ value: first.symbol, position: 'insideBottomRight', offset: -2, fontSize: 11 }} />
            <YAxis dataKey="gain" tickFormatter={(value: number) => `${(value * 100).toFixed(1)}`}
              label={{ value: tx.gainAxis, angle: -90, position: 'insideLeft', fontSize: 11 }} />
            <Tooltip formatter={(value) => formatPoints(Number(value))} labelFormatter={(x) => `${first.symbol} = ${x}`} />
            {lines.map((line, index) => (
              <Line key={line.name} data={line.points} dataKey="gain" name={line.name} isAnimationActive={false}
                stroke={LINE_COLORS[index % LINE_COLORS.length]} dot={<GainDot />} activeDot={false} />
            ))}
          </LineChart>
          {lines.length > 1 && (
            <p className="param-sweep__legend">
              {lines.map((line, index) => <span key={line.name} style={{ color: LINE_COLORS[index % LINE_COLORS.length] }}>— {line.name} </span>)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
