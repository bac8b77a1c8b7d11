import { modelResultById, type ExperimentResults, type ModelResult } from '../results';
import {
  AIPP_FILE, EXPECTED_LOGITS_FILE, LABELS_FILE, OM_BASENAME, OM_INT8_BASENAME, ONNX_FILE, aippChannelValues, atcInputShape,
  sampleBytes, type BundleFacts,
} from './bundleFacts';

/** README.md of the bundle: what each file is, board and CANN setup, convert, run, verify. */

const percent = (value: number | null | undefined): string =>
  value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(2)} %`;

const signedPoints = (value: number | null): string =>
  value === null ? 'n/a' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(2)} points`;

/**
 * The exported model beside its direct teacher and its baseline, as the distillation report whose
 * student it is names them; a model that learned from no teacher (a teacher, a baseline) has no
 * report, and the section says so rather than leave the comparison out silently.
 */
function metricsSection(results: ExperimentResults | null, modelId: string): string {
  if (!results) return 'No experiment results were attached to this export.\n';
  const model = modelResultById(results, modelId);
  if (!model) return `The attached results of "${results.experimentName}" have no result for this model (\`${modelId}\`).\n`;
  const report = results.distillations.find((candidate) => candidate.studentId === modelId);
  const row = (label: string, result: ModelResult | null) =>
    result ? [`| ${label} | ${percent(result.testAccuracy)} | ${result.params.toLocaleString('en-US')} | ${result.seed} |`] : [];
  const teacher = modelResultById(results, report?.teacherId);
  const baseline = modelResultById(results, report?.baselineId);
  const gain = report?.baselineId == null
    ? ' It has no baseline in this experiment, so no distillation gain.'
    : ` Distillation gain over its baseline: ${signedPoints(report.distillationGain)}.`;
  const comparison = report
    ? `Against its teacher: compression ${report.compressionRatio === null ? 'n/a' : `${report.compressionRatio.toFixed(2)}x`}, ` +
      `accuracy drop ${signedPoints(report.accuracyDrop)}.${gain}`
    : `${model.label} has no distillation report in these results: it did not learn from a teacher, so there is no teacher or baseline to compare it with.`;
  const warning = report?.distillationGain != null && report.distillationGain <= 0
    ? ['', `**Distillation did not help this time:** the same network trained without a teacher reached ${percent(baseline?.testAccuracy)}, ` +
      `${report.distillationGain === 0 ? 'the same accuracy' : 'more than this model'}. On one seed, differences of a few tenths of a point are ` +
      'within seed-to-seed spread; run the experiment over several seeds before choosing, or deploy the baseline (the studio exports it too).']
    : [];
  return [
    '| model | test accuracy | parameters | seed |',
    '|---|---|---|---|',
    ...row(`${model.label} (\`${model.modelId}\`, this model)`, model),
    ...row(`${teacher?.label} (its teacher)`, teacher),
    ...row(`${baseline?.label} (the same network without distillation)`, baseline),
    '',
    comparison,
    ...warning,
    '',
    `Dataset ${results.datasetId} (${results.trainCount} training, ${results.testCount} test images), trained on ${results.backend}.`,
    '',
  ].join('\n');
}

function normalisationSection(facts: BundleFacts): string {
  const { mean, std } = facts.normalization;
  const formula = `x = (pixel / 255 - ${mean.join('|')}) / ${std.join('|')}`;
  if (facts.aipp) {
    const channels = aippChannelValues(facts.normalization)
      .map((c, i) => `min_chn_${i} = ${c.min.toPrecision(6)}, var_reci_chn_${i} = ${c.varReci.toPrecision(9)}`).join('; ');
    return `**AIPP normalises on the chip.** Feed raw uint8 pixels (NHWC, ${sampleBytes(facts)} bytes per input); ` +
      `\`${AIPP_FILE}\` applies ${formula} (${channels}). Never normalise on the host as well. ` +
      `The ONNX model itself still takes normalised float32 NCHW input (for ONNX Runtime and AMCT).`;
  }
  return `**The host normalises.** The .om takes float32 NCHW input (${sampleBytes(facts)} bytes per input), already ` +
    `normalised with ${formula} per channel. The sample files are stored that way. ` +
    `For raw uint8 camera input, export again with AIPP on.`;
}

