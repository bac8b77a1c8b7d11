#!/usr/bin/env python3
"""Checks exported ONNX files against the rules ATC (CANN 5.x/6.0, Atlas 200DK) needs.

Usage: /usr/bin/python3 .ci/check_onnx.py [--opset 11] [--ir 6] model.onnx [...]
Runs onnx.checker.check_model (with full shape inference), then: the declared opset and IR
version, only operators from the ATC-safe list, static positive shapes on every graph input,
output and inferred intermediate tensor, float32 input named in plain ASCII, Gemm with
alpha = beta = 1 and transA = 0, no MaxPool storage_order, never pads together with auto_pad,
and BatchNormalization only on 4-D tensors. Exit status 0 when every file passes, 1 otherwise,
2 when the onnx module is missing (Debian: apt-get install python3-onnx).
"""
import argparse
import json
import re
import sys

try:
    import onnx
    from onnx import shape_inference
except ImportError:
    print("check_onnx: the onnx module is missing; install python3-onnx", file=sys.stderr)
    sys.exit(2)

ATC_SAFE_OPS = {
    "Conv", "Relu", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Gemm",
    "MatMul", "Add", "Concat", "BatchNormalization", "Softmax", "Sigmoid", "Transpose",
}


def static_dims(value_info):
    tensor_type = value_info.type.tensor_type
    if not tensor_type.HasField("shape"):
        return None
    dims = []
    for dim in tensor_type.shape.dim:
        if not dim.HasField("dim_value") or dim.dim_value <= 0:
            return None
        dims.append(dim.dim_value)
    return dims


def attributes(node):
    return {attr.name: onnx.helper.get_attribute_value(attr) for attr in node.attribute}


def check_file(path, opset, ir_version):
    problems = []
    model = onnx.load(path)
    try:
        onnx.checker.check_model(model, full_check=True)
    except Exception as error:  # the checker raises several exception types
        problems.append("onnx.checker: %s" % error)
    if model.ir_version != ir_version:
        problems.append("IR version %d, expected %d" % (model.ir_version, ir_version))
    default_opsets = [entry.version for entry in model.opset_import if entry.domain in ("", "ai.onnx")]
    if default_opsets != [opset]:
        problems.append("opset %s, expected [%d]" % (default_opsets, opset))
    if len(model.opset_import) != 1:
        problems.append("extra operator domains: %s" % [entry.domain for entry in model.opset_import])

    graph = model.graph
    initializer_names = {init.name for init in graph.initializer}
    real_inputs = [value for value in graph.input if value.name not in initializer_names]
    for value in real_inputs:
        if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", value.name):
            problems.append("input name %r is not plain ASCII" % value.name)
        if value.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
            problems.append("input %s is not float32" % value.name)
    for value in list(real_inputs) + list(graph.output):
        if static_dims(value) is None:
            problems.append("%s has no static shape" % value.name)

    inferred = shape_inference.infer_shapes(model)
    shapes = {value.name: static_dims(value) for value in
              list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output)}
    for node in graph.node:
        label = "%s (%s)" % (node.name, node.op_type)
        if node.op_type not in ATC_SAFE_OPS:
            problems.append("%s: operator not on the ATC-safe list" % label)
        for output in node.output:
            if shapes.get(output) is None:
                problems.append("%s: output %s has no static inferred shape" % (label, output))
        attrs = attributes(node)
        if "pads" in attrs and attrs.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
            problems.append("%s: pads together with auto_pad" % label)
        if node.op_type == "MaxPool" and "storage_order" in attrs:
            problems.append("%s: storage_order is set" % label)
        if node.op_type == "Gemm":
            if attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0 or attrs.get("transA", 0) != 0:
                problems.append("%s: Gemm needs alpha = 1, beta = 1, transA = 0" % label)
        if node.op_type == "BatchNormalization":
            dims = shapes.get(node.input[0])
            if dims is None or len(dims) != 4:
                problems.append("%s: input is not a 4-D tensor (%s)" % (label, dims))
            if "epsilon" not in attrs:
                problems.append("%s: epsilon is not written explicitly" % label)
    return {
        "file": path,
        "ok": not problems,
        "problems": problems,
        "ir_version": model.ir_version,
        "opset": default_opsets,
        "ops": sorted({node.op_type for node in graph.node}),
        "inputs": {value.name: static_dims(value) for value in real_inputs},
        "outputs": {value.name: static_dims(value) for value in graph.output},
        "onnx_version": onnx.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opset", type=int, default=11)
    parser.add_argument("--ir", type=int, default=6)
    parser.add_argument("models", nargs="+")
    args = parser.parse_args()
    reports = [check_file(path, args.opset, args.ir) for path in args.models]
    print(json.dumps(reports, indent=2))
    return 0 if all(report["ok"] for report in reports) else 1


if __name__ == "__main__":
    sys.exit(main())
