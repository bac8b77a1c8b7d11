import { useMemo } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import { headParams, resolveHead } from '../../src/graph/heads';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';

/** What an auxiliary classifier maps: the guided layer it reads, to the dataset's classes, and what it costs. */
export function HeadInspector({ node }: { node: NodeOf<'head'> }) {
  const experiment = useStudio((s) => s.experiment);
  const resolved = useMemo(() => resolveHead(experiment, node), [experiment, node]);
  if (resolved.status === 'unknown') {
    return <p className="muted">Connect the Feature of a Guided node (a shallow layer of the network that learns) to this classifier.</p>;
  }
  if (resolved.status === 'invalid') return <p className="inspector__error">{resolved.reason}</p>;
  const pooled = resolved.inputShape.length === 3 ? 'global average pooling, then ' : '';
  return (
    <div className="inspector__section" data-testid="head-summary">
      <p>
        Classifies layer <b>{resolved.layerId}</b> of "{resolved.model.label}": {formatShape(resolved.inputShape)} → {pooled}
        a dense layer → <b>{formatShape([resolved.classes])}</b> logits ({headParams(resolved).toLocaleString('en-US')} weights).
      </p>
      <p className="muted">
        Connect its Logits to Cross-entropy and to the student side of KD, with the network's own Logits on the teacher side
        (a detached target). It trains with the network and is dropped at test time and on export.
      </p>
    </div>
  );
}
