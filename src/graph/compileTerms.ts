import { getLoss } from '../losses/registry';
import type { AttentionProbe, FspProbe, LossTermPlan, ProbePlan, RelationProbe } from '../train/plan';
import { featurePorts } from './shapes';

/** The probes of the live views, derived from the plan's loss terms. */

function featureAt(term: LossTermPlan, port: string | undefined): { model: string; layerId: string } {
  const ref = port === undefined ? undefined : term.inputs[port];
  return ref?.kind === 'feature' ? { model: ref.model, layerId: ref.layerId } : { model: '', layerId: '' };
}

/**
 * Attention maps for every AT block, FSP matrices for every FSP block, the B x B matrices of every
 * relational block (SP, RKD, PKT), the temperature of the first KD block.
 */
export function probesOf(terms: readonly LossTermPlan[]): Omit<ProbePlan, 'count'> {
  const kd = terms.find((term) => term.lossId === 'kd');
  const attention: AttentionProbe[] = [];
  const fsp: FspProbe[] = [];
  const relations: RelationProbe[] = [];
  for (const term of terms) {
    const loss = getLoss(term.lossId);
    const [t1, t2] = featurePorts(loss, 'teacher');
    const [s1, s2] = featurePorts(loss, 'student');
    if (term.lossId === 'at') {
      attention.push({ id: term.nodeId, label: term.label, teacher: featureAt(term, t1), student: featureAt(term, s1), p: term.params.p ?? 2 });
    } else if (term.lossId === 'sp' || term.lossId === 'rkd' || term.lossId === 'pkt') {
      // PKT's form 0 is the paper's (self-pairs excluded).
      const excludeSelf = term.lossId === 'pkt' && (term.params.form ?? 0) === 0;
      relations.push({ id: term.nodeId, label: term.label, kind: term.lossId, teacher: featureAt(term, t1), student: featureAt(term, s1), excludeSelf });
    } else if (term.lossId === 'fsp') {
      const [teacher1, teacher2, student1, student2] = [t1, t2, s1, s2].map((port) => featureAt(term, port));
      fsp.push({
        id: term.nodeId,
        label: term.label,
        teacher: { model: teacher1.model, layerIds: [teacher1.layerId, teacher2.layerId] },
        student: { model: student1.model, layerIds: [student1.layerId, student2.layerId] },
      });
    }
  }
  return { temperature: kd?.params.T ?? 1, attention, fsp, relations };
}
