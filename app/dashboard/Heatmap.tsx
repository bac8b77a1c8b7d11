import { memo, useEffect, useRef } from 'react';

/**
 * A matrix drawn on a canvas, min-max normalised, one pixel per cell scaled up without smoothing.
 * Memoised on the matrix reference: it only redraws when a new probe snapshot arrives.
 */

// A compact viridis-like ramp: dark blue (low) to yellow (high).
const RAMP: [number, number, number][] = [
  [68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37],
];

function colorAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const f = x - i;
  const a = RAMP[i];
  const b = RAMP[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export const Heatmap = memo(function Heatmap({
  matrix,
  size = 96,
  label,
  testId,
}: {
  matrix: number[][];
  size?: number;
  label: string;
  testId?: string;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rows = matrix.length;
  const cols = rows > 0 ? matrix[0].length : 0;

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || rows === 0 || cols === 0) return;
    let min = Infinity;
    let max = -Infinity;
    for (const row of matrix) for (const v of row) if (Number.isFinite(v)) { min = Math.min(min, v); max = Math.max(max, v); }
    const range = max > min ? max - min : 1;
    const image = context.createImageData(cols, rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [red, green, blue] = colorAt((matrix[r][c] - min) / range);
        const o = (r * cols + c) * 4;
        image.data[o] = red;
        image.data[o + 1] = green;
        image.data[o + 2] = blue;
        image.data[o + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  }, [matrix, rows, cols]);

  return (
    <canvas
      ref={canvasRef}
      width={Math.max(cols, 1)}
      height={Math.max(rows, 1)}
      className="heatmap"
      style={{ width: size, height: (size * Math.max(rows, 1)) / Math.max(cols, 1) }}
      role="img"
      aria-label={label}
      title={`${label} (${rows}×${cols})`}
      data-testid={testId}
    />
  );
});
