import type { NodeTypes } from '@xyflow/react';
import type { NodeKind } from '../../src/graph/schema';
import { DatasetNode, EnsembleNode, ExportNode, GuidedNode, GuideNode, HeadNode, LossNode, ModelNode, TrainerNode } from './nodes/kindNodes';

/** Module scope: React Flow re-mounts every node when this object's identity changes. */
export const nodeTypes = {
  dataset: DatasetNode,
  model: ModelNode,
  guide: GuideNode,
  guided: GuidedNode,
  head: HeadNode,
  ensemble: EnsembleNode,
  loss: LossNode,
  trainer: TrainerNode,
  export: ExportNode,
} satisfies Record<NodeKind, NodeTypes[string]>;
