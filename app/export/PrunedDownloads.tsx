import type { PrunedDownloads as Downloads } from '../../src/compress/prunedExport';
import type { VerificationReport } from '../../src/protocol';
import { formatBytes } from '../dashboard/format';
import { downloadFile } from '../download';
import { pruningTexts } from '../i18n/catalogs/pruning';
import { useTexts } from '../i18n/texts';

const exactBytes = (bytes: number): string => `${formatBytes(bytes)} (${bytes.toLocaleString('en-US')} B)`;

/**
 * A pruned student's smaller ONNX files beside the dense one, with their real sizes and their ONNX
 * Runtime checks; a file is offered only when it agreed with the student.
 */
export function PrunedDownloads({ pruned, baseName, bundled }: { pruned: Downloads; baseName: string; bundled: boolean }) {
  const tx = useTexts(pruningTexts);
  const dense = exactBytes(pruned.denseBytes);
  const check = (report: VerificationReport) => (report.ok
    ? tx.prunedVerified(report.maxAbsDiff.toExponential(2), String(Math.round(report.classAgreement * report.samples)), report.samples)
    : tx.prunedMismatch(report.maxAbsDiff.toExponential(2)));
  const { slimmed, sparse } = pruned;
  return (
    <div className="export-panel__pruned" data-testid="export-pruned">
      <h4>{tx.prunedHeading}</h4>
      {slimmed && (
        <div data-testid="export-slimmed">
          <p className="export-panel__note" data-testid="export-slimmed-size" data-bytes={slimmed.onnx.length} data-dense-bytes={pruned.denseBytes}>
            {tx.slimmedFile(exactBytes(slimmed.onnx.length), dense)}{' '}
            {tx.slimmedConvs(slimmed.convs.map((conv) => `${conv.layerId} ${conv.channelsBefore} → ${conv.channelsAfter}`).join(', '))}
          </p>
          {slimmed.kept.length > 0 && (
            <p className="export-panel__note" data-testid="export-slimmed-kept">
              {tx.keptWhole(slimmed.kept.map((kept) => tx.keptReason(kept.layerId, kept.zeroChannels, kept.blockedBy, kept.reason)).join('; '))}
            </p>
          )}
          <p className="export-panel__note" data-testid="export-slimmed-report">{check(slimmed.report)}{bundled && slimmed.report.ok ? ` ${tx.slimmedBundle}` : ''}</p>
          <button type="button" data-testid="export-download-slimmed" disabled={!slimmed.report.ok}
            onClick={() => downloadFile(slimmed.onnx, `${baseName}_slimmed.onnx`, 'application/octet-stream')}>
            {tx.downloadSlimmed}
          </button>
        </div>
      )}
      {sparse && (
        <div data-testid="export-sparse">
          <p className="export-panel__note" data-testid="export-sparse-size" data-bytes={sparse.onnx.length} data-dense-bytes={pruned.denseBytes}>
            {tx.sparseFile(exactBytes(sparse.onnx.length), dense, sparse.sparseTensors.length)}
          </p>
          <p className="export-panel__note" data-testid="export-sparse-report">{check(sparse.report)}</p>
          <button type="button" data-testid="export-download-sparse" disabled={!sparse.report.ok}
            onClick={() => downloadFile(sparse.onnx, `${baseName}_sparse.onnx`, 'application/octet-stream')}>
            {tx.downloadSparse}
          </button>
        </div>
      )}
    </div>
  );
}
