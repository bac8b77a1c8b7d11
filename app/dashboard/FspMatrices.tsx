import { useMemo } from 'react';
import type { HeatmapPair } from '../../src/protocol';
import { useStudio } from '../store';
import { PHASE_LABELS } from './chartData';
import { formatCompact, matrixRange } from './colormap';
import { FspDistanceChart } from './FspDistanceChart';
import { CaptionedHeatmap, ColorScale } from './Heatmap';
import { EmptyState, Panel } from './Panel';

/** One FSP block: teacher and student matrices on one shared colour scale, so colour differences are real. */
function FspPair({ pair, studentName }: { pair: HeatmapPair; studentName: string }) {
  const range = useMemo(() => matrixRange(pair.teacher, pair.student), [pair]);
  const size = `${pair.rows}×${pair.cols}`;
  return (
    <figure className="fsp-pair">
      <figcaption className="fsp-pair__title">
        <strong>{pair.label}</strong>
        <span className="fsp-pair__distance" title="FSP loss on the probe images: squared Frobenius distance between teacher and student matrices, per image, averaged">
          d = {formatCompact(pair.distance)}
        </span>
      </figcaption>
      <div className="fsp-pair__maps">
        <CaptionedHeatmap matrix={pair.teacher} range={range} label={`Teacher FSP, ${pair.label}`} caption="teacher" detail={size} size={120} testId="fsp-heatmap" />
        <CaptionedHeatmap matrix={pair.student} range={range} label={`Student FSP, ${pair.label}`} caption={studentName} detail={size} size={120} testId="fsp-heatmap" />
      </div>
      <ColorScale range={range} caption="shared scale" />
    </figure>
  );
}

/** FSP matrices (Yim et al.) of teacher and student side by side, and their distance over training. */
export function FspMatrices() {
  const fsp = useStudio((s) => s.run.probe?.fsp);
  const phase = useStudio((s) => s.run.probe?.phase);
  const step = useStudio((s) => s.run.probe?.step);
  const history = useStudio((s) => s.run.fspHistory);
  const pairs = useMemo(() => fsp ?? [], [fsp]);
  const pairLabels = useMemo(() => new Map(pairs.map((pair) => [pair.id, pair.label])), [pairs]);
  const studentName = phase === undefined ? 'student' : PHASE_LABELS[phase].toLowerCase();

  return (
    <Panel title="FSP matrices" testId="fsp-matrices" wide>
      {pairs.length === 0 ? (
        <EmptyState>FSP matrices appear during training when the graph has an FSP block.</EmptyState>
      ) : (
        <>
          <p className="dash-panel__note">
            Flow of solution procedure: G = F₁ᵀF₂ / (h·w) between two layers' features (rows: first layer's channels,
            columns: second's), at step {step}.
          </p>
          <div className="fsp-layout">
            <div className="fsp-pairs">
              {pairs.map((pair) => (
                <FspPair key={pair.id} pair={pair} studentName={studentName} />
              ))}
            </div>
            <FspDistanceChart history={history} pairLabels={pairLabels} />
          </div>
        </>
      )}
    </Panel>
  );
}
