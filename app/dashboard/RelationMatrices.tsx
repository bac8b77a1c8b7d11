import { useMemo } from 'react';
import type { HeatmapPair } from '../../src/protocol';
import { useStudio } from '../store';
import { formatCompact, matrixRange } from './colormap';
import { CaptionedHeatmap, ColorScale } from './Heatmap';
import { knownModels, labelLookup } from './modelColors';
import { EmptyState, Panel } from './Panel';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

/** What each relational block's matrix holds, for the caption. */
const matrixMeaning = (tx: (typeof dashboardTexts)['en']): Record<string, string> => ({ sp: tx.matrixSp, rkd: tx.matrixRkd, pkt: tx.matrixPkt });

/** One relational block: teacher and student B x B matrices on a shared scale. */
function RelationPair({ pair, kind, labelOf }: { pair: HeatmapPair; kind: string; labelOf: (modelId: string) => string }) {
  const tx = useTexts(dashboardTexts);
  const range = useMemo(() => matrixRange(pair.teacher, pair.student), [pair]);
  const teacherName = labelOf(pair.teacherModel);
  const studentName = labelOf(pair.studentModel);
  const size = `${pair.rows}×${pair.cols}`;
  return (
    <figure className="fsp-pair" data-testid="relation-pair">
      <figcaption className="fsp-pair__title">
        <strong>{pair.label}</strong>
        <span className="fsp-pair__distance" title={tx.matricesDistanceTitle}>d = {formatCompact(pair.distance)}</span>
      </figcaption>
      <p className="dash-panel__note">{matrixMeaning(tx)[kind] ?? tx.matrixOther}</p>
      <div className="fsp-pair__maps">
        <CaptionedHeatmap matrix={pair.teacher} range={range} label={`${teacherName}, ${pair.label}`} caption={teacherName} detail={size} size={120} testId="relation-heatmap" />
        <CaptionedHeatmap matrix={pair.student} range={range} label={`${studentName}, ${pair.label}`} caption={studentName} detail={size} size={120} testId="relation-heatmap" />
      </div>
      <ColorScale range={range} caption={tx.sharedScale} />
    </figure>
  );
}

/**
 * Relational knowledge (SP, RKD, PKT) compares samples with each other: the probe batch's B x B
 * matrices of the teaching and the learning network, side by side, as the loss sees them.
 */
export function RelationMatrices() {
  const tx = useTexts(dashboardTexts);
  const relations = useStudio((s) => s.run.probe?.relations);
  const logits = useStudio((s) => s.run.probe?.logits);
  const step = useStudio((s) => s.run.probe?.step);
  const plan = useStudio((s) => s.run.plan);
  const pairs = useMemo(() => relations ?? [], [relations]);
  const labelOf = useMemo(() => labelLookup(knownModels(plan, logits ?? [])), [plan, logits]);
  const kindOf = useMemo(() => new Map((plan?.probes.relations ?? []).map((probe) => [probe.id, probe.kind])), [plan]);

  return (
    <Panel title={tx.relationsTitle} testId="relation-matrices" wide>
      {pairs.length === 0 ? (
        <EmptyState>{tx.relationsEmpty}</EmptyState>
      ) : (
        <>
          <p className="dash-panel__note">{tx.relationsNote(step ?? 0)}</p>
          <div className="fsp-pairs">
            {pairs.map((pair) => <RelationPair key={pair.id} pair={pair} kind={kindOf.get(pair.id) ?? ''} labelOf={labelOf} />)}
          </div>
        </>
      )}
    </Panel>
  );
}
