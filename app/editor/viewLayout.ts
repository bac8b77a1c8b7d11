/**
 * Pure geometry of the canvas view: the initial viewport of a loaded graph, whether the minimap
 * would cover a node, and where a new node fits without overlapping the others. Flow coordinates
 * unless a name says screen.
 */

export interface Rect { x: number; y: number; width: number; height: number }
export interface Size { width: number; height: number }
export interface Point { x: number; y: number }
export interface Viewport { x: number; y: number; zoom: number }

/** Node titles are 13 px: at this zoom they render at 12 px or more. */
export const READABLE_ZOOM = 0.95;
/** A freshly loaded graph is never blown up beyond its natural size. */
const MAX_FIT_ZOOM = 1;
const FIT_PADDING_PX = 24;
/** The zoom buttons sit in the bottom-left corner: a fitted graph starts right of them. */
const FIT_PADDING_LEFT_PX = 56;

export function rectsOverlap(a: Rect, b: Rect, gap = 0): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

export function rectInside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

export function boundsOf(rects: readonly Rect[]): Rect | null {
  if (rects.length === 0) return null;
  const left = Math.min(...rects.map((r) => r.x));
  const top = Math.min(...rects.map((r) => r.y));
  const right = Math.max(...rects.map((r) => r.x + r.width));
  const bottom = Math.max(...rects.map((r) => r.y + r.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * Fits the graph when it fits at a readable zoom; otherwise keeps the readable zoom and shows the
 * graph from its top-left corner (the dataset and teacher come first), leaving the rest to panning.
 * Each axis that fits is centred.
 */
export function initialViewport(bounds: Rect, canvas: Size, minZoom = READABLE_ZOOM): Viewport {
  const room = {
    width: Math.max(1, canvas.width - FIT_PADDING_LEFT_PX - FIT_PADDING_PX),
    height: Math.max(1, canvas.height - 2 * FIT_PADDING_PX),
  };
  const fitZoom = Math.min(room.width / Math.max(1, bounds.width), room.height / Math.max(1, bounds.height));
  // minZoom wins over the cap: presenter view asks for more than the natural size.
  const zoom = Math.max(minZoom, Math.min(MAX_FIT_ZOOM, fitZoom));
  const axis = (start: number, length: number, roomLength: number, inset: number): number => {
    const drawn = length * zoom;
    const offset = drawn <= roomLength ? inset + (roomLength - drawn) / 2 : inset;
    return offset - start * zoom;
  };
  return {
    x: axis(bounds.x, bounds.width, room.width, FIT_PADDING_LEFT_PX),
    y: axis(bounds.y, bounds.height, room.height, FIT_PADDING_PX),
    zoom,
  };
}

export function toScreen(rect: Rect, viewport: Viewport): Rect {
  return {
    x: rect.x * viewport.zoom + viewport.x,
    y: rect.y * viewport.zoom + viewport.y,
    width: rect.width * viewport.zoom,
    height: rect.height * viewport.zoom,
  };
}

export function toFlow(screen: Rect, viewport: Viewport): Rect {
  return {
    x: (screen.x - viewport.x) / viewport.zoom,
    y: (screen.y - viewport.y) / viewport.zoom,
    width: screen.width / viewport.zoom,
    height: screen.height / viewport.zoom,
  };
}

/** The minimap's box in canvas screen coordinates: React Flow draws it in the bottom-right corner. */
export interface MinimapBox { width: number; height: number; margin: number }
export const MINIMAP_BOX: MinimapBox = { width: 200, height: 150, margin: 15 };
/** Below this canvas size the minimap would take too much of the view to be worth it. */
const MINIMAP_MIN_CANVAS: Size = { width: 800, height: 480 };

/** Whether the minimap can be shown on this canvas without covering any node in this view. */
export function minimapFits(nodes: readonly Rect[], viewport: Viewport, canvas: Size, box: MinimapBox = MINIMAP_BOX): boolean {
  if (canvas.width < MINIMAP_MIN_CANVAS.width || canvas.height < MINIMAP_MIN_CANVAS.height) return false;
  const minimap = {
    x: canvas.width - box.margin - box.width,
    y: canvas.height - box.margin - box.height,
    width: box.width,
    height: box.height,
  };
  return !nodes.some((node) => rectsOverlap(toScreen(node, viewport), minimap, box.margin));
}

/** Room kept between a placed node and its neighbours. */
const PLACEMENT_GAP = 24;
const PLACEMENT_STEP = 24;
const MAX_RINGS = 80;

/**
 * The top-left corner nearest to `preferred` where a node of `size` overlaps none of `occupied`:
 * inside `visible` when some such spot exists there, otherwise the nearest free spot anywhere.
 */
export function freePosition(occupied: readonly Rect[], size: Size, preferred: Point, visible: Rect | null): Point {
  const isFree = (spot: Point): boolean => !occupied.some((rect) => rectsOverlap({ ...spot, ...size }, rect, PLACEMENT_GAP));
  const inside = (spot: Point): boolean => visible === null || rectInside({ ...spot, ...size }, visible);
  let fallback: Point | null = null;
  // Rings of candidates around the preferred spot, nearest ring first.
  for (let ring = 0; ring <= MAX_RINGS; ring += 1) {
    const candidates = ringSpots(preferred, ring).sort((a, b) => distance(a, preferred) - distance(b, preferred));
    for (const spot of candidates) {
      if (!isFree(spot)) continue;
      if (inside(spot)) return spot;
      fallback ??= spot;
    }
    // Past the visible area on every side, nothing better than the fallback is left.
    if (fallback !== null && (visible === null || ring * PLACEMENT_STEP > Math.max(visible.width, visible.height))) return fallback;
  }
  return fallback ?? preferred;
}

function ringSpots(centre: Point, ring: number): Point[] {
  if (ring === 0) return [centre];
  const spots: Point[] = [];
  for (let i = -ring; i <= ring; i += 1) {
    for (let j = -ring; j <= ring; j += 1) {
      if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue;
      spots.push({ x: centre.x + i * PLACEMENT_STEP, y: centre.y + j * PLACEMENT_STEP });
    }
  }
  return spots;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
