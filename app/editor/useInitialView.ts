import { useCallback, useEffect, useRef, useState } from 'react';
import { useNodesInitialized, useReactFlow } from '@xyflow/react';
import { useStudio } from '../store';
import type { StudioFlowNode } from './flowAdapter';
import { canvasScreenRect, rectOf } from './usePlaceNode';
import { boundsOf, initialViewport, minimapFits, READABLE_ZOOM } from './viewLayout';

/**
 * The view of each freshly loaded graph: readable node titles (panning shows the rest), and the
 * minimap only where it covers no node. The user's minimap toggle holds until the next load.
 * `viewSet` turns false with each load and true once its view is in place (the canvas shows it as
 * data-view-set, so a test clicks a node only after the view stopped moving under it).
 */
export function useInitialView(minZoom = READABLE_ZOOM): { minimapShown: boolean; toggleMinimap: () => void; viewSet: boolean } {
  const loadGeneration = useStudio((s) => s.loadGeneration);
  const nodesMeasured = useNodesInitialized();
  const { getNodes, setViewport } = useReactFlow<StudioFlowNode>();
  const [minimapShown, setMinimapShown] = useState(false);
  const viewedGeneration = useRef<string | null>(null);
  const [viewSetFor, setViewSetFor] = useState<string | null>(null);
  const viewKey = `${loadGeneration}@${minZoom}`;

  useEffect(() => {
    // Wait until React Flow has measured the loaded nodes, so their real sizes are fitted.
    // A new minimum zoom (presenter view toggled) fits the graph again too.
    if (!nodesMeasured || viewedGeneration.current === viewKey) return;
    const canvas = canvasScreenRect();
    const rects = getNodes().map(rectOf);
    const bounds = boundsOf(rects);
    if (canvas === null || bounds === null) return;
    viewedGeneration.current = viewKey;
    const size = { width: canvas.width, height: canvas.height };
    const viewport = initialViewport(bounds, size, minZoom);
    void setViewport(viewport).then(() => setViewSetFor(viewKey));
    setMinimapShown(minimapFits(rects, viewport, size));
  }, [viewKey, minZoom, nodesMeasured, getNodes, setViewport]);

  const toggleMinimap = useCallback(() => setMinimapShown((shown) => !shown), []);
  return { minimapShown, toggleMinimap, viewSet: viewSetFor === viewKey };
}
