import { useCallback, useEffect, useRef, useState } from 'react';
import { useNodesInitialized, useReactFlow } from '@xyflow/react';
import { useStudio } from '../store';
import type { StudioFlowNode } from './flowAdapter';
import { canvasScreenRect, rectOf } from './usePlaceNode';
import { boundsOf, initialViewport, minimapFits, READABLE_ZOOM } from './viewLayout';

/**
 * The view of each freshly loaded graph: readable node titles (panning shows the rest), and the
 * minimap only where it covers no node. The user's minimap toggle holds until the next load.
 */
export function useInitialView(minZoom = READABLE_ZOOM): { minimapShown: boolean; toggleMinimap: () => void } {
  const loadGeneration = useStudio((s) => s.loadGeneration);
  const nodesMeasured = useNodesInitialized();
  const { getNodes, setViewport } = useReactFlow<StudioFlowNode>();
  const [minimapShown, setMinimapShown] = useState(false);
  const viewedGeneration = useRef<string | null>(null);

  useEffect(() => {
    // Wait until React Flow has measured the loaded nodes, so their real sizes are fitted.
    // A new minimum zoom (presenter view toggled) fits the graph again too.
    const viewKey = `${loadGeneration}@${minZoom}`;
    if (!nodesMeasured || viewedGeneration.current === viewKey) return;
    const canvas = canvasScreenRect();
    const rects = getNodes().map(rectOf);
    const bounds = boundsOf(rects);
    if (canvas === null || bounds === null) return;
    viewedGeneration.current = viewKey;
    const size = { width: canvas.width, height: canvas.height };
    const viewport = initialViewport(bounds, size, minZoom);
    void setViewport(viewport);
    setMinimapShown(minimapFits(rects, viewport, size));
  }, [loadGeneration, minZoom, nodesMeasured, getNodes, setViewport]);

  const toggleMinimap = useCallback(() => setMinimapShown((shown) => !shown), []);
  return { minimapShown, toggleMinimap };
}
