import type { VerificationReport } from '../../src/protocol';
import { downloadFile } from '../download';
import { useTexts } from '../i18n/texts';
import { quantizationTexts } from '../i18n/catalogs/quantization';

/** The INT8 (QDQ) ONNX of a QAT-trained student: its ONNX Runtime check and its download. */
export function Int8Download({ int8, baseName }: { int8: { onnx: Uint8Array; report: VerificationReport }; baseName: string }) {
  const tx = useTexts(quantizationTexts);
  const { report } = int8;
  const agreeing = Math.round(report.classAgreement * report.samples);
  return (
    <div className="export-panel__downloads" data-testid="export-int8">
      <p className="export-panel__note" data-testid="export-int8-report">
        {tx.int8Verified(report.maxAbsDiff.toExponential(2), String(agreeing), report.samples)}
      </p>
      <button type="button" data-testid="export-download-int8"
        onClick={() => downloadFile(int8.onnx, `${baseName}_int8_qdq.onnx`, 'application/octet-stream')}>
        {tx.downloadInt8}
      </button>
    </div>
  );
}
