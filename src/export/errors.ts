/** Raised when a student cannot become an ATC-safe ONNX model; the message says what to change. */
export class OnnxExportError extends Error {
  override readonly name = 'OnnxExportError';
  constructor(message: string, readonly layerId?: string) {
    super(message);
  }
}
