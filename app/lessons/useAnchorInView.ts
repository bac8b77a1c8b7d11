import { useEffect } from 'react';
import { findAnchor } from './HighlightRing';

const LOOK_MS = 300;
/** Stop looking after this many tries: the anchor may never appear (a panel with nothing to show). */
const MAX_LOOKS = 20;

/**
 * When none of a step's anchors can be seen but the first one that exists outside the canvas is
 * only scrolled away (the results panel below the fold), it is scrolled into view once per step.
 * Canvas nodes are panned to by useNodeInView instead.
 */
export function useAnchorInView(anchors: readonly string[], enabled: boolean): void {
  const key = anchors.join(' ');
  useEffect(() => {
    if (!enabled) return;
    const list = key.split(' ').filter((anchor) => !anchor.startsWith('node-'));
    let looks = 0;
    const look = () => {
      looks += 1;
      if (looks > MAX_LOOKS || findAnchor(key.split(' ')) !== null) {
        window.clearInterval(timer);
        return;
      }
      for (const testId of list) {
        const element = document.querySelector(`[data-testid="${CSS.escape(testId)}"]`);
        if (element === null || element.getClientRects().length === 0) continue;
        element.scrollIntoView({ block: 'nearest' });
        window.clearInterval(timer);
        return;
      }
    };
    const timer = window.setInterval(look, LOOK_MS);
    return () => window.clearInterval(timer);
  }, [key, enabled]);
}
