import { useMemo } from 'react';
import type { HeatmapPair } from '../../src/protocol';
import { useStudio } from '../store';
import { PHASE_LABELS } from './chartData';
import { Heatmap } from './Heatmap';
import { EmptyState, Panel } from './Panel';
import { ProbeImage } from './ProbeImage';

interface AttentionGroup {
  pairId: string;
  label: string;
  /** Indexed by probe image. */
  maps: { probe: number; pair: HeatmapPair }[];
}

/** Pairs arrive with id `${pairId}:${probe}`; group them so each guide/guided pair is one row. */
function groupByPair(attention: readonly HeatmapPair[]): AttentionGroup[] {
  const groups = new Map<string, AttentionGroup>();
  for (const pair of attention) {
    const separator = pair.id.lastIndexOf(':');
    const pairId = separator < 0 ? pair.id : pair.id.slice(0, separator);
    const probe = separator < 0 ? 0 : Number(pair.id.slice(separator + 1));
    const group = groups.get(pairId) ?? { pairId, label: pair.label, maps: [] };
    group.maps.push({ probe, pair });
    groups.set(pairId, group);
  }
  return [...groups.values()];
}

/** Teacher vs student spatial attention (Zagoruyko & Komodakis) per pair and probe image. */
export function AttentionMaps() {
  const probe = useStudio((s) => s.run.probe);
  const groups = useMemo(() => groupByPair(probe?.attention ?? []), [probe]);

  return (
    <Panel title="Attention maps" testId="attention-maps" wide>
      {probe === null || groups.length === 0 ? (
        <EmptyState>
          Attention maps appear during training when the graph has guide/guided pairs (for example an attention
          transfer block).
        </EmptyState>
      ) : (
        groups.map((group) => (
          <div key={group.pairId} className="attention-group">
            <h4>{group.label}</h4>
            <div className="attention-group__maps">
              {group.maps.map(({ probe: index, pair }) => (
                <figure key={pair.id} className="attention-map" data-testid="attention-pair">
                  {probe.images[index] !== undefined && (
                    <ProbeImage pixels={probe.images[index]} shape={probe.imageShape} size={40} />
                  )}
                  <Heatmap matrix={pair.teacher} label={`Teacher attention, ${pair.label}`} size={56} testId="attention-heatmap" />
                  <Heatmap matrix={pair.student} label={`Student attention, ${pair.label}`} size={56} testId="attention-heatmap" />
                  <figcaption>d = {pair.distance.toExponential(2)}</figcaption>
                </figure>
              ))}
            </div>
          </div>
        ))
      )}
      {probe !== null && groups.length > 0 && (
        <p className="dash-panel__note">
          Left: teacher · right: {PHASE_LABELS[probe.phase].toLowerCase()} (step {probe.step})
        </p>
      )}
    </Panel>
  );
}
