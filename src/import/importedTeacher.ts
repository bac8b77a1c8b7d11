/** Shared by the import worker and the page: where an imported teacher's weights are stored. */

/** Real test images both runtimes classify before an import is accepted. */
export const IMPORT_PARITY_IMAGES = 100;

/**
 * The IndexedDB teacher-store key of a converted ONNX file: its content hash and the image shape
 * it was converted for. Plan cache keys start with 'teacher-', so the two never collide.
 */
export function importedWeightsKey(sha256: string, shape: readonly number[]): string {
  return `onnx-${sha256.slice(0, 32)}-${shape.join('x')}`;
}
