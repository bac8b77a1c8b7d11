import type { GraphNode, NodeKind, NodeOf } from '../../src/graph/schema';
import type { GraphFix } from '../../src/graph/featureMapFix';
import type { BatchSampler } from '../../src/data/types';
import { blockRegistry, DEFAULT_SAMPLES_PER_CLASS, samplesPerClassField, type FieldDef } from '../../src/graph/nodeKinds';
import { findDatasetInfo, listDatasets } from '../../src/data/registry';
import { useStudio } from '../store';
import type { NodeParamsPatch } from '../store/graphSlice';
import { BooleanField, ChoiceField, RegistryField, TextField } from './fields';
import { HeadInspector } from './HeadInspector';
import { EnsembleInspector } from './EnsembleInspector';
import { LossInspector } from './LossInspector';
import { ModelInspector } from './ModelInspector';
import { TapInspector } from './TapInspector';
import { TrainerInspector } from './TrainerInspector';
import { useLanguage, type Language } from '../i18n/language';
import { useTexts } from '../i18n/texts';
import { inspectorTexts } from '../i18n/catalogs/inspector';
import { blockText, lossText, roleText } from '../i18n/blocks/localizedBlocks';
import { lossRegistry } from '../../src/losses/registry';
import { problemText } from '../i18n/blocks/problemTexts';
import { ImportImages } from '../datasets/ImportImages';
import { DeleteImported } from '../datasets/DeleteImported';

function patchParams(id: string, patch: Record<string, unknown>): void {
  // Registry fields write the key they describe, so the patch matches the node's params type.
  useStudio.getState().updateNodeParams(id, patch as NodeParamsPatch);
}

function GeneratedFields({ node, fields }: { node: GraphNode; fields: readonly FieldDef[] }) {
  return <>{fields.map((def) => <RegistryField key={def.key} def={def} params={node.params} onPatch={(patch) => patchParams(node.id, patch)} />)}</>;
}

function SamplerFields({ node }: { node: NodeOf<'dataset'> }) {
  const tx = useTexts(inspectorTexts);
  const samplerChoices = [
    { value: 'shuffled', label: tx.shuffled },
    { value: 'classUniform', label: tx.classUniform },
  ] as const;
  const sampler: BatchSampler = node.params.sampler ?? { kind: 'shuffled' };
  const setSampler = (next: BatchSampler): void => patchParams(node.id, { sampler: next });
  return (
    <>
      <ChoiceField
        label={tx.batches} testId="field-sampler" value={sampler.kind} choices={samplerChoices}
        description={tx.batchesHelp}
        onChange={(kind) => setSampler(kind === 'classUniform' ? { kind, samplesPerClass: DEFAULT_SAMPLES_PER_CLASS } : { kind })}
      />
      {sampler.kind === 'classUniform' && (
        <RegistryField def={samplesPerClassField} params={sampler}
          onPatch={({ samplesPerClass }) => setSampler({ ...sampler, samplesPerClass: samplesPerClass as number })} />
      )}
    </>
  );
}

function DatasetInspector({ node }: { node: NodeOf<'dataset'> }) {
  const tx = useTexts(inspectorTexts);
  // Subscribed so the choices grow when an import registers a dataset.
  useStudio((s) => s.userDatasets);
  const choices = listDatasets().map((d) => ({ value: d.id, label: tx.datasetChoice(d.label, d.shape.join('×'), d.classes) }));
  const info = findDatasetInfo(node.params.datasetId);
  return (
    <div className="inspector__section">
      <ChoiceField label={tx.dataset} testId="field-datasetId" value={node.params.datasetId} choices={choices}
        onChange={(datasetId) => patchParams(node.id, { datasetId })} />
      {info && <p className="muted">{tx.datasetCounts(info.trainCount.toLocaleString('en-US'), info.testCount.toLocaleString('en-US'))} <cite className="citation" data-testid="dataset-citation">{info.citation}</cite></p>}
      {info?.prepareOnDemand === true && <p className="muted" data-testid="dataset-on-demand">{tx.preparedOnDemand(info.id)}</p>}
      <ImportImages nodeId={node.id} defaultShape={info?.shape[2] === 3 ? '32x32x3' : '28x28x1'} />
      {info?.userImport !== undefined && <DeleteImported info={info} />}
      <GeneratedFields node={node} fields={blockRegistry.dataset.fields.filter((f) => f.key !== 'datasetId')} />
      <BooleanField label={tx.flip} testId="field-augmentFlip" value={node.params.augmentFlip === true} description={tx.flipHelp}
        onChange={(augmentFlip) => patchParams(node.id, { augmentFlip: augmentFlip ? true : undefined })} />
      <SamplerFields node={node} />
    </div>
  );
}

