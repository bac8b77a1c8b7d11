import { useMemo } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import { modelRoleInfo } from '../../src/graph/nodeKinds';
import { ensembleLogitsShape, ensembleMembers, ensembleParams, lossesTaughtBy } from '../../src/graph/ensembles';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';

/** What an ensemble averages, what it costs, whom it teaches, and which of those blocks soften it with a temperature. */
export function EnsembleInspector({ node }: { node: NodeOf<'ensemble'> }) {
  const experiment = useStudio((s) => s.experiment);
  const members = useMemo(() => ensembleMembers(experiment, node), [experiment, node]);
  const shape = useMemo(() => ensembleLogitsShape(experiment, node), [experiment, node]);
  const taught = useMemo(() => lossesTaughtBy(experiment, node), [experiment, node]);
  // The block's description says how a temperature acts on an ensemble; here, the blocks where one does.
  const softened = taught.filter((loss) => loss.params.params.T !== undefined && loss.params.params.T !== 1);
  if (members.length === 0) {
    return (
      <p className="muted">
        Connect the Logits of two or more trained networks (for born-again networks, the generations) to its Members.
      </p>
    );
  }
  return (
    <div className="inspector__section" data-testid="ensemble-summary">
      <p>
        Averages the class probabilities of {members.length} network{members.length === 1 ? '' : 's'}
        {shape === null ? '' : <> into <b>{formatShape(shape)}</b> logits</>} ({ensembleParams(members).toLocaleString('en-US')} weights in all):
      </p>
      <ul className="ensemble-members">
        {members.map((model) => <li key={model.id}>"{model.label}" ({modelRoleInfo[model.params.role].label.toLowerCase()})</li>)}
      </ul>
      <p>
        {taught.length === 0
          ? 'It teaches no loss: its accuracy is reported after the run, next to its members\'.'
          : <>It teaches in {taught.map((loss) => `"${loss.label}"`).join(', ')} (every member is trained first, then runs frozen), and its accuracy is reported after the run.</>}
      </p>
      {softened.length > 0 && (
        <p className="muted" data-testid="ensemble-temperature">
          {softened.map((loss) => `"${loss.label}" (T = ${loss.params.params.T})`).join(', ')} {softened.length === 1 ? 'softens' : 'soften'} the
          averaged distribution, not each member before averaging.
        </p>
      )}
    </div>
  );
}
