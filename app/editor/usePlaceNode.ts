import { useCallback } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { PaletteEntry } from '../../src/graph/factory';
import { useStudio } from '../store';
import type { StudioFlowNode } from './flowAdapter';
import { currentLanguage } from '../i18n/language';
import { paletteEntryText } from '../i18n/blocks/localizedBlocks';
import { freePosition, rectInside, toFlow, type Point, type Rect, type Size } from './viewLayout';

/** A new node's size before React Flow measures it: the CSS width and a typical height. */
const NEW_NODE_SIZE: Size = { width: 252, height: 170 };
/** Keeps new nodes clear of the canvas edges (and the zoom controls in the corner). */
const VIEW_INSET_PX = 16;

/** A node's box in flow coordinates (estimated until React Flow has measured it). */
export function rectOf(node: StudioFlowNode): Rect {
  return {
    x: node.position.x,
    y: node.position.y,
    width: node.measured?.width ?? NEW_NODE_SIZE.width,
    height: node.measured?.height ?? NEW_NODE_SIZE.height,
  };
}

export function canvasScreenRect(): DOMRect | null {
  return document.querySelector('[data-testid="canvas"]')?.getBoundingClientRect() ?? null;
}

/**
 * Adds a palette block where it overlaps no node: at the drop point (screen coordinates) or in
 * the middle of the view, moved to the nearest free spot, inside the view when there is room.
 * The zoom never changes; when the view is full the view pans to the new node.
 */
export function usePlaceNode(): (entry: PaletteEntry, dropAt?: Point) => void {
  const { getNodes, getViewport, setCenter } = useReactFlow<StudioFlowNode>();
  return useCallback((entry, dropAt) => {
    const canvas = canvasScreenRect();
    const viewport = getViewport();
    const visible = canvas === null ? null : toFlow({
      x: VIEW_INSET_PX,
      y: VIEW_INSET_PX,
      width: Math.max(0, canvas.width - 2 * VIEW_INSET_PX),
      height: Math.max(0, canvas.height - 2 * VIEW_INSET_PX),
    }, viewport);
    const anchor = dropAt !== undefined && canvas !== null
      ? toFlow({ x: dropAt.x - canvas.left, y: dropAt.y - canvas.top, width: 0, height: 0 }, viewport)
      : visible === null ? { x: 0, y: 0 } : { x: visible.x + visible.width / 2, y: visible.y + visible.height / 2 };
    const preferred = { x: anchor.x - NEW_NODE_SIZE.width / 2, y: anchor.y - NEW_NODE_SIZE.height / 2 };
    const position = freePosition(getNodes().map(rectOf), NEW_NODE_SIZE, preferred, visible);
    // A new node is named in the interface language; the name is the user's to change and is saved as it is.
    useStudio.getState().addNode(entry.kind, position, { ...entry.options, label: paletteEntryText(entry, currentLanguage()).label });
    const placed = { ...position, ...NEW_NODE_SIZE };
    if (visible !== null && !rectInside(placed, visible)) {
      void setCenter(placed.x + placed.width / 2, placed.y + placed.height / 2, { zoom: viewport.zoom, duration: 200 });
    }
  }, [getNodes, getViewport, setCenter]);
}
