import { useMemo, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useStudio } from '../store';
import type { LossSeries } from '../store/runSlice';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { latestValue, logDomain, lossRows, lossTable, lossTermKeys, lossTermLabels, magnitudeSpread, phaseTabs, positiveRows, SERIES_COLORS } from './chartData';
import { ChartDownloads } from './ChartDownloads';
import { formatCompact } from './colormap';
import { CHART_MARGIN, GRID_PROPS, stepAxisProps, stepTooltipProps } from './chartStyle';
import { EmptyState, Panel } from './Panel';
import { usePresenterMode } from '../classroom/presenterMode';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

/** Terms whose typical sizes differ by this many orders of magnitude are hard to read on a linear axis. */
const LOG_SCALE_SPREAD = 1.5;
const TOTAL_COLOR = '#24292f';
const NO_SERIES: LossSeries = { phaseId: '', kind: 'teacher', label: '', stride: 1, points: [] };

/** Every weighted loss term and the total, per step, for one phase at a time (a tab per phase). */
export function LossChart() {
  const tx = useTexts(dashboardTexts);
  const phaseKindNames = { teacher: tx.phaseTeacher, baseline: tx.phaseBaseline, student: tx.phaseStudent };
  // Presenter view gives the chart a shorter cell of a 720 px screen (app/classroom/presenter.css).
  const chartHeight = usePresenterMode() ? 150 : 220;
  const lossSeries = useStudio((s) => s.run.lossSeries);
  const plan = useStudio((s) => s.run.plan);
  const selection = useStudio((s) => s.run.selection);
  const nodes = useStudio((s) => s.experiment.nodes);
  const [chosen, setChosen] = useState<string | null>(null);
  const [chosenLog, setChosenLog] = useState<boolean | null>(null);

  const tabs = useMemo(() => phaseTabs(plan, selection, lossSeries), [plan, selection, lossSeries]);
  // Follow the phase that reported last unless the user picked one.
  const latestPhase = Object.keys(lossSeries).at(-1) ?? null;
  const phaseId = chosen !== null && lossSeries[chosen] !== undefined ? chosen : latestPhase;
  const series = (phaseId === null ? undefined : lossSeries[phaseId]) ?? NO_SERIES;
  const rows = useMemo(() => lossRows(series), [series]);
  const terms = useMemo(() => lossTermKeys(series), [series]);
  const spread = useMemo(() => magnitudeSpread(rows, ['total', ...terms]), [rows, terms]);
  // Log scale by default when the terms span orders of magnitude, until the user decides.
  const logScale = chosenLog ?? spread >= LOG_SCALE_SPREAD;
  const plotted = useMemo(() => (logScale ? positiveRows(rows) : rows), [rows, logScale]);
  const yDomain = useMemo(() => (logScale ? logDomain(rows, ['total', ...terms]) : ([0, 'auto'] as const)), [rows, terms, logScale]);
  const labelOf = useMemo(() => lossTermLabels(plan, nodes, tx.crossEntropyTerm), [plan, nodes, tx.crossEntropyTerm]);

  const legend = useMemo<LegendItem[]>(() => {
    const latest = (key: string) => {
      const value = latestValue(rows, key);
      return value === null ? undefined : formatCompact(value);
    };
    return [
      { key: 'total', label: tx.total, color: TOTAL_COLOR, value: latest('total') },
      ...terms.map((term, index) => ({
        key: term,
        label: labelOf(term),
        color: SERIES_COLORS[index % SERIES_COLORS.length],
        value: latest(term),
      })),
    ];
  }, [rows, terms, labelOf, tx]);

  return (
    <Panel title={tx.lossTitle} testId="loss-chart">
      <div className="dash-toolbar">
        <div className="dash-tabs" role="tablist">
          {tabs.map((tab) => (
            <button
              key={tab.phaseId}
              type="button"
              role="tab"
              aria-selected={tab.phaseId === phaseId}
              disabled={!tab.hasData}
              data-phase-kind={tab.kind}
              title={`${tab.label} (${phaseKindNames[tab.kind]})`}
              onClick={() => setChosen(tab.phaseId)}
            >
              {tab.label}
            </button>
          ))}
        </div>
        <label className="dash-toggle" title={tx.orders(spread.toFixed(1))}>
          <input type="checkbox" checked={logScale} onChange={(event) => setChosenLog(event.target.checked)} />
          {tx.logScale}
        </label>
        {rows.length > 0 && (
          <ChartDownloads chart="loss" title={tx.lossChartTitle(series.label)} data={() => ({
            ...lossTable(lossSeries, labelOf),
            legend: [{ label: tx.total, color: TOTAL_COLOR }, ...terms.map((term, index) => ({ label: labelOf(term), color: SERIES_COLORS[index % SERIES_COLORS.length] }))],
          })} />
        )}
      </div>
      {rows.length === 0 ? (
        <EmptyState>{tx.lossEmpty}</EmptyState>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={chartHeight}>
            <LineChart data={plotted} margin={CHART_MARGIN}>
              <CartesianGrid {...GRID_PROPS} />
              <XAxis {...stepAxisProps(tx)} />
              <YAxis
                width={56}
                scale={logScale ? 'log' : 'auto'}
                domain={yDomain}
                tickFormatter={formatCompact}
              />
              <Tooltip {...stepTooltipProps(tx)} />
              <Line dataKey="total" name={tx.total} stroke={TOTAL_COLOR} strokeWidth={2.5} dot={false} connectNulls isAnimationActive={false} />
              {terms.map((term, index) => (
                <Line
                  key={term}
                  dataKey={term}
                  name={labelOf(term)}
                  stroke={SERIES_COLORS[index % SERIES_COLORS.length]}
                  strokeWidth={1.5}
                  dot={false}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
          <ChartLegend items={legend} />
        </>
      )}
    </Panel>
  );
}