function NodeForm({ node }: { node: GraphNode }) {
  switch (node.kind) {
    case 'dataset': return <DatasetInspector node={node} />;
    case 'model': return <ModelInspector node={node} />;
    case 'guide':
    case 'guided': return <TapInspector node={node} />;
    case 'head': return <HeadInspector node={node} />;
    case 'ensemble': return <EnsembleInspector node={node} />;
    case 'loss': return <LossInspector node={node} />;
    case 'trainer': return <TrainerInspector node={node} />;
    case 'export': return <div className="inspector__section"><GeneratedFields node={node} fields={blockRegistry.export.fields} /></div>;
  }
}

function kindTitle(node: GraphNode, language: Language): string {
  if (node.kind === 'model') return inspectorTexts[language].modelTitle(roleText(node.params.role, language).label);
  if (node.kind === 'loss') {
    // The method's name, in the interface language: the node's own label is the user's.
    const loss = lossRegistry.find((l) => l.id === node.params.lossId);
    return loss === undefined ? inspectorTexts[language].lossTitle : `${inspectorTexts[language].lossTitle} · ${lossText(loss, language).label}`;
  }
  return blockText(node.kind as Exclude<NodeKind, 'loss'>, language).label;
}

function kindDescription(node: GraphNode, language: Language): string {
  return node.kind === 'loss' ? '' : blockText(node.kind, language).description;
}

/** The form for the selected node, generated from the block and loss registries. */
export function Inspector() {
  const language = useLanguage();
  const tx = inspectorTexts[language];
  const selectedId = useStudio((s) => (s.selectedNodeIds.length === 1 ? s.selectedNodeIds[0] : null));
  const selectedCount = useStudio((s) => s.selectedNodeIds.length);
  const node = useStudio((s) => (selectedId === null ? undefined : s.experiment.nodes.find((n) => n.id === selectedId)));
  const problems = useStudio((s) => s.problems);
  const experiment = useStudio((s) => s.experiment);
  // Problems with a one-click fix first: the fix often solves the ones below it too.
  const nodeProblems = node === undefined ? [] : problems.filter((p) => p.nodeId === node.id)
    .sort((a, b) => Number(b.fix !== undefined) - Number(a.fix !== undefined));

  if (node === undefined) {
    return (
      <aside className="inspector" data-testid="inspector">
        <h2>{tx.title}</h2>
        <p className="muted">{selectedCount > 1 ? tx.severalSelected(selectedCount) : tx.selectANode}</p>
        <ExperimentSummary />
      </aside>
    );
  }
  const tone = node.kind === 'model' ? node.params.role : node.kind;
  return (
    <aside className="inspector" data-testid="inspector" data-node-id={node.id}>
      <h2 className={`inspector__title tone-${tone}`} data-testid="inspector-title">{kindTitle(node, language)}</h2>
      {kindDescription(node, language) && <p className="inspector__summary">{kindDescription(node, language)}</p>}
      <TextField label={tx.label} testId="field-label" value={node.label} onChange={(label) => useStudio.getState().renameNode(node.id, label)} />
      {nodeProblems.length > 0 && (
        <ul className="inspector__problems" data-testid="inspector-problems">
          {nodeProblems.map((p, i) => (
            <li key={i} className={`problem--${p.severity}`}>
              {problemText(p, experiment, language)}
              {p.fix !== undefined && <ProblemFixButton fix={p.fix} />}
            </li>
          ))}
        </ul>
      )}
      <NodeForm key={node.id} node={node} />
    </aside>
  );
}

function ProblemFixButton({ fix }: { fix: GraphFix }) {
  const tx = useTexts(inspectorTexts);
  return (
    <button type="button" className="problem-fix" data-testid="problem-fix" title={tx.fixTitle}
      onClick={() => useStudio.getState().applyFix(fix)}>
      {tx.fixUseArchitectures([...new Set(fix.architectures.map((entry) => entry.presetId))].join(' / '))}
    </button>
  );
}

function ExperimentSummary() {
  const description = useStudio((s) => s.experiment.description);
  const nodeCount = useStudio((s) => s.experiment.nodes.length);
  const errorCount = useStudio((s) => s.problems.filter((p) => p.severity === 'error').length);
  const tx = useTexts(inspectorTexts);
  return (
    <div className="inspector__section">
      {description && <p data-testid="experiment-description">{description}</p>}
      <p className="muted">{tx.summary(nodeCount, errorCount)}</p>
      <p className="muted small">{tx.shortcuts}</p>
    </div>
  );
}
