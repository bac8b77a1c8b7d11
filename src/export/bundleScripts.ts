import {
  AIPP_FILE, AMCT_SAVE_PATH, EXPECTED_LOGITS_FILE, OM_BASENAME, OM_INT8_BASENAME, ONNX_FILE, atcInputShape, type BundleFacts,
} from './bundleFacts';

/**
 * The bundle's POSIX sh scripts. Each one: `set -eu`, works from the bundle folder whatever the
 * caller's directory, prints every command before running it, and explains a missing tool.
 */

const HEADER = `set -eu
cd "$(dirname "$0")/.."

run() {
  echo "+ $*"
  "$@"
}

fail() {
  echo "error: $*" >&2
  exit 1
}
`;

/** Sources CANN's set_env.sh from the usual places when a tool is not on PATH yet. */
const FIND_CANN = `load_cann() {
  command -v "$1" >/dev/null 2>&1 && return 0
  for env_file in "\${ASCEND_TOOLKIT_HOME:-}/set_env.sh" "$HOME/Ascend/ascend-toolkit/set_env.sh" /usr/local/Ascend/ascend-toolkit/set_env.sh; do
    if [ -f "$env_file" ]; then
      echo "+ . $env_file"
      set +u
      . "$env_file"
      set -u
      break
    fi
  done
  command -v "$1" >/dev/null 2>&1 || fail "$1 not found: install the CANN toolkit (same version as the board) and run: source \\$HOME/Ascend/ascend-toolkit/set_env.sh"
}
`;

function socOptionParser(facts: BundleFacts, script: string): string {
  return `SOC_VERSION="\${SOC_VERSION:-${facts.socVersion}}"
while [ $# -gt 0 ]; do
  case "$1" in
    --soc_version=*) SOC_VERSION="\${1#*=}"; shift ;;
    --soc_version)
      [ $# -ge 2 ] || fail "--soc_version needs a value, e.g. Ascend310"
      SOC_VERSION="$2"; shift 2 ;;
    -h|--help)
      echo "usage: sh scripts/${script} [--soc_version ${facts.socVersion}|Ascend310P3|Ascend310B1]"
      exit 0 ;;
    *) fail "unknown option $1 (see sh scripts/${script} --help)" ;;
  esac
done
`;
}

function atcCommand(facts: BundleFacts, model: string, output: string): string {
  const aipp = facts.aipp ? ` \\\n  --insert_op_conf=${AIPP_FILE}` : '';
  return `run atc --model=${model} --framework=5 --output=${output} \\
  --input_format=NCHW --input_shape="${atcInputShape(facts)}" \\
  --soc_version="$SOC_VERSION" --output_type=FP32 --log=error${aipp}`;
}

export function convertScript(facts: BundleFacts): string {
  const aippNote = facts.aipp
    ? `# AIPP is on (chosen at export): the .om takes raw uint8 pixels and normalises them on the chip.`
    : `# AIPP is off (chosen at export): the .om takes normalised float32 NCHW input.`;
  return `#!/bin/sh
# Converts ${ONNX_FILE} into ${OM_BASENAME}.om with Huawei ATC (--framework=5 is ONNX).
# Convert with the CANN version the board runs (Atlas 200 DK: CANN 5.1.RC1 to 6.0.0.alpha003).
${aippNote}
# usage: sh scripts/convert.sh [--soc_version ${facts.socVersion}]   (or SOC_VERSION=... in the environment)
${HEADER}
${FIND_CANN}
${socOptionParser(facts, 'convert.sh')}
[ -f ${ONNX_FILE} ] || fail "${ONNX_FILE} is missing; unpack the whole bundle"
load_cann atc
echo "Converting for soc_version $SOC_VERSION"
${atcCommand(facts, ONNX_FILE, OM_BASENAME)}
[ -f ${OM_BASENAME}.om ] || fail "ATC did not write ${OM_BASENAME}.om; read its messages above"
echo "Wrote ${OM_BASENAME}.om; next: sh scripts/run.sh"
`;
}

export function runScript(facts: BundleFacts): string {
  return `#!/bin/sh
# Runs src/infer.py (pyACL) on the sample inputs and compares with ONNX Runtime's logits.
# usage: sh scripts/run.sh [--model ${OM_BASENAME}.om] [--device 0]
${HEADER}
[ -f ${OM_BASENAME}.om ] || [ "$#" -gt 0 ] || fail "${OM_BASENAME}.om is missing; run sh scripts/convert.sh first"
command -v python3 >/dev/null 2>&1 || fail "python3 not found"
python3 -c "import acl" 2>/dev/null || fail "pyACL (import acl) not found: source the CANN set_env.sh first"
run python3 src/infer.py --expected ${EXPECTED_LOGITS_FILE} "$@" ${facts.sampleFiles.join(' ')}
`;
}

