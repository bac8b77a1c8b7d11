import { useMemo } from 'react';
import type { HeatmapPair } from '../../src/protocol';
import { useStudio } from '../store';
import { formatCompact, matrixRange } from './colormap';
import { CaptionedHeatmap, ColorScale } from './Heatmap';
import { knownModels, labelLookup } from './modelColors';
import { EmptyState, Panel } from './Panel';

/** What each relational block's matrix holds, for the caption. */
const MATRIX_MEANING: Record<string, string> = {
  sp: 'similarities G = QQᵀ of the probe images, rows L2-normalised',
  rkd: 'distances between the probe images over their mean (ψ_D)',
  pkt: 'conditional probabilities p(i | j) of the cosine kernel (columns sum to 1)',
};

/** One relational block: teacher and student B x B matrices on a shared scale. */
function RelationPair({ pair, kind, labelOf }: { pair: HeatmapPair; kind: string; labelOf: (modelId: string) => string }) {
  const range = useMemo(() => matrixRange(pair.teacher, pair.student), [pair]);
  const teacherName = labelOf(pair.teacherModel);
  const studentName = labelOf(pair.studentModel);
  const size = `${pair.rows}×${pair.cols}`;
  return (
    <figure className="fsp-pair" data-testid="relation-pair">
      <figcaption className="fsp-pair__title">
        <strong>{pair.label}</strong>
        <span className="fsp-pair__distance" title="Mean squared difference of the two matrices">d = {formatCompact(pair.distance)}</span>
      </figcaption>
      <p className="dash-panel__note">{MATRIX_MEANING[kind] ?? 'the B x B matrix the loss compares'}</p>
      <div className="fsp-pair__maps">
        <CaptionedHeatmap matrix={pair.teacher} range={range} label={`${teacherName}, ${pair.label}`} caption={teacherName} detail={size} size={120} testId="relation-heatmap" />
        <CaptionedHeatmap matrix={pair.student} range={range} label={`${studentName}, ${pair.label}`} caption={studentName} detail={size} size={120} testId="relation-heatmap" />
      </div>
      <ColorScale range={range} caption="shared scale" />
    </figure>
  );
}

/**
 * Relational knowledge (SP, RKD, PKT) compares samples with each other: the probe batch's B x B
 * matrices of the teaching and the learning network, side by side, as the loss sees them.
 */
export function RelationMatrices() {
  const relations = useStudio((s) => s.run.probe?.relations);
  const logits = useStudio((s) => s.run.probe?.logits);
  const step = useStudio((s) => s.run.probe?.step);
  const plan = useStudio((s) => s.run.plan);
  const pairs = useMemo(() => relations ?? [], [relations]);
  const labelOf = useMemo(() => labelLookup(knownModels(plan, logits ?? [])), [plan, logits]);
  const kindOf = useMemo(() => new Map((plan?.probes.relations ?? []).map((probe) => [probe.id, probe.kind])), [plan]);

  return (
    <Panel title="Relations between samples" testId="relation-matrices" wide>
      {pairs.length === 0 ? (
        <EmptyState>Relation matrices appear during training when the graph has an SP, RKD or PKT block.</EmptyState>
      ) : (
        <>
          <p className="dash-panel__note">Each cell compares two probe images (row, column), at step {step}.</p>
          <div className="fsp-pairs">
            {pairs.map((pair) => <RelationPair key={pair.id} pair={pair} kind={kindOf.get(pair.id) ?? ''} labelOf={labelOf} />)}
          </div>
        </>
      )}
    </Panel>
  );
}
