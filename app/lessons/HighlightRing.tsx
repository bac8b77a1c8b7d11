import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';

/** Layout changes that fire no event (the inspector filling in, a panel appearing) are caught by this poll. */
const RELAYOUT_POLL_MS = 300;
const RING_MARGIN = 4;

interface Box { top: number; left: number; width: number; height: number }

/**
 * The part of the element that can be seen: its box cut by every ancestor that clips (the canvas
 * clips nodes panned out of view, panels clip what is scrolled away); null when nothing is left.
 */
export function visibleBox(element: Element): Box | null {
  const rect = element.getBoundingClientRect();
  let top = Math.max(rect.top, 0);
  let left = Math.max(rect.left, 0);
  let bottom = Math.min(rect.bottom, window.innerHeight);
  let right = Math.min(rect.right, window.innerWidth);
  for (let parent = element.parentElement; parent !== null && parent !== document.body; parent = parent.parentElement) {
    const style = getComputedStyle(parent);
    if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
    const clip = parent.getBoundingClientRect();
    top = Math.max(top, clip.top);
    left = Math.max(left, clip.left);
    bottom = Math.min(bottom, clip.bottom);
    right = Math.min(right, clip.right);
  }
  return bottom - top > 0 && right - left > 0 ? { top, left, width: right - left, height: bottom - top } : null;
}

/** The first anchor that can be seen: the inspector's field in the normal view, else the canvas node. */
export function findAnchor(anchors: readonly string[]): { testId: string; box: Box } | null {
  for (const testId of anchors) {
    for (const element of document.querySelectorAll(`[data-testid="${CSS.escape(testId)}"]`)) {
      const box = visibleBox(element);
      if (box !== null) return { testId, box };
    }
  }
  return null;
}

const sameBox = (a: Box | null, b: Box | null): boolean =>
  a === b || (a !== null && b !== null && a.top === b.top && a.left === b.left && a.width === b.width && a.height === b.height);

/** Where the anchored element is now, following scrolling, resizing and re-layout. */
export function useAnchorBox(anchors: readonly string[], enabled: boolean): { box: Box | null; testId: string | null } {
  const [found, setFound] = useState<{ box: Box | null; testId: string | null }>({ box: null, testId: null });
  const key = anchors.join(' ');
  useEffect(() => {
    if (!enabled) {
      setFound({ box: null, testId: null });
      return;
    }
    const list = key.split(' ');
    let frame = 0;
    const measure = () => {
      frame = 0;
      const anchor = findAnchor(list);
      const box = anchor?.box ?? null;
      setFound((previous) => (sameBox(previous.box, box) && previous.testId === (anchor?.testId ?? null) ? previous : { box, testId: anchor?.testId ?? null }));
    };
    const schedule = () => { if (frame === 0) frame = window.requestAnimationFrame(measure); };
    measure();
    window.addEventListener('scroll', schedule, true);
    window.addEventListener('resize', schedule);
    const timer = window.setInterval(schedule, RELAYOUT_POLL_MS);
    return () => {
      window.removeEventListener('scroll', schedule, true);
      window.removeEventListener('resize', schedule);
      window.clearInterval(timer);
      if (frame !== 0) window.cancelAnimationFrame(frame);
    };
  }, [key, enabled]);
  return found;
}

/** A ring drawn over the page around the part of the screen a step talks about; it never takes clicks. */
export function HighlightRing({ box, testId }: { box: Box | null; testId: string | null }) {
  if (box === null) return null;
  return createPortal(
    <div className="lesson-ring" data-testid="lesson-highlight" data-anchor={testId ?? ''} aria-hidden="true"
      style={{ top: box.top - RING_MARGIN, left: box.left - RING_MARGIN, width: box.width + 2 * RING_MARGIN, height: box.height + 2 * RING_MARGIN }} />,
    document.body,
  );
}