/** awk programs shared by the two verify scripts: predicted classes from a TXT output, and the expected ones. */
function classCheckFunctions(facts: BundleFacts): string {
  return `CLASSES=${facts.classes}

# Predicted class of every row of logits in a TXT output file (numbers separated by blanks).
predicted_classes() {
  awk -v k="$CLASSES" '{ for (i = 1; i <= NF; i++) v[n++] = $i }
    END { for (r = 0; r * k < n; r++) { best = 0
            for (c = 1; c < k; c++) if (v[r * k + c] + 0 > v[r * k + best] + 0) best = c
            printf "%s%d", (r ? " " : ""), best }
          print "" }' "$1"
}

# Classes ONNX Runtime predicted for one sample file (column 4 of ${EXPECTED_LOGITS_FILE}).
expected_classes() {
  awk -v f="$1" '$1 == f { printf "%s%s", (n++ ? " " : ""), $4 } END { print "" }' ${EXPECTED_LOGITS_FILE}
}

check_output() {
  sample="$1"; out_dir="$2"
  txt=$(find "$out_dir" -name '*_0.txt' | head -n 1)
  [ -n "$txt" ] || fail "no output file *_0.txt under $out_dir"
  got=$(predicted_classes "$txt")
  want=$(expected_classes "$(basename "$sample")")
  if [ "$got" = "$want" ]; then
    echo "OK   $sample: class $got (ONNX Runtime: $want), logits in $txt"
  else
    echo "FAIL $sample: class $got, ONNX Runtime predicted $want (logits in $txt)"
    failures=$((failures + 1))
  fi
}
`;
}

export function verifyMsameScript(facts: BundleFacts): string {
  return `#!/bin/sh
# Runs every sample through msame and checks the predicted classes against ONNX Runtime's.
# msame: https://gitee.com/ascend/tools (build it on the board); set MSAME=/path/to/msame if not on PATH.
${HEADER}
MSAME="\${MSAME:-msame}"
[ -x ./msame ] && [ "$MSAME" = msame ] && MSAME=./msame
command -v "$MSAME" >/dev/null 2>&1 || fail "msame not found: build it from the Ascend tools repository and set MSAME=/path/to/msame"
[ -f ${OM_BASENAME}.om ] || fail "${OM_BASENAME}.om is missing; run sh scripts/convert.sh first"
${classCheckFunctions(facts)}
failures=0
for sample in ${facts.sampleFiles.join(' ')}; do
  out_dir="out/msame/$(basename "$sample" .bin)"
  rm -rf "$out_dir"
  mkdir -p "$out_dir"
  run "$MSAME" --model ${OM_BASENAME}.om --input "$sample" --output "$out_dir" --outfmt TXT
  check_output "$sample" "$out_dir"
done
[ "$failures" -eq 0 ] || fail "$failures sample(s) disagree with ONNX Runtime"
echo "All samples agree with ONNX Runtime (logits differ slightly: the chip computes in FP16)."
`;
}

export function verifyAisBenchScript(facts: BundleFacts): string {
  return `#!/bin/sh
# Runs every sample through ais_bench and checks the predicted classes against ONNX Runtime's.
# ais_bench: pip3 install the aclruntime and ais_bench wheels from the Ascend tools repository.
${HEADER}
python3 -c "import ais_bench" 2>/dev/null || fail "ais_bench is not installed for python3 (see the Ascend tools repository)"
[ -f ${OM_BASENAME}.om ] || fail "${OM_BASENAME}.om is missing; run sh scripts/convert.sh first"
${classCheckFunctions(facts)}
failures=0
for sample in ${facts.sampleFiles.join(' ')}; do
  out_dir="out/ais_bench/$(basename "$sample" .bin)"
  rm -rf "$out_dir"
  mkdir -p "$out_dir"
  run python3 -m ais_bench --model ${OM_BASENAME}.om --input "$sample" --output "$out_dir" --outfmt TXT
  check_output "$sample" "$out_dir"
done
[ "$failures" -eq 0 ] || fail "$failures sample(s) disagree with ONNX Runtime"
echo "All samples agree with ONNX Runtime (logits differ slightly: the chip computes in FP16)."
`;
}

export function quantizeScript(facts: BundleFacts): string {
  return `#!/bin/sh
# INT8 path: AMCT calibrates ${ONNX_FILE} on the real training images in calibration/
# (${facts.calibrationFiles.length} files, one batch of ${facts.inputDims[0]} each, float32 NCHW, normalised),
# then ATC converts the *_deploy_model.onnx it writes into ${OM_INT8_BASENAME}.om.
# usage: sh scripts/quantize.sh [--soc_version ${facts.socVersion}]
${HEADER}
${FIND_CANN}
${socOptionParser(facts, 'quantize.sh')}
load_cann amct_onnx
load_cann atc
mkdir -p results
run amct_onnx calibration --model ${ONNX_FILE} --save_path ${AMCT_SAVE_PATH} \\
  --input_shape "${atcInputShape(facts)}" --data_dir calibration --data_types float32 \\
  --batch_num ${facts.calibrationFiles.length}
[ -f ${AMCT_SAVE_PATH}_deploy_model.onnx ] || fail "AMCT did not write ${AMCT_SAVE_PATH}_deploy_model.onnx; read its log above"
${atcCommand(facts, `${AMCT_SAVE_PATH}_deploy_model.onnx`, OM_INT8_BASENAME)}
echo "Wrote ${OM_INT8_BASENAME}.om; check it with: sh scripts/run.sh --model ${OM_INT8_BASENAME}.om"
`;
}
