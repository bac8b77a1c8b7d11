import type { QuantizationMethod } from '../graph/schema';
import { OM_INT8_BASENAME, ONNX_FILE } from './bundleFacts';

/** An INT8 student's QDQ ONNX (QAT or PTQ) inside the Atlas bundle. */
export const INT8_QDQ_FILE = 'model/student_int8_qdq.onnx';

/**
 * The README section on the two INT8 files. Nothing here was run through ATC or AMCT (no Ascend
 * toolchain is available to the studio), so it says what was checked and what was not.
 */
const HOW_QUANTISED: Record<QuantizationMethod | 'unknown', { how: string; weights: string; ranges: string }> = {
  qat: {
    how: 'trained with quantisation-aware training (QAT: INT8 fake quantisation in the studio)',
    weights: "the QAT student's float weights (already adapted to INT8 rounding)",
    ranges: 'the QAT ranges',
  },
  ptq: {
    how: 'trained in float and quantised after training in the studio (PTQ: activation ranges calibrated on training images)',
    weights: "the student's float weights",
    ranges: "the studio's calibrated ranges",
  },
  unknown: {
    how: 'quantised to INT8 in the studio',
    weights: "the student's float weights",
    ranges: 'the ranges',
  },
};

export function int8ReadmeSection(method: QuantizationMethod | null): string {
  const text = HOW_QUANTISED[method ?? 'unknown'];
  return `
## 5. INT8: which file takes which path

This student was ${text.how}, so the bundle
holds two INT8 routes:

| file | what it is | path to the board |
|---|---|---|
| \`${ONNX_FILE}\` | ${text.weights} | \`sh scripts/quantize.sh\`: AMCT calibration on \`calibration/\`, then ATC on AMCT's \`*_deploy_model.onnx\` -> \`${OM_INT8_BASENAME}.om\`. This is the path Huawei documents for INT8 on Ascend, and the one to use. |
| \`${INT8_QDQ_FILE}\` | the same model as standard ONNX QDQ (opset 13): INT8 weights per output channel with DequantizeLinear, a QuantizeLinear/DequantizeLinear pair (INT8, per tensor, with zero point) on the input and after every layer but the logits | ONNX Runtime and other QDQ-aware runtimes. The studio checked it with ONNX Runtime against its own INT8 model. |

Not verified: whether ATC converts QuantizeLinear/DequantizeLinear from an ONNX file, and at which opset, in your
CANN version. They are not among the operators this exporter targets for ATC, and no Ascend toolchain was available
to test them. If you try \`atc --model=${INT8_QDQ_FILE} ...\` and it fails, use the AMCT path above: AMCT computes its
own activation ranges from \`calibration/\` and does not read ${text.ranges} stored in the QDQ file.
`;
}
