/**
 * One memoised component per node kind. Each reads only its own node (from `data`) and derives
 * what it shows; none holds callbacks, so the flow nodes stay plain serialisable data.
 */
import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { GraphNode, NodeKind, NodeOf, WeightSchedule } from '../../../src/graph/schema';
import { getLoss } from '../../../src/losses/registry';
import { summarizeModel } from '../../../src/graph/shapes';
import { modelRoleInfo } from '../../../src/graph/nodeKinds';
import type { StudioFlowNode } from '../flowAdapter';
import { formatBytes, formatCount, formatNumber } from '../format';
import { Fact, NodeFrame } from './NodeFrame';

type KindProps = NodeProps<StudioFlowNode>;

function nodeAs<K extends NodeKind>(node: GraphNode, kind: K): NodeOf<K> | null {
  return node.kind === kind ? (node as NodeOf<K>) : null;
}

export const DatasetNode = memo(function DatasetNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'dataset');
  if (node === null) return null;
  const p = node.params;
  return (
    <NodeFrame data={data} selected={selected} tone="dataset" kindLabel="Dataset">
      <Fact label="Data" value={p.datasetId.toUpperCase()} />
      <Fact label="Train" value={p.trainSubset === null ? 'all' : formatCount(p.trainSubset)} />
      <Fact label="Validation" value={formatCount(p.validationSize)} />
      {p.augmentShift > 0 && <Fact label="Shift" value={`±${p.augmentShift} px`} />}
      {p.sampler?.kind === 'classUniform' && <Fact label="Batches" value={`${p.sampler.samplesPerClass} per class`} />}
    </NodeFrame>
  );
});

export const ModelNode = memo(function ModelNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'model');
  if (node === null) return null;
  const { role, architecture, teacherTraining } = node.params;
  const result = summarizeModel(architecture);
  const ownShift = teacherTraining?.augmentShift;
  return (
    <NodeFrame data={data} selected={selected} tone={role} kindLabel={modelRoleInfo[role].label}>
      <Fact label="Architecture" value={architecture.name} />
      {ownShift !== undefined && <Fact label="Trains with shift" value={`±${ownShift} px`} />}
      {result.ok ? (
        <div className="model-stats" data-testid="model-stats">
          <span title="Parameters"><b>{formatCount(result.summary.params)}</b> params</span>
          <span title="float32 size"><b>{formatBytes(result.summary.bytes)}</b></span>
          <span title="FLOPs per image (multiply-add = 2)"><b>{formatCount(result.summary.flops)}</b> FLOPs</span>
        </div>
      ) : (
        <div className="model-stats model-stats--error" data-testid="model-stats">{result.error.message}</div>
      )}
      <div className="layer-strip" aria-label="layers">
        {architecture.layers.map((layer) => <span key={layer.id} className={`layer-chip layer-chip--${layer.kind}`} title={layer.id} />)}
      </div>
    </NodeFrame>
  );
});

export const GuideNode = memo(function GuideNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'guide');
  if (node === null) return null;
  return (
    <NodeFrame data={data} selected={selected} tone="guide" kindLabel="Guide">
      <Fact label="Teaching layer" value={node.params.layerId || 'choose in inspector'} />
    </NodeFrame>
  );
});

export const GuidedNode = memo(function GuidedNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'guided');
  if (node === null) return null;
  const { layerId, adapter } = node.params;
  return (
    <NodeFrame data={data} selected={selected} tone="guided" kindLabel="Guided">
      <Fact label="Learning layer" value={`${layerId || 'choose in inspector'} · adapter ${adapter}`} />
    </NodeFrame>
  );
});

export const HeadNode = memo(function HeadNode({ data, selected }: KindProps) {
  if (nodeAs(data.node, 'head') === null) return null;
  return (
    <NodeFrame data={data} selected={selected} tone="head" kindLabel="Auxiliary classifier">
      <Fact label="Classifier" value="average pool → dense" />
      <Fact label="Test time" value="dropped, never exported" />
    </NodeFrame>
  );
});

export const EnsembleNode = memo(function EnsembleNode({ data, selected }: KindProps) {
  if (nodeAs(data.node, 'ensemble') === null) return null;
  return (
    <NodeFrame data={data} selected={selected} tone="ensemble" kindLabel="Ensemble">
      <Fact label="Output" value="log of the mean softmax" />
      <Fact label="Result" value="accuracy of the average" />
    </NodeFrame>
  );
});

function lossLabel(lossId: string): { label: string; params: { key: string; label: string; choices?: string[] }[] } {
  try {
    const loss = getLoss(lossId);
    return { label: loss.label, params: loss.params };
  } catch {
    return { label: `Unknown loss "${lossId}"`, params: [] };
  }
}

export const LossNode = memo(function LossNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'loss');
  if (node === null) return null;
  const { label, params } = lossLabel(node.params.lossId);
  return (
    <NodeFrame data={data} selected={selected} tone="loss" kindLabel={`Loss · ${node.params.lossId}`}>
      {!node.label.startsWith(label) && <div className="studio-node__subtitle">{label}</div>}
      <div className="chips">
        <span className="chip chip--strong" data-testid="loss-weight">× {formatNumber(node.params.weight)}</span>
        {params.slice(0, 3).map((def) => {
          const value = node.params.params[def.key];
          const shown = value === undefined ? '—' : def.choices ? (def.choices[value] ?? formatNumber(value)) : formatNumber(value);
          return <span key={def.key} className="chip" title={def.label}>{def.choices ? shown : `${def.label} ${shown}`}</span>;
        })}
      </div>
    </NodeFrame>
  );
});

function scheduleText(schedule: WeightSchedule | undefined): string | null {
  if (schedule === undefined || schedule.kind === 'constant') return null;
  if (schedule.kind === 'stepToZero') return `→0 at epoch ${schedule.atEpoch}`;
  if (schedule.kind === 'linearWarmup') return `warm-up ${schedule.epochs} epochs`;
  return schedule.kind === 'linearDecay' ? 'linear decay' : 'cosine decay';
}

export const TrainerNode = memo(function TrainerNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'trainer');
  if (node === null) return null;
  const p = node.params;
  const schedules = Object.values(p.weightSchedules).map(scheduleText).filter((t): t is string => t !== null);
  return (
    <NodeFrame data={data} selected={selected} tone="trainer" kindLabel="Trainer">
      {p.stageName !== node.label && <Fact label="Stage" value={p.stageName} />}
      <Fact label="Optimiser" value={`${p.optimizer.toUpperCase()} · lr ${formatNumber(p.learningRate)}`} />
      <Fact label="Epochs × batch" value={`${p.epochs} × ${p.batchSize}`} />
      {p.trainUpTo !== null && <Fact label="Trains up to" value={p.trainUpTo} />}
      {schedules.length > 0 && <Fact label="Weights" value={schedules.join(', ')} />}
    </NodeFrame>
  );
});

export const ExportNode = memo(function ExportNode({ data, selected }: KindProps) {
  const node = nodeAs(data.node, 'export');
  if (node === null) return null;
  const p = node.params;
  return (
    <NodeFrame data={data} selected={selected} tone="export" kindLabel="Export">
      <Fact label="Format" value={p.format === 'atc' ? `ATC bundle (${p.socVersion})` : 'ONNX'} />
      <Fact label="Opset · batch" value={`${p.opset} · ${p.batchSize}`} />
    </NodeFrame>
  );
});
