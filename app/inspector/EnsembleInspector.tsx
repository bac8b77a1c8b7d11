import { useMemo } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import { useLanguage } from '../i18n/language';
import { inspectorTrainingTexts } from '../i18n/catalogs/inspectorModels';
import { roleText } from '../i18n/blocks/localizedBlocks';
import { ensembleLogitsShape, ensembleMembers, ensembleParams, lossesTaughtBy } from '../../src/graph/ensembles';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';

/** What an ensemble averages, what it costs, whom it teaches, and which of those blocks soften it with a temperature. */
export function EnsembleInspector({ node }: { node: NodeOf<'ensemble'> }) {
  const language = useLanguage();
  const tx = inspectorTrainingTexts[language];
  const experiment = useStudio((s) => s.experiment);
  const members = useMemo(() => ensembleMembers(experiment, node), [experiment, node]);
  const shape = useMemo(() => ensembleLogitsShape(experiment, node), [experiment, node]);
  const taught = useMemo(() => lossesTaughtBy(experiment, node), [experiment, node]);
  // The block's description says how a temperature acts on an ensemble; here, the blocks where one does.
  const softened = taught.filter((loss) => loss.params.params.T !== undefined && loss.params.params.T !== 1);
  if (members.length === 0) {
    return (
      <p className="muted">{tx.ensembleEmpty}</p>
    );
  }
  return (
    <div className="inspector__section" data-testid="ensemble-summary">
      <p>
        {tx.ensembleAverages(members.length)}
        {shape === null ? '' : tx.ensembleInto(formatShape(shape))}{tx.ensembleWeights(ensembleParams(members).toLocaleString('en-US'))}
      </p>
      <ul className="ensemble-members">
        {members.map((model) => <li key={model.id}>"{model.label}" ({roleText(model.params.role, language).label.toLowerCase()})</li>)}
      </ul>
      <p>
        {taught.length === 0 ? tx.teachesNothing : tx.teaches(taught.map((loss) => `"${loss.label}"`).join(', '))}
      </p>
      {softened.length > 0 && (
        <p className="muted" data-testid="ensemble-temperature">
          {tx.softens(softened.map((loss) => `"${loss.label}" (T = ${loss.params.params.T})`).join(', '), softened.length)}
        </p>
      )}
    </div>
  );
}
