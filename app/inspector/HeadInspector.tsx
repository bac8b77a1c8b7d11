import { useMemo } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import { headParams, resolveHead } from '../../src/graph/heads';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';
import { useTexts } from '../i18n/texts';
import { inspectorTrainingTexts } from '../i18n/catalogs/inspectorModels';

/** What an auxiliary classifier maps: the guided layer it reads, to the dataset's classes, and what it costs. */
export function HeadInspector({ node }: { node: NodeOf<'head'> }) {
  const tx = useTexts(inspectorTrainingTexts);
  const experiment = useStudio((s) => s.experiment);
  const resolved = useMemo(() => resolveHead(experiment, node), [experiment, node]);
  if (resolved.status === 'unknown') {
    return <p className="muted">{tx.headEmpty}</p>;
  }
  if (resolved.status === 'invalid') return <p className="inspector__error">{resolved.reason}</p>;
  return (
    <div className="inspector__section" data-testid="head-summary">
      <p>
        {tx.headClassifies(resolved.layerId, resolved.model.label, formatShape(resolved.inputShape), resolved.inputShape.length === 3,
          formatShape([resolved.classes]), headParams(resolved).toLocaleString('en-US'))}
      </p>
      <p className="muted">{tx.headHelp}</p>
    </div>
  );
}
