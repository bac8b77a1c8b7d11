import { useMemo } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import { adapterKinds } from '../../src/graph/nodeKinds';
import { modelFeeding } from '../../src/graph/queries';
import { guidedAdapter, summarizeModel } from '../../src/graph/shapes';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';
import { ChoiceField } from './fields';

const adapterLabels: Record<NodeOf<'guided'>['params']['adapter'], string> = {
  auto: 'Auto (only when shapes differ)',
  none: 'None',
  conv1x1: '1×1 convolution',
  conv3x3: '3×3 convolution',
  dense: 'Dense',
};

/** Layer picker for guide (a layer that teaches) and guided (a layer that learns) nodes, each layer with its shape. */
export function TapInspector({ node }: { node: NodeOf<'guide'> | NodeOf<'guided'> }) {
  const experiment = useStudio((s) => s.experiment);
  const model = useMemo(() => modelFeeding(experiment, node.id), [experiment, node.id]);
  const summary = model === undefined ? null : summarizeModel(model.params.architecture);
  const network = node.kind === 'guide' ? 'a teacher, assistant or peer (or a student, to teach its shallower layers)' : 'a student, assistant or peer';
  const update = (patch: Partial<NodeOf<'guided'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);

  if (model === undefined) {
    return <p className="muted">Connect the Layers output of {network} to this node to pick a layer.</p>;
  }
  if (summary === null || !summary.ok) {
    return <p className="inspector__error">The architecture of "{model.label}" is invalid: {summary?.error.message}</p>;
  }
  const choices = [
    { value: '', label: 'Choose a layer…' },
    ...summary.summary.layers.map((l) => ({ value: l.id, label: `${l.id} · ${l.kind} → ${formatShape(l.outputShape)}` })),
  ];
  const chosen = summary.summary.layers.find((l) => l.id === node.params.layerId);
  return (
    <div className="inspector__section">
      <ChoiceField
        label={`${node.kind === 'guide' ? 'Teaching' : 'Learning'} layer of "${model.label}" (${model.params.role})`} testId="field-layerId"
        value={node.params.layerId} choices={choices} onChange={(layerId) => update({ layerId })}
        description="The layer's output is tapped as an extra model output during training."
      />
      {chosen !== undefined && (
        <p className="tap-shape" data-testid="tap-shape">Output shape <b>{formatShape(chosen.outputShape)}</b></p>
      )}
      {node.kind === 'guided' && <AdapterChoice node={node} onChange={(adapter) => update({ adapter })} />}
    </div>
  );
}

function AdapterChoice({ node, onChange }: { node: NodeOf<'guided'>; onChange: (adapter: NodeOf<'guided'>['params']['adapter']) => void }) {
  const experiment = useStudio((s) => s.experiment);
  const resolved = useMemo(() => guidedAdapter(experiment, node), [experiment, node]);
  return (
    <>
      <ChoiceField
        label="Adapter" testId="field-adapter" value={node.params.adapter}
        choices={adapterKinds.map((k) => ({ value: k, label: adapterLabels[k] }))} onChange={onChange}
        description="Maps the guided feature to the guide's shape for losses that compare features element-wise (FitNet)."
      />
      <p className={`adapter-status adapter-status--${resolved.status}`} data-testid="adapter-status">
        {resolved.status === 'none' && 'No adapter needed (shapes match, or no element-wise loss is connected).'}
        {resolved.status === 'adapter' && `Adapter: ${adapterLabels[resolved.kind]} ${formatShape(resolved.inputShape)} → ${formatShape(resolved.outputShape)}`}
        {resolved.status === 'invalid' && resolved.reason}
      </p>
    </>
  );
}
