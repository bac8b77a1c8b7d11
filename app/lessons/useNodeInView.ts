import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useStudio } from '../store';
import { findAnchor, visibleBox } from './HighlightRing';

const LOOK_MS = 300;
const NODE_ANCHOR = 'node-';

/**
 * When a step points at a canvas node and nothing before it in its anchors can be seen (the
 * inspector is hidden in presenter view), the canvas is panned once, at its zoom, to centre the
 * node; the user may pan away afterwards. Panning waits for the graph's own first view.
 */
export function useNodeInView(anchors: readonly string[], enabled: boolean): void {
  const { getNode, getZoom, setCenter } = useReactFlow();
  const loadGeneration = useStudio((s) => s.loadGeneration);
  const key = anchors.join(' ');
  useEffect(() => {
    if (!enabled) return;
    const list = key.split(' ');
    const nodeIndex = list.findIndex((anchor) => anchor.startsWith(NODE_ANCHOR));
    if (nodeIndex < 0) return;
    const nodeId = list[nodeIndex].slice(NODE_ANCHOR.length);
    const look = () => {
      if (findAnchor(list.slice(0, nodeIndex)) !== null) return;
      const element = document.querySelector(`[data-testid="${CSS.escape(list[nodeIndex])}"]`);
      const node = getNode(nodeId);
      if (element === null || node?.measured?.width === undefined || node.measured.height === undefined) return;
      window.clearInterval(timer);
      const seen = visibleBox(element);
      const whole = element.getBoundingClientRect();
      if (seen !== null && seen.width >= whole.width - 1 && seen.height >= whole.height - 1) return;
      void setCenter(node.position.x + node.measured.width / 2, node.position.y + node.measured.height / 2, { zoom: getZoom() });
    };
    const timer = window.setInterval(look, LOOK_MS);
    return () => window.clearInterval(timer);
  }, [key, enabled, loadGeneration, getNode, getZoom, setCenter]);
}
