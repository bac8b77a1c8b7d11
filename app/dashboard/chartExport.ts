/**
 * Curves out of the studio: the numbers behind a chart as CSV (RFC 4180, full precision, empty
 * cells where a series has no point) and the chart as a PNG with its title and legend drawn in,
 * so the picture stands on its own in a slide or a paper draft.
 */

export interface CsvColumn {
  key: string;
  label: string;
}

export type CsvRow = Readonly<Record<string, string | number | null | undefined>>;

function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvOf(columns: readonly CsvColumn[], rows: readonly CsvRow[]): string {
  const lines = [columns.map((column) => csvCell(column.label)), ...rows.map((row) => columns.map((column) => csvCell(row[column.key])))];
  return lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

export interface PngLegendItem {
  label: string;
  color: string;
  dashed?: boolean;
}

const SCALE = 2;
const PAD = 16;
const TITLE_HEIGHT = 28;
const LEGEND_ROW = 20;
const FONT = '13px system-ui, -apple-system, "Segoe UI", sans-serif';

/** Rows of legend items that fit `width` (measured with the canvas's own font). */
function legendRows(context: CanvasRenderingContext2D, items: readonly PngLegendItem[], width: number): PngLegendItem[][] {
  const rows: PngLegendItem[][] = [[]];
  let x = 0;
  for (const item of items) {
    const itemWidth = 30 + context.measureText(item.label).width + 18;
    if (x + itemWidth > width && rows[rows.length - 1].length > 0) {
      rows.push([]);
      x = 0;
    }
    rows[rows.length - 1].push(item);
    x += itemWidth;
  }
  return rows;
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    image.src = url;
  });
}

/** The recharts SVG inside `container` as a PNG (2x), on white, with `title` above and the legend below. */
export async function chartPng(svg: SVGSVGElement, title: string, legend: readonly PngLegendItem[]): Promise<Blob> {
  const { width, height } = svg.getBoundingClientRect();
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  copy.style.fontFamily = 'system-ui, -apple-system, "Segoe UI", sans-serif';
  copy.style.fontSize = '12px';
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' }));
  try {
    const image = await loadImage(url);
    const measure = document.createElement('canvas').getContext('2d')!;
    measure.font = FONT;
    const rows = legendRows(measure, legend, width);
    const canvas = document.createElement('canvas');
    canvas.width = (width + 2 * PAD) * SCALE;
    canvas.height = (PAD + TITLE_HEIGHT + height + rows.length * LEGEND_ROW + PAD) * SCALE;
    const context = canvas.getContext('2d')!;
    context.scale(SCALE, SCALE);
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.fillStyle = '#1c2430';
    context.font = `600 15px system-ui, -apple-system, "Segoe UI", sans-serif`;
    context.textBaseline = 'middle';
    context.fillText(title, PAD, PAD + TITLE_HEIGHT / 2);
    context.drawImage(image, PAD, PAD + TITLE_HEIGHT, width, height);
    context.font = FONT;
    rows.forEach((row, rowIndex) => {
      let x = PAD;
      const y = PAD + TITLE_HEIGHT + height + rowIndex * LEGEND_ROW + LEGEND_ROW / 2;
      for (const item of row) {
        context.strokeStyle = item.color;
        context.lineWidth = 2.5;
        context.setLineDash(item.dashed ? [4, 3] : []);
        context.beginPath();
        context.moveTo(x, y);
        context.lineTo(x + 22, y);
        context.stroke();
        context.fillStyle = '#1c2430';
        context.fillText(item.label, x + 30, y);
        x += 30 + context.measureText(item.label).width + 18;
      }
    });
    return await new Promise<Blob>((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not encode the PNG'))), 'image/png');
    });
  } finally {
    URL.revokeObjectURL(url);
  }
}
