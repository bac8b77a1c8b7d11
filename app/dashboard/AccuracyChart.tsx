import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EpochMetrics } from '../../src/protocol';
import { useStudio } from '../store';
import { ChartLegend, type LegendItem } from './ChartLegend';
import { CHART_MARGIN, epochAxisProps, GRID_PROPS } from './chartStyle';
import { accuracyDomain, accuracyKey, accuracyRows, latestValue } from './chartData';
import { knownModels, modelColors, type ModelIdentity } from './modelColors';
import { EmptyState, Panel } from './Panel';
import { ChartDownloads } from './ChartDownloads';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

const formatPercentValue = (value: unknown) => `${Number(value).toFixed(2)}%`;

/** A model seen only in epoch events (not in the plan): named by its id, its role read from its phase's kind. */
function identityFromEpochs(modelId: string, epochs: readonly EpochMetrics[]): ModelIdentity {
  const kind = epochs[0]?.kind ?? 'student';
  return { modelId, label: modelId, role: kind };
}

/** Train (dashed, hollow dots) and test (solid) accuracy per epoch, one pair of lines per trained model. */
export function AccuracyChart() {
  const tx = useTexts(dashboardTexts);
  const epochMetrics = useStudio((s) => s.run.epochMetrics);
  const plan = useStudio((s) => s.run.plan);
  const rows = useMemo(() => accuracyRows(epochMetrics), [epochMetrics]);
  const domain = useMemo(() => accuracyDomain(rows), [rows]);
  const { models, colors } = useMemo(() => {
    const seen = Object.entries(epochMetrics).map(([modelId, epochs]) => identityFromEpochs(modelId, epochs));
    const all = knownModels(plan, seen);
    return { models: all.filter((model) => (epochMetrics[model.modelId]?.length ?? 0) > 0), colors: modelColors(all) };
  }, [epochMetrics, plan]);
  const epochTicks = rows.map((row) => row.epoch);

  const lines = useMemo(
    () =>
      models.flatMap((model) => {
        const color = colors.get(model.modelId) ?? '#57606a';
        return (['test', 'train'] as const).map((split) => ({
          key: accuracyKey(model.modelId, split), label: model.label, name: `${model.label} ${split === 'test' ? tx.splitTest : tx.splitTrain}`, color, split,
        }));
      }),
    [models, colors, tx],
  );
  const legend = useMemo<LegendItem[]>(
    () =>
      lines.map((line) => {
        const value = latestValue(rows, line.key);
        return { key: line.key, label: line.name, color: line.color, dashed: line.split === 'train', value: value === null ? undefined : formatPercentValue(value) };
      }),
    [lines, rows],
  );

  return (
    <Panel title={tx.accuracyTitle} testId="accuracy-chart">
      {rows.length === 0 ? (
        <EmptyState>{tx.accuracyEmpty}</EmptyState>
      ) : (
        <>
          <div className="dash-toolbar dash-toolbar--end">
            <ChartDownloads chart="accuracy" title={tx.accuracyTitle} data={() => ({
              // CSV headers stay English whatever the interface language: they are read by scripts.
              columns: [{ key: 'epoch', label: 'epoch' }, ...lines.map((line) => ({ key: line.key, label: `${line.label} ${line.split} accuracy (%)` }))],
              rows,
              legend: lines.map((line) => ({ label: line.name, color: line.color, dashed: line.split === 'train' })),
            })} />
          </div>
          <ResponsiveContainer width="100%" height={220}>
            <LineChart data={rows} margin={CHART_MARGIN}>
              <CartesianGrid {...GRID_PROPS} />
              <XAxis {...epochAxisProps(rows.length, epochTicks, tx)} />
              <YAxis width={52} domain={domain} unit="%" allowDataOverflow tickCount={6} />
              <Tooltip isAnimationActive={false} formatter={formatPercentValue} labelFormatter={(epoch) => tx.epochTooltip(String(epoch))} />
              {lines.map((line) =>
                line.split === 'test' ? (
                  <Line
                    key={line.key}
                    dataKey={line.key}
                    name={line.name}
                    stroke={line.color}
                    strokeWidth={2.5}
                    dot={{ r: 4, fill: line.color, strokeWidth: 0 }}
                    activeDot={{ r: 6 }}
                    isAnimationActive={false}
                  />
                ) : (
                  <Line
                    key={line.key}
                    dataKey={line.key}
                    name={line.name}
                    stroke={line.color}
                    strokeWidth={1.5}
                    strokeDasharray="4 3"
                    dot={{ r: 3.5, fill: '#fff', stroke: line.color, strokeWidth: 1.5 }}
                    isAnimationActive={false}
                  />
                ),
              )}
            </LineChart>
          </ResponsiveContainer>
          <ChartLegend items={legend} />
        </>
      )}
    </Panel>
  );
}