export function bundleReadme(facts: BundleFacts, results: ExperimentResults | null, modelId: string): string {
  const samples = facts.sampleFiles.map((file) => `\`${file}\``).join(', ');
  return `# ${facts.modelName} for the Atlas 200 DK (Ascend 310)

Exported by distillation studio. ONNX opset ${facts.opset}, IR version ${facts.irVersion}; input \`${facts.inputName}\`
[${facts.inputDims.join(', ')}] float32 NCHW; output \`logits\` [${facts.inputDims[0]}, ${facts.classes}]${facts.softmaxOutput ? ` and \`probs\` (Softmax)` : ''}.
Target \`--soc_version=${facts.socVersion}\`. Classes: ${facts.labels.join(', ')}.

## Results of the experiment

${metricsSection(results, modelId)}
## Versions that matter

- The Atlas 200 DK's last driver (1.0.13.alpha) pairs with **CANN 5.1.RC1 up to 6.0.0.alpha003**. Convert with the same
  CANN version the board runs: an .om from another version may not load.
- ATC in those releases reads ONNX opset 9 to 13; this model uses opset ${facts.opset}.
- The Ascend 310 computes in FP16 by default, so its logits differ slightly from ONNX Runtime's. The checks below compare
  the predicted classes exactly and report the logit difference.

## Input and normalisation

${normalisationSection(facts)}

## Files

| file | what it is |
|---|---|
| \`README.md\` | this guide |
| \`manifest.json\` | input name, shape, dtype and layout, normalisation and who applies it, labels, opset/IR, soc_version, experiment metrics, size and SHA-256 of every other file |
| \`${ONNX_FILE}\` | the trained model (no dropout, adapters or auxiliary heads) |
${facts.aipp ? `| \`${AIPP_FILE}\` | AIPP configuration: uint8 pixels in, normalised on the chip |\n` : ''}| \`scripts/convert.sh\` | ONNX -> \`${OM_BASENAME}.om\` with ATC (\`--soc_version\` option) |
| \`scripts/run.sh\` | runs \`src/infer.py\` on the samples and compares with ONNX Runtime |
| \`scripts/verify_msame.sh\`, \`scripts/verify_ais_bench.sh\` | the same check with Huawei's msame or ais_bench tools |
| \`scripts/quantize.sh\` | INT8 path: AMCT calibration, then ATC -> \`${OM_INT8_BASENAME}.om\` |
| \`src/infer.py\` | pyACL program (Python 3.7+, numpy and acl only): loads the .om, runs inputs, prints logits and classes |
| ${samples} | sample inputs, exactly the bytes the .om expects (${sampleBytes(facts)} bytes each) |
| \`${EXPECTED_LOGITS_FILE}\` | ONNX Runtime's logits for the samples, with their true labels |
| \`${LABELS_FILE}\` | class names, one per line, in output order |
| \`calibration/*.bin\` | ${facts.calibrationFiles.length} batches of real training images (float32 NCHW, normalised) for AMCT |

## 1. Set up the board (once)

1. Make the SD card with Huawei's \`make_sd_card.py\` (Ubuntu 18.04 arm64 image + the driver package for the 200 DK).
2. Connect: USB \`192.168.1.2\` or Ethernet \`192.168.0.2\`, user \`HwHiAiUser\`.
3. Install the CANN toolkit (5.1.RC1 to 6.0.0.alpha003), then \`source $HOME/Ascend/ascend-toolkit/set_env.sh\`
   (or \`/usr/local/Ascend/ascend-toolkit/set_env.sh\`) and \`pip3 install numpy\`.
4. Copy this folder to the board (or to a development machine with the same CANN version for step 2).

## 2. Convert

\`\`\`
sh scripts/convert.sh                          # --soc_version ${facts.socVersion}
sh scripts/convert.sh --soc_version Ascend310B1   # another board
\`\`\`
It runs \`atc --model=${ONNX_FILE} --framework=5 --output=${OM_BASENAME} --input_format=NCHW
--input_shape="${atcInputShape(facts)}" --soc_version=... --output_type=FP32 --log=error${facts.aipp ? ` --insert_op_conf=${AIPP_FILE}` : ''}\`.
Success prints \`ATC run success\` and writes \`${OM_BASENAME}.om\`.

## 3. Run and verify on the board

\`\`\`
sh scripts/run.sh                 # pyACL: logits, class, and agreement with ONNX Runtime
sh scripts/verify_msame.sh        # or: MSAME=/path/to/msame sh scripts/verify_msame.sh
sh scripts/verify_ais_bench.sh
\`\`\`
Every script exits non-zero when a predicted class differs from \`${EXPECTED_LOGITS_FILE}\`.

## 4. Optional: INT8

\`sh scripts/quantize.sh\` runs \`amct_onnx calibration\` on \`calibration/\` (batches of ${facts.inputDims[0]}, matching the
model's static batch) and converts \`results/student_deploy_model.onnx\` into \`${OM_INT8_BASENAME}.om\`; check it with
\`sh scripts/run.sh --model ${OM_INT8_BASENAME}.om\` (INT8 changes logits more than FP16; compare the classes).
`;
}
