import { useCallback, useMemo, useState, type DragEvent } from 'react';
import {
  applyNodeChanges, Background, ControlButton, Controls, MiniMap, ReactFlow,
  type Connection, type EdgeChange, type NodeChange, type OnNodeDrag,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './roleTones.css';
import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store';
import { nodeTypes } from './nodeTypes';
import { toFlowEdges, toFlowNodes, type StudioFlowNode } from './flowAdapter';
import { paletteDragType, usePaletteEntries } from './Palette';
import { usePlaceNode } from './usePlaceNode';
import { useInitialView } from './useInitialView';
import { usePresenterMode } from '../classroom/presenterMode';
import { READABLE_ZOOM } from './viewLayout';
import { textsNow, useTexts } from '../i18n/texts';
import { editorTexts } from '../i18n/catalogs/editor';
import { currentLanguage, useLanguage } from '../i18n/language';
import { connectionRefusalText } from '../i18n/blocks/connectionTexts';
import { problemText } from '../i18n/blocks/problemTexts';

/** Presenter view draws node text (at least 12 px, presenter.css) at 14 px or more on screen. */
const PRESENTER_ZOOM = 14 / 12;

/**
 * The graph canvas. Nodes and edges are derived from the store's ExperimentFile; React Flow's
 * own copy only carries measured sizes and positions during a drag, which are committed to the
 * store (one undo step) when the drag ends.
 */
export function Canvas() {
  const { experiment, problems, selectedNodeIds, selectedEdgeIds } = useStudio(useShallow((s) => ({
    experiment: s.experiment,
    problems: s.problems,
    selectedNodeIds: s.selectedNodeIds,
    selectedEdgeIds: s.selectedEdgeIds,
  })));
  const tx = useTexts(editorTexts);
  const language = useLanguage();
  const entries = usePaletteEntries();
  const placeNode = usePlaceNode();
  const presenting = usePresenterMode();
  const { minimapShown, toggleMinimap, viewSet } = useInitialView(presenting ? PRESENTER_ZOOM : READABLE_ZOOM);

  const selectedNodes = useMemo(() => new Set(selectedNodeIds), [selectedNodeIds]);
  const selectedEdges = useMemo(() => new Set(selectedEdgeIds), [selectedEdgeIds]);

  const [flowNodes, setFlowNodes] = useState<StudioFlowNode[]>([]);
  const [derivedFrom, setDerivedFrom] = useState<unknown[]>([]);
  const inputs = [experiment, problems, selectedNodes];
  // Re-derive during render when the store changed (React's "adjust state on prop change" pattern).
  if (inputs.some((value, i) => value !== derivedFrom[i])) {
    setDerivedFrom(inputs);
    setFlowNodes((previous) => toFlowNodes(experiment, problems, selectedNodes, previous));
  }
  const flowEdges = useMemo(() => {
    const name = (id: string) => experiment.nodes.find((node) => node.id === id)?.label || id;
    return toFlowEdges(experiment, selectedEdges, (source, target) => tx.edgeLabel(name(source), name(target)));
  }, [experiment, selectedEdges, tx]);

  const onNodesChange = useCallback((changes: NodeChange<StudioFlowNode>[]) => {
    setFlowNodes((nodes) => applyNodeChanges(changes, nodes));
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length === 0) return;
    const { selectedNodeIds: current, selectedEdgeIds: edges, setSelection } = useStudio.getState();
    const next = new Set(current);
    for (const change of selects) {
      if (change.selected) next.add(change.id);
      else next.delete(change.id);
    }
    setSelection([...next], edges);
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length === 0) return;
    const { selectedNodeIds: nodes, selectedEdgeIds: current, setSelection } = useStudio.getState();
    const next = new Set(current);
    for (const change of selects) {
      if (change.selected) next.add(change.id);
      else next.delete(change.id);
    }
    setSelection(nodes, [...next]);
  }, []);

  const onNodeDragStop: OnNodeDrag<StudioFlowNode> = useCallback((_event, _node, dragged) => {
    useStudio.getState().moveNodes(dragged.map((n) => ({ id: n.id, position: n.position })));
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    const { connect, pushToast } = useStudio.getState();
    const refused = connect({
      source: connection.source,
      sourcePort: connection.sourceHandle ?? '',
      target: connection.target,
      targetPort: connection.targetHandle ?? '',
    });
    const { connectionError, experiment: graph } = useStudio.getState();
    if (refused !== null && connectionError !== null) {
      pushToast('error', textsNow(editorTexts).connectionRefused(connectionRefusalText(connectionError.refusal, graph, currentLanguage())));
    }
  }, []);

  const clearConnectionError = useCallback(() => useStudio.getState().clearConnectionError(), []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(paletteDragType)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    const key = event.dataTransfer.getData(paletteDragType);
    const entry = entries.find((e) => e.key === key);
    if (entry === undefined) return;
    event.preventDefault();
    placeNode(entry, { x: event.clientX, y: event.clientY });
  }, [entries, placeNode]);

  const graphProblems = problems.filter((p) => p.nodeId === null || p.nodeId === undefined);

  return (
    <div className="canvas" data-testid="canvas" data-view-set={viewSet} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<StudioFlowNode>
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectStart={clearConnectionError}
        onPaneClick={clearConnectionError}
        deleteKeyCode={null}
        minZoom={presenting ? PRESENTER_ZOOM : 0.2}
        maxZoom={2}
      >
        <Background gap={20} size={1} color="var(--grid-dot)" />
        <Controls showInteractive={false}>
          <ControlButton onClick={toggleMinimap} title={minimapShown ? tx.hideMinimap : tx.showMinimap}
            aria-label={minimapShown ? tx.hideMinimap : tx.showMinimap} aria-pressed={minimapShown} data-testid="toggle-minimap">
            <span aria-hidden>▦</span>
          </ControlButton>
        </Controls>
        {minimapShown && <MiniMap pannable zoomable nodeClassName={(n) => `minimap-${minimapTone(n as StudioFlowNode)}`} />}
      </ReactFlow>
      {graphProblems.length > 0 && (
        <ul className="graph-problems" data-testid="graph-problems">
          {graphProblems.map((p, i) => <li key={i} className={`graph-problems__item--${p.severity}`}>{problemText(p, experiment, language)}</li>)}
        </ul>
      )}
      {experiment.nodes.length === 0 && (
        <div className="canvas-empty">{tx.emptyCanvas}</div>
      )}
    </div>
  );
}

function minimapTone(node: StudioFlowNode): string {
  const graphNode = node.data.node;
  return graphNode.kind === 'model' ? graphNode.params.role : graphNode.kind;
}
