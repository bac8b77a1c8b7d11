import { useMemo } from 'react';
import type { HeatmapPair } from '../../src/protocol';
import { useStudio } from '../store';
import { knownModels, labelLookup } from './modelColors';
import { formatCompact, matrixRange } from './colormap';
import { FspDistanceChart } from './FspDistanceChart';
import { phaseStyles } from './phaseStyles';
import { CaptionedHeatmap, ColorScale } from './Heatmap';
import { EmptyState, Panel } from './Panel';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

/** One FSP block: the teacher side's and the student side's matrices on one shared colour scale, so colour differences are real. */
function FspPair({ pair, labelOf }: { pair: HeatmapPair; labelOf: (modelId: string) => string }) {
  const tx = useTexts(dashboardTexts);
  const teacherName = labelOf(pair.teacherModel);
  const studentName = labelOf(pair.studentModel);
  const range = useMemo(() => matrixRange(pair.teacher, pair.student), [pair]);
  const size = `${pair.rows}×${pair.cols}`;
  return (
    <figure className="fsp-pair">
      <figcaption className="fsp-pair__title">
        <strong>{pair.label}</strong>
        <span className="fsp-pair__distance" title={tx.fspDistanceTitle}>
          d = {formatCompact(pair.distance)}
        </span>
      </figcaption>
      <div className="fsp-pair__maps">
        <CaptionedHeatmap matrix={pair.teacher} range={range} label={tx.fspOf(teacherName, pair.label)} caption={teacherName} detail={size} size={120} testId="fsp-heatmap" />
        <CaptionedHeatmap matrix={pair.student} range={range} label={tx.fspOf(studentName, pair.label)} caption={studentName} detail={size} size={120} testId="fsp-heatmap" />
      </div>
      <ColorScale range={range} caption={tx.sharedScale} />
    </figure>
  );
}

/** FSP matrices (Yim et al.) of the two models each FSP block compares, side by side, and their distance over training. */
export function FspMatrices() {
  const tx = useTexts(dashboardTexts);
  const fsp = useStudio((s) => s.run.probe?.fsp);
  const logits = useStudio((s) => s.run.probe?.logits);
  const step = useStudio((s) => s.run.probe?.step);
  const plan = useStudio((s) => s.run.plan);
  const history = useStudio((s) => s.run.fspHistory);
  const pairs = useMemo(() => fsp ?? [], [fsp]);
  const pairLabels = useMemo(() => new Map(pairs.map((pair) => [pair.id, pair.label])), [pairs]);
  const labelOf = useMemo(() => labelLookup(knownModels(plan, logits ?? [])), [plan, logits]);
  const phaseIds = useMemo(() => Object.keys(history), [history]);
  const phases = useMemo(() => phaseStyles(plan, phaseIds), [plan, phaseIds]);

  return (
    <Panel title={tx.fspTitle} testId="fsp-matrices" wide>
      {pairs.length === 0 ? (
        <EmptyState>{tx.fspEmpty}</EmptyState>
      ) : (
        <>
          <p className="dash-panel__note">{tx.fspNote(step ?? 0)}</p>
          <div className="fsp-layout">
            <div className="fsp-pairs">
              {pairs.map((pair) => (
                <FspPair key={pair.id} pair={pair} labelOf={labelOf} />
              ))}
            </div>
            <FspDistanceChart history={history} pairLabels={pairLabels} phases={phases} />
          </div>
        </>
      )}
    </Panel>
  );
}
