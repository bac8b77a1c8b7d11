import type { OnnxImportWorkerMessage } from '../../src/protocol';
import type { onnxImportTexts } from '../i18n/catalogs/onnxImport';

type Words = (typeof onnxImportTexts)['en'];
type Failure = Extract<OnnxImportWorkerMessage, { type: 'onnxImportFailed' }>;

/** A refused import in the catalog's language, from its code and detail. */
export function onnxImportErrorText({ code, detail, message }: Failure, words: Words): string {
  const s = (key: string): string => String(detail[key] ?? '?');
  const n = (key: string): number => Number(detail[key] ?? 0);
  switch (code) {
    case 'malformed': return words.malformed(message.replace(/^The file is not an ONNX model \((.*)\)\.$/, '$1'));
    case 'opset': return words.opset(s('opset'), n('min'), n('max'));
    case 'inputs': return words.inputs(n('count'), s('expected'));
    case 'inputShape': return words.inputShape(s('actual'), s('expected'));
    case 'outputs': return words.outputs(n('count'), n('classes'));
    case 'outputShape': return words.outputShape(s('actual'), n('classes'));
    case 'unsupportedOps': return words.unsupportedOps(s('ops'), s('nodes'));
    case 'unsupportedAttributes': return words.unsupportedAttributes(s('node'), s('op'), s('attribute'));
    case 'weights': return words.weights(s('tensor'));
    case 'parity': return words.parityFailed(s('maxAbsDiff'), s('tolerance'));
    case 'internal': return words.internal(s('error'));
  }
}
