import { useStudio } from '../store';
import { downloadFile, fileSlug } from '../download';
import { errorMessage } from '../../src/errorMessage';
import { textsNow, useTexts } from '../i18n/texts';
import { dashboardTexts } from '../i18n/catalogs/dashboard';
import { chartPng, csvOf, type CsvColumn, type CsvRow, type PngLegendItem } from './chartExport';

export interface ChartData {
  columns: CsvColumn[];
  rows: CsvRow[];
  legend: PngLegendItem[];
}

/**
 * CSV and PNG buttons for a chart panel. The file names carry the experiment and the chart
 * (`hinton-kd-on-mnist-loss.csv`); the PNG is the chart as drawn, the CSV every value behind it.
 */
export function ChartDownloads({ chart, title, data }: { chart: string; title: string; data: () => ChartData }) {
  const tx = useTexts(dashboardTexts);
  const baseName = (): string => `${fileSlug(useStudio.getState().experiment.name, 'experiment')}-${chart}`;

  const downloadCsv = () => {
    const { columns, rows } = data();
    downloadFile(csvOf(columns, rows), `${baseName()}.csv`, 'text/csv');
  };

  const downloadPng = async (button: HTMLButtonElement) => {
    const svg = button.closest('.dash-panel')?.querySelector<SVGSVGElement>('svg.recharts-surface');
    try {
      if (!svg) throw new Error(textsNow(dashboardTexts).chartNotOnScreen);
      const blob = await chartPng(svg, `${title}: ${useStudio.getState().experiment.name}`, data().legend);
      downloadFile(new Uint8Array(await blob.arrayBuffer()), `${baseName()}.png`, 'image/png');
    } catch (error) {
      useStudio.getState().pushToast('error', textsNow(dashboardTexts).pngFailed(errorMessage(error)));
    }
  };

  return (
    <span className="chart-downloads">
      <button type="button" data-testid={`${chart}-csv`} title={tx.csvTitle} onClick={downloadCsv}>CSV</button>
      <button type="button" data-testid={`${chart}-png`} title={tx.pngTitle}
        onClick={(event) => void downloadPng(event.currentTarget)}>PNG</button>
    </span>
  );
}
