import { useState } from 'react';
import { confidenceInterval95, summarizeGain, type Spread } from '../../src/seedStatistics';
import { downloadFile, fileSlug } from '../download';
import { currentSeed, seedRowsOf, sweepDistillations, type SeedSweep } from '../run/seedSweep';
import { formatPercent, formatPoints } from './format';
import { GainStrip } from './GainStrip';
import { useTexts } from '../i18n/texts';
import { dashboardSweepsTexts } from '../i18n/catalogs/dashboardSweeps';

type SweepsTexts = (typeof dashboardSweepsTexts)['en'];

const points = (fraction: number): string => (fraction * 100).toFixed(2);

/** "97.52 ± 0.08 %" for accuracies, "+0.23 ± 0.10 pp" for gains; no spread for one seed. */
function meanAndSpread(s: Spread, signed: boolean): string {
  const mean = `${signed && s.mean >= 0 ? '+' : ''}${points(s.mean)}`;
  return `${mean}${s.n > 1 ? ` ± ${points(s.sd)}` : ''} ${signed ? 'pp' : '%'}`;
}

/**
 * What the interval says, in words: a gain only counts when the interval leaves zero out. It covers
 * the spread from seed to seed, not the sampling of a small test set.
 */
function verdictOf(low: number, high: number, tx: SweepsTexts): { text: string; tone: 'good' | 'bad' | 'neutral' } {
  if (low > 0) return { text: tx.verdictAbove, tone: 'good' };
  if (high < 0) return { text: tx.verdictBelow, tone: 'bad' };
  return { text: tx.verdictZero, tone: 'neutral' };
}

/**
 * A seed sweep's results: baseline, distilled student and gain per seed, then the gain's mean,
 * spread, 95 % interval (t over the seeds, src/seedStatistics.ts) and how many seeds it won. The
 * headline distillation by default; with several distillations that have a baseline, one is chosen.
 */
export function SeedSweepResults({ sweep }: { sweep: SeedSweep }) {
  const tx = useTexts(dashboardSweepsTexts);
  const distillations = sweepDistillations(sweep);
  const [chosen, setChosen] = useState<string | null>(null);
  const studentId = distillations.some((d) => d.studentId === chosen) ? (chosen ?? undefined) : undefined;
  const rows = seedRowsOf(sweep, studentId);
  const summary = summarizeGain(rows);
  const running = sweep.state === 'running' ? currentSeed(sweep) : null;
  const gain = summary?.gain.test;
  const [low, high] = gain ? confidenceInterval95(gain) : [Number.NaN, Number.NaN];
  // Judged once the sweep is over: reading the interval after every seed and stopping when it looks
  // good would overstate the gain.
  const verdict = gain && gain.n > 1 && sweep.state !== 'running' ? verdictOf(low, high, tx) : null;
  const download = (): void => downloadFile(
    JSON.stringify(sweep.finished.map((run) => run.results), null, 2),
    `${fileSlug(sweep.experimentName, 'experiment')}-seeds-results.json`,
    'application/json',
  );

  return (
    <div className="seed-sweep" data-testid="seed-sweep" data-state={sweep.state}>
      <h4 className="seed-sweep__title">
        {tx.overSeeds(sweep.count, sweep.finished.length, sweep.state === 'stopped')}
      </h4>
      {distillations.length > 1 && (
        <label className="seed-sweep__choice">
          {tx.gainOf}{' '}
          <select value={studentId ?? distillations[0].studentId} data-testid="seed-sweep-distillation" onChange={(event) => setChosen(event.target.value)}>
            {distillations.map((d) => <option key={d.studentId} value={d.studentId}>{d.label}</option>)}
          </select>
        </label>
      )}
      <table className="results-table seed-sweep__table">
        <thead>
          <tr>
            <th scope="col">{tx.seed}</th>
            <th scope="col">{tx.baselineTest}</th>
            <th scope="col">{tx.distilledTest}</th>
            <th scope="col">{tx.gainTest}</th>
            <th scope="col">{tx.gainValidation}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.seed} data-testid="seed-sweep-row">
              <th scope="row">{row.seed}</th>
              <td>{formatPercent(row.baseline?.test)}</td>
              <td>{formatPercent(row.student?.test)}</td>
              <td data-testid="seed-sweep-gain">{row.baseline && row.student ? formatPoints(row.student.test - row.baseline.test) : '—'}</td>
              <td>{row.baseline && row.student ? formatPoints(row.student.validation - row.baseline.validation) : '—'}</td>
            </tr>
          ))}
          {running && (
            <tr className="seed-sweep__pending">
              <th scope="row">{running.seed}</th>
              <td colSpan={4}>{tx.training}</td>
            </tr>
          )}
        </tbody>
      </table>
      {summary && gain ? (
        <p className="seed-sweep__summary" data-testid="seed-sweep-summary">
          {tx.summaryAccuracies(meanAndSpread(summary.baseline.test, false), meanAndSpread(summary.student.test, false))}
          <br />
          <b data-testid="seed-sweep-gain-mean">{tx.gain(meanAndSpread(gain, true))}</b>
          {gain.n > 1
            ? <>{tx.interval}<span data-testid="seed-sweep-ci">{formatPoints(low)}{tx.intervalTo}{formatPoints(high)}</span></>
            : tx.oneSeed}
          {tx.betterIn(gain.positive, gain.n)}
        </p>
      ) : (
        <p className="seed-sweep__summary">{tx.gainPending}</p>
      )}
      {summary && gain && (
        <GainStrip
          gains={rows.flatMap((row) => (row.baseline && row.student ? [{ seed: row.seed, gain: row.student.test - row.baseline.test }] : []))}
          interval={gain.n > 1 ? [low, high] : null}
          mean={gain.mean}
        />
      )}
      {verdict && (
        <p className={`seed-sweep__verdict seed-sweep__verdict--${verdict.tone}`} data-testid="seed-sweep-verdict">
          {verdict.text}
        </p>
      )}
      {sweep.finished.length > 0 && (
        <button type="button" data-testid="download-seed-results" onClick={download}
          title={tx.downloadSeedsTitle}>
          {tx.downloadSeeds}
        </button>
      )}
    </div>
  );
}
