import { useMemo } from 'react';
import type { HeatmapPair } from '../../src/protocol';
import { useStudio } from '../store';
import { knownModels, labelLookup } from './modelColors';
import { formatCompact } from './colormap';
import { CaptionedHeatmap, ColorScale } from './Heatmap';
import { EmptyState, Panel } from './Panel';
import { ProbeImage } from './ProbeImage';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';

interface AttentionGroup {
  pairId: string;
  label: string;
  /** Indexed by probe image. */
  maps: { probe: number; pair: HeatmapPair }[];
  meanDistance: number;
}

/** Pairs arrive with id `${pairId}:${probe}`; group them so each guide/guided pair is one row. */
function groupByPair(attention: readonly HeatmapPair[]): AttentionGroup[] {
  const groups = new Map<string, AttentionGroup>();
  for (const pair of attention) {
    const separator = pair.id.lastIndexOf(':');
    const pairId = separator < 0 ? pair.id : pair.id.slice(0, separator);
    const probe = separator < 0 ? 0 : Number(pair.id.slice(separator + 1));
    const group = groups.get(pairId) ?? { pairId, label: pair.label, maps: [], meanDistance: 0 };
    group.maps.push({ probe, pair });
    groups.set(pairId, group);
  }
  for (const group of groups.values()) {
    group.meanDistance = group.maps.reduce((sum, { pair }) => sum + pair.distance, 0) / group.maps.length;
  }
  return [...groups.values()];
}

/** Teacher-side vs student-side spatial attention (Zagoruyko & Komodakis) per pair and probe image. */
export function AttentionMaps() {
  const tx = useTexts(dashboardTexts);
  const probe = useStudio((s) => s.run.probe);
  const plan = useStudio((s) => s.run.plan);
  const groups = useMemo(() => groupByPair(probe?.attention ?? []), [probe]);
  const labelOf = useMemo(() => labelLookup(knownModels(plan, probe?.logits ?? [])), [plan, probe]);
  const compared = useMemo(() => {
    const names = new Set((probe?.attention ?? []).flatMap((pair) => [labelOf(pair.teacherModel), labelOf(pair.studentModel)]));
    return [...names].join(', ');
  }, [probe, labelOf]);

  return (
    <Panel title={tx.attentionTitle} testId="attention-maps" wide>
      {probe === null || groups.length === 0 ? (
        <EmptyState>{tx.attentionEmpty}</EmptyState>
      ) : (
        <>
          <div className="dash-panel__header">
            <p className="dash-panel__note">{tx.attentionNote(compared, probe.step)}</p>
            <ColorScale caption={tx.ownMinMax} />
          </div>
          {groups.map((group) => (
            <div key={group.pairId} className="attention-group">
              <h4>
                {group.label} <span className="attention-group__distance">{tx.meanDistance(formatCompact(group.meanDistance))}</span>
              </h4>
              <div className="attention-group__maps">
                {group.maps.map(({ probe: index, pair }) => (
                  <figure key={pair.id} className="attention-map" data-testid="attention-pair">
                    {probe.images[index] !== undefined && (
                      <div className="attention-map__input">
                        <ProbeImage pixels={probe.images[index]} shape={probe.imageShape} size={56} />
                        <span>{tx.input}</span>
                      </div>
                    )}
                    <CaptionedHeatmap
                      matrix={pair.teacher}
                      label={tx.attentionOf(labelOf(pair.teacherModel), pair.label)}
                      caption={labelOf(pair.teacherModel)}
                      detail={`${pair.rows}×${pair.cols}`}
                      size={64}
                      testId="attention-heatmap"
                    />
                    <CaptionedHeatmap
                      matrix={pair.student}
                      label={tx.attentionOf(labelOf(pair.studentModel), pair.label)}
                      caption={labelOf(pair.studentModel)}
                      detail={`${pair.rows}×${pair.cols}`}
                      size={64}
                      testId="attention-heatmap"
                    />
                    <figcaption className="attention-map__distance" title={tx.mapsDistanceTitle}>
                      d = {formatCompact(pair.distance)}
                    </figcaption>
                  </figure>
                ))}
              </div>
            </div>
          ))}
        </>
      )}
    </Panel>
  );
}
