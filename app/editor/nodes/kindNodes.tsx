/**
 * One memoised component per node kind. Each reads only its own node (from `data`) and derives
 * what it shows; none holds callbacks, so the flow nodes stay plain serialisable data.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { GraphNode, NodeKind, NodeOf, WeightSchedule } from '../../../src/graph/schema';
import { getLoss } from '../../../src/losses/registry';
import { summarizeModel } from '../../../src/graph/shapes';
import type { LossDefinition } from '../../../src/losses/types';
import { useLanguage } from '../../i18n/language';
import { useTexts } from '../../i18n/texts';
import { nodeTexts } from '../../i18n/catalogs/nodes';
import { blockText, lossParamText, lossText, roleText } from '../../i18n/blocks/localizedBlocks';
import type { StudioFlowNode } from '../flowAdapter';
import { formatBytes, formatCount, formatNumber } from '../format';
import { Fact, NodeFrame } from './NodeFrame';

type KindProps = NodeProps<StudioFlowNode>;

function nodeAs<K extends NodeKind>(node: GraphNode, kind: K): NodeOf<K> | null {
  return node.kind === kind ? (node as NodeOf<K>) : null;
}

export const DatasetNode = memo(function DatasetNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'dataset');
  if (node === null) return null;
  const p = node.params;
  return (
    <NodeFrame data={data} selected={selected} tone="dataset" kindLabel={blockText('dataset', language).label}>
      <Fact label={tx.data} value={p.datasetId.toUpperCase()} />
      <Fact label={tx.train} value={p.trainSubset === null ? tx.all : formatCount(p.trainSubset)} />
      <Fact label={tx.validation} value={formatCount(p.validationSize)} />
      {p.augmentShift > 0 && <Fact label={tx.shift} value={`±${p.augmentShift} px`} />}
      {p.sampler?.kind === 'classUniform' && <Fact label={tx.batches} value={tx.perClass(p.sampler.samplesPerClass)} />}
    </NodeFrame>
  );
});

export const ModelNode = memo(function ModelNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'model');
  if (node === null) return null;
  const { role, architecture, teacherTraining } = node.params;
  const result = summarizeModel(architecture);
  const ownShift = teacherTraining?.augmentShift;
  return (
    <NodeFrame data={data} selected={selected} tone={role} kindLabel={roleText(role, language).label}>
      <Fact label={tx.architecture} value={architecture.name} />
      {ownShift !== undefined && <Fact label={tx.trainsWithShift} value={`±${ownShift} px`} />}
      {result.ok ? (
        <div className="model-stats" data-testid="model-stats">
          <span title={tx.parameters}><b>{formatCount(result.summary.params)}</b> {tx.params}</span>
          <span title={tx.floatSize}><b>{formatBytes(result.summary.bytes)}</b></span>
          <span title={tx.flopsTitle}><b>{formatCount(result.summary.flops)}</b> FLOPs</span>
        </div>
      ) : (
        <div className="model-stats model-stats--error" data-testid="model-stats">{result.error.message}</div>
      )}
      <div className="layer-strip" aria-label={tx.layers}>
        {architecture.layers.map((layer) => <span key={layer.id} className={`layer-chip layer-chip--${layer.kind}`} title={layer.id} />)}
      </div>
    </NodeFrame>
  );
});

export const GuideNode = memo(function GuideNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'guide');
  if (node === null) return null;
  return (
    <NodeFrame data={data} selected={selected} tone="guide" kindLabel={blockText('guide', language).label}>
      <Fact label={tx.teachingLayer} value={node.params.layerId || tx.chooseInInspector} />
    </NodeFrame>
  );
});

export const GuidedNode = memo(function GuidedNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'guided');
  if (node === null) return null;
  const { layerId, adapter } = node.params;
  return (
    <NodeFrame data={data} selected={selected} tone="guided" kindLabel={blockText('guided', language).label}>
      <Fact label={tx.learningLayer} value={`${layerId || tx.chooseInInspector} · ${tx.adapter(adapter)}`} />
    </NodeFrame>
  );
});

export const HeadNode = memo(function HeadNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  if (nodeAs(data.node, 'head') === null) return null;
  return (
    <NodeFrame data={data} selected={selected} tone="head" kindLabel={blockText('head', language).label}>
      <Fact label={tx.classifier} value={tx.classifierValue} />
      <Fact label={tx.testTime} value={tx.testTimeValue} />
    </NodeFrame>
  );
});

export const EnsembleNode = memo(function EnsembleNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  if (nodeAs(data.node, 'ensemble') === null) return null;
  return (
    <NodeFrame data={data} selected={selected} tone="ensemble" kindLabel={blockText('ensemble', language).label}>
      <Fact label={tx.output} value={tx.ensembleOutput} />
      <Fact label={tx.result} value={tx.ensembleResult} />
    </NodeFrame>
  );
});

function findLoss(lossId: string): LossDefinition | null {
  try {
    return getLoss(lossId);
  } catch {
    return null;
  }
}

export const LossNode = memo(function LossNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'loss');
  if (node === null) return null;
  const loss = findLoss(node.params.lossId);
  // The subtitle names the method when the node's own label does not (in either language).
  const label = loss === null ? tx.unknownLoss(node.params.lossId) : lossText(loss, language).label;
  const named = node.label.startsWith(label);
  return (
    <NodeFrame data={data} selected={selected} tone="loss" kindLabel={tx.lossKind(node.params.lossId)}>
      {!named && <div className="studio-node__subtitle">{label}</div>}
      <div className="chips">
        <span className="chip chip--strong" data-testid="loss-weight">× {formatNumber(node.params.weight)}</span>
        {loss !== null && loss.params.slice(0, 3).map((def) => {
          const text = lossParamText(loss, def, language);
          const value = node.params.params[def.key];
          const shown = value === undefined ? '—' : text.choices ? (text.choices[value] ?? formatNumber(value)) : formatNumber(value);
          return <span key={def.key} className="chip" title={text.label}>{text.choices ? shown : `${text.label} ${shown}`}</span>;
        })}
      </div>
    </NodeFrame>
  );
});

function scheduleText(schedule: WeightSchedule | undefined, tx: typeof nodeTexts.en): string | null {
  if (schedule === undefined || schedule.kind === 'constant') return null;
  if (schedule.kind === 'stepToZero') return tx.stepToZero(schedule.atEpoch);
  if (schedule.kind === 'linearWarmup') return tx.warmup(schedule.epochs);
  return schedule.kind === 'linearDecay' ? tx.linearDecay : tx.cosineDecay;
}

export const TrainerNode = memo(function TrainerNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'trainer');
  if (node === null) return null;
  const p = node.params;
  const schedules = Object.values(p.weightSchedules).map((schedule) => scheduleText(schedule, tx)).filter((t): t is string => t !== null);
  return (
    <NodeFrame data={data} selected={selected} tone="trainer" kindLabel={blockText('trainer', language).label}>
      {p.stageName !== node.label && <Fact label={tx.stage} value={p.stageName} />}
      <Fact label={tx.optimiser} value={`${p.optimizer.toUpperCase()} · lr ${formatNumber(p.learningRate)}`} />
      <Fact label={tx.epochsBatch} value={`${p.epochs} × ${p.batchSize}`} />
      {p.trainUpTo !== null && <Fact label={tx.trainsUpTo} value={p.trainUpTo} />}
      {schedules.length > 0 && <Fact label={tx.weights} value={schedules.join(', ')} />}
    </NodeFrame>
  );
});

export const ExportNode = memo(function ExportNode({ data, selected }: KindProps) {
  const language = useLanguage();
  const tx = useTexts(nodeTexts);
  const node = nodeAs(data.node, 'export');
  if (node === null) return null;
  const p = node.params;
  return (
    <NodeFrame data={data} selected={selected} tone="export" kindLabel={blockText('export', language).label}>
      <Fact label={tx.format} value={p.format === 'atc' ? tx.atcBundle(p.socVersion) : 'ONNX'} />
      <Fact label={tx.opsetBatch} value={`${p.opset} · ${p.batchSize}`} />
    </NodeFrame>
  );
});
