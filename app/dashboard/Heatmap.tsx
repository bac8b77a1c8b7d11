import { memo, useEffect, useRef } from 'react';
import { useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';
import { colorAt, formatCompact, matrixRange, RAMP_GRADIENT, type ValueRange } from './colormap';

/**
 * A matrix drawn on a canvas, one pixel per cell scaled up without smoothing. Colours span `range`
 * when given (so teacher and student can share one scale), else the matrix's own min-max.
 * Memoised on the matrix reference: it only redraws when a new probe snapshot arrives.
 */
export const Heatmap = memo(function Heatmap({
  matrix,
  size = 96,
  label,
  testId,
  range,
}: {
  matrix: number[][];
  size?: number;
  label: string;
  testId?: string;
  range?: ValueRange;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const rows = matrix.length;
  const cols = rows > 0 ? matrix[0].length : 0;
  const min = range?.min;
  const max = range?.max;

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || rows === 0 || cols === 0) return;
    const own = min === undefined || max === undefined ? matrixRange(matrix) : { min, max };
    const span = own.max > own.min ? own.max - own.min : 1;
    const image = context.createImageData(cols, rows);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const [red, green, blue] = colorAt((matrix[r][c] - own.min) / span);
        const o = (r * cols + c) * 4;
        image.data[o] = red;
        image.data[o + 1] = green;
        image.data[o + 2] = blue;
        image.data[o + 3] = 255;
      }
    }
    context.putImageData(image, 0, 0);
  }, [matrix, rows, cols, min, max]);

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

/** A heatmap with its caption underneath (who it belongs to, which layer). */
export function CaptionedHeatmap({ caption, detail, ...heatmap }: Parameters<typeof Heatmap>[0] & { caption: string; detail?: string }) {
  return (
    <figure className="captioned-heatmap">
      <Heatmap {...heatmap} />
      <figcaption>
        <strong>{caption}</strong>
        {detail !== undefined && <span>{detail}</span>}
      </figcaption>
    </figure>
  );
}

/** Colour bar for the ramp; with a range it labels both ends, otherwise it reads low → high. */
export function ColorScale({ range, caption }: { range?: ValueRange; caption?: string }) {
  const tx = useTexts(dashboardTexts);
  return (
    <div className="color-scale" aria-label={caption ?? tx.colourScale}>
      <span className="color-scale__end">{range === undefined ? tx.low : formatCompact(range.min)}</span>
      <span className="color-scale__bar" style={{ background: RAMP_GRADIENT }} />
      <span className="color-scale__end">{range === undefined ? tx.high : formatCompact(range.max)}</span>
      {caption !== undefined && <span className="color-scale__caption">{caption}</span>}
    </div>
  );
}
