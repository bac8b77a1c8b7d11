import { describe, expect, it } from 'vitest';
import { freePosition, initialViewport, minimapFits, READABLE_ZOOM, rectsOverlap, toFlow, toScreen, type Rect } from './viewLayout';

const node = (x: number, y: number, width = 250, height = 150): Rect => ({ x, y, width, height });

describe('initialViewport', () => {
  it('fits and centres a small graph, never zooming in past 1', () => {
    const view = initialViewport(node(0, 0, 300, 200), { width: 1000, height: 800 });
    expect(view.zoom).toBe(1);
    // Centred in the room right of the zoom buttons (56 px) and left of the 24 px margin.
    expect(toScreen(node(0, 0, 300, 200), view)).toEqual({ x: 366, y: 300, width: 300, height: 200 });
  });

  it('keeps a readable zoom for a graph too big for the canvas and shows its top-left corner', () => {
    const bounds = node(-100, 50, 1200, 520);
    const view = initialViewport(bounds, { width: 724, height: 334 });
    expect(view.zoom).toBe(READABLE_ZOOM);
    const drawn = toScreen(bounds, view);
    expect(drawn.x).toBe(56);
    expect(drawn.y).toBe(24);
  });

  it('round-trips between screen and flow coordinates', () => {
    const view = { x: 30, y: -12, zoom: 0.8 };
    expect(toFlow(toScreen(node(10, 20), view), view)).toEqual(node(10, 20));
  });
});

describe('minimapFits', () => {
  const canvas = { width: 1000, height: 600 };
  const view = { x: 0, y: 0, zoom: 1 };
  it('is false when a node lies under the bottom-right corner', () => {
    expect(minimapFits([node(20, 20), node(700, 400)], view, canvas)).toBe(false);
  });
  it('is true when the corner is clear', () => {
    expect(minimapFits([node(20, 20), node(300, 300)], view, canvas)).toBe(true);
  });
  it('is false on a small canvas, even with the corner clear', () => {
    expect(minimapFits([node(20, 20)], view, { width: 724, height: 334 })).toBe(false);
  });
});

describe('freePosition', () => {
  const size = { width: 250, height: 150 };
  const visible = node(0, 0, 1000, 700);

  it('keeps the preferred spot when it is free', () => {
    expect(freePosition([node(600, 400)], size, { x: 100, y: 100 }, visible)).toEqual({ x: 100, y: 100 });
  });

  it('moves off an occupied spot to the nearest free one inside the view', () => {
    const occupied = [node(100, 100), node(400, 100), node(100, 300)];
    const spot = freePosition(occupied, size, { x: 120, y: 110 }, visible);
    expect(occupied.some((rect) => rectsOverlap({ ...spot, ...size }, rect))).toBe(false);
    expect(rectsOverlap({ ...spot, ...size }, visible)).toBe(true);
    expect(spot.x).toBeGreaterThanOrEqual(0);
    expect(spot.y + size.height).toBeLessThanOrEqual(700);
  });

  it('goes outside the view when the view is full', () => {
    const full = [node(0, 0, 1000, 700)];
    const spot = freePosition(full, size, { x: 300, y: 300 }, visible);
    expect(rectsOverlap({ ...spot, ...size }, full[0])).toBe(false);
  });
});
