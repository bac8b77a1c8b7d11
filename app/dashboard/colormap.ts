/** The heatmaps' colour ramp (viridis-like: dark blue low, yellow high), shared by canvas and legend. */

const RAMP: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
];

export function colorAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i];
  const b = RAMP[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** The same ramp as a CSS gradient, so the legend matches the canvas exactly. */
export const RAMP_GRADIENT = `linear-gradient(to right, ${RAMP.map(([r, g, b]) => `rgb(${r} ${g} ${b})`).join(', ')})`;

export interface ValueRange {
  min: number;
  max: number;
}

/** Finite min and max over one or more matrices; {0, 0} when there is nothing finite. */
export function matrixRange(...matrices: readonly (readonly (readonly number[])[])[]): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (const matrix of matrices) {
    for (const row of matrix) {
      for (const v of row) {
        if (!Number.isFinite(v)) continue;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/** Compact number for axis ends and captions: 3 significant digits, exponent when tiny or huge. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  // Strip trailing zeros only after a decimal point: 100 stays 100, 2.50 becomes 2.5.
  return magnitude >= 1e4 || magnitude < 1e-2 ? value.toExponential(1) : value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
