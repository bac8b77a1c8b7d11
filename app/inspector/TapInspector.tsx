import { useMemo } from 'react';
import type { NodeOf } from '../../src/graph/schema';
import { adapterKinds } from '../../src/graph/nodeKinds';
import { modelFeeding } from '../../src/graph/queries';
import { guidedAdapter, summarizeModel } from '../../src/graph/shapes';
import { useStudio } from '../store';
import { formatShape } from '../editor/format';
import { ChoiceField } from './fields';
import { useLanguage } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { inspectorTexts } from '../i18n/catalogs/inspector';
import { roleText } from '../i18n/blocks/localizedBlocks';

type AdapterKind = NodeOf<'guided'>['params']['adapter'];

function adapterLabel(kind: AdapterKind, tx: typeof inspectorTexts.en): string {
  const labels: Record<AdapterKind, string> = {
    auto: tx.adapterAuto, none: tx.adapterNone, conv1x1: tx.adapterConv1x1, conv3x3: tx.adapterConv3x3, dense: tx.adapterDense,
  };
  return labels[kind];
}

/** Layer picker for guide (a layer that teaches) and guided (a layer that learns) nodes, each layer with its shape. */
export function TapInspector({ node }: { node: NodeOf<'guide'> | NodeOf<'guided'> }) {
  const language = useLanguage();
  const tx = useTexts(inspectorTexts);
  const experiment = useStudio((s) => s.experiment);
  const model = useMemo(() => modelFeeding(experiment, node.id), [experiment, node.id]);
  const summary = model === undefined ? null : summarizeModel(model.params.architecture);
  const network = node.kind === 'guide' ? tx.guideNetwork : tx.guidedNetwork;
  const update = (patch: Partial<NodeOf<'guided'>['params']>) => useStudio.getState().updateNodeParams(node.id, patch);

  if (model === undefined) {
    return <p className="muted">{tx.connectLayers(network)}</p>;
  }
  if (summary === null || !summary.ok) {
    return <p className="inspector__error">{tx.invalidArchitecture(model.label, summary?.error.message ?? '')}</p>;
  }
  const choices = [
    { value: '', label: tx.chooseLayer },
    ...summary.summary.layers.map((l) => ({ value: l.id, label: `${l.id} · ${l.kind} → ${formatShape(l.outputShape)}` })),
  ];
  const chosen = summary.summary.layers.find((l) => l.id === node.params.layerId);
  return (
    <div className="inspector__section">
      <ChoiceField
        label={(node.kind === 'guide' ? tx.teachingLayerOf : tx.learningLayerOf)(model.label, roleText(model.params.role, language).label.toLowerCase())}
        testId="field-layerId"
        value={node.params.layerId} choices={choices} onChange={(layerId) => update({ layerId })}
        description={tx.tapHelp}
      />
      {chosen !== undefined && (
        <p className="tap-shape" data-testid="tap-shape">{tx.outputShape} <b>{formatShape(chosen.outputShape)}</b></p>
      )}
      {node.kind === 'guided' && <AdapterChoice node={node} onChange={(adapter) => update({ adapter })} />}
    </div>
  );
}

function AdapterChoice({ node, onChange }: { node: NodeOf<'guided'>; onChange: (adapter: AdapterKind) => void }) {
  const tx = useTexts(inspectorTexts);
  const experiment = useStudio((s) => s.experiment);
  const resolved = useMemo(() => guidedAdapter(experiment, node), [experiment, node]);
  return (
    <>
      <ChoiceField
        label={tx.adapter} testId="field-adapter" value={node.params.adapter}
        choices={adapterKinds.map((k) => ({ value: k, label: adapterLabel(k, tx) }))} onChange={onChange}
        description={tx.adapterHelp}
      />
      <p className={`adapter-status adapter-status--${resolved.status}`} data-testid="adapter-status">
        {resolved.status === 'none' && tx.noAdapterNeeded}
        {resolved.status === 'adapter' && tx.adapterResolved(adapterLabel(resolved.kind, tx), formatShape(resolved.inputShape), formatShape(resolved.outputShape))}
        {resolved.status === 'invalid' && resolved.reason}
      </p>
    </>
  );
}
