/**
 * Why an ONNX model cannot become a studio teacher. The code picks the translated message
 * (app/i18n/catalogs/onnxImport.ts); `detail` fills it in, and `message` is the English text for
 * logs and tests.
 */
export type OnnxImportCode =
  | 'malformed'
  | 'opset'
  | 'inputs'
  | 'inputShape'
  | 'outputs'
  | 'outputShape'
  | 'unsupportedOps'
  | 'unsupportedAttributes'
  | 'weights'
  | 'parity';

export class OnnxImportError extends Error {
  override readonly name = 'OnnxImportError';
  constructor(readonly code: OnnxImportCode, message: string, readonly detail: Record<string, string | number> = {}) {
    super(message);
  }
}
