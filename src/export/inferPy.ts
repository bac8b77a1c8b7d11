import { EXPECTED_LOGITS_FILE, OM_BASENAME, type BundleFacts } from './bundleFacts';

/**
 * src/infer.py of the bundle: a complete pyACL program for Python 3.7+ with numpy and acl only.
 * It works with the CANN 5.x pointer helpers (numpy_to_ptr / ptr_to_numpy) and the newer ones
 * (bytes_to_ptr / ptr_to_bytes), and in both run modes (on the board itself, or a host with a card).
 */
export function inferPy(facts: BundleFacts): string {
  const inputKind = facts.aipp
    ? `uint8 pixels NHWC ${facts.inputDims[0]}x${facts.inputDims[2]}x${facts.inputDims[3]}x${facts.inputDims[1]} (AIPP normalises on the chip)`
    : `float32 NCHW ${facts.inputDims.join('x')}, already normalised`;
  return `#!/usr/bin/env python3
"""Runs ${OM_BASENAME}.om on raw input files with pyACL and prints logits and classes.

Inputs: ${inputKind}.
Outputs: logits [${facts.inputDims[0]}, ${facts.classes}] as float32 (ATC --output_type=FP32).
usage: python3 src/infer.py [--model ${OM_BASENAME}.om] [--device 0]
                            [--expected ${EXPECTED_LOGITS_FILE}] [--tolerance 0.1] input.bin [...]
Exit status 1 when a predicted class differs from ONNX Runtime's (with --expected).
"""
import argparse
import os
import sys

import numpy as np
import acl

BUNDLE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASSES = ${facts.classes}
LABELS = [${facts.labels.map((label) => JSON.stringify(label)).join(', ')}]

ACL_SUCCESS = 0
ACL_DEVICE = 0
ACL_MEM_MALLOC_HUGE_FIRST = 0
ACL_MEMCPY_HOST_TO_DEVICE = 1
ACL_MEMCPY_DEVICE_TO_HOST = 2
ACL_MEMCPY_DEVICE_TO_DEVICE = 3
NPY_BYTE = 1


def check(ret, what):
    if ret != ACL_SUCCESS:
        raise RuntimeError("%s failed with ACL error %d" % (what, ret))


def host_pointer(data):
    """Pointer to a numpy array's bytes (CANN 6+: bytes_to_ptr; CANN 5.x: numpy_to_ptr)."""
    if hasattr(acl.util, "bytes_to_ptr"):
        raw = data.tobytes()
        return acl.util.bytes_to_ptr(raw), raw
    return acl.util.numpy_to_ptr(data), data


def read_host(pointer, size):
    if hasattr(acl.util, "ptr_to_bytes"):
        return acl.util.ptr_to_bytes(pointer, size)
    return acl.util.ptr_to_numpy(pointer, (size,), NPY_BYTE).tobytes()


def load_expected(path):
    """{file name: [(label, predicted class, logits)]} from expected_logits.txt."""
    expected = {}
    with open(path) as handle:
        for line in handle:
            fields = line.split()
            if not fields or fields[0].startswith("#"):
                continue
            row = (int(fields[2]), int(fields[3]), np.array(fields[4:], dtype=np.float32))
            expected.setdefault(fields[0], []).append(row)
    return expected


class AclModel(object):
    """Owns every ACL resource; close() releases them in the reverse order of creation."""

    def __init__(self, model_path, device_id):
        self._releases = []
        try:
            self._open(model_path, device_id)
        except Exception:
            self.close()
            raise

    def _open(self, model_path, device_id):
        check(acl.init(), "acl.init")
        self._releases.append(("acl.finalize", acl.finalize))
        check(acl.rt.set_device(device_id), "acl.rt.set_device")
        self._releases.append(("acl.rt.reset_device", lambda: acl.rt.reset_device(device_id)))
        context, ret = acl.rt.create_context(device_id)
        check(ret, "acl.rt.create_context")
        self._releases.append(("acl.rt.destroy_context", lambda: acl.rt.destroy_context(context)))
        run_mode, ret = acl.rt.get_run_mode()
        check(ret, "acl.rt.get_run_mode")
        on_device = run_mode == ACL_DEVICE
        self.copy_in = ACL_MEMCPY_DEVICE_TO_DEVICE if on_device else ACL_MEMCPY_HOST_TO_DEVICE
        self.copy_out = ACL_MEMCPY_DEVICE_TO_DEVICE if on_device else ACL_MEMCPY_DEVICE_TO_HOST

        model_id, ret = acl.mdl.load_from_file(model_path)
        check(ret, "acl.mdl.load_from_file(%s)" % model_path)
        self._releases.append(("acl.mdl.unload", lambda: acl.mdl.unload(model_id)))
        self.model_id = model_id
        desc = acl.mdl.create_desc()
        self._releases.append(("acl.mdl.destroy_desc", lambda: acl.mdl.destroy_desc(desc)))
        check(acl.mdl.get_desc(desc, model_id), "acl.mdl.get_desc")

        self.input_sizes = [acl.mdl.get_input_size_by_index(desc, i) for i in range(acl.mdl.get_num_inputs(desc))]
        self.output_sizes = [acl.mdl.get_output_size_by_index(desc, i) for i in range(acl.mdl.get_num_outputs(desc))]
        self.input_dataset, self.input_buffers = self._dataset(self.input_sizes, "input")
        self.output_dataset, self.output_buffers = self._dataset(self.output_sizes, "output")
        self.host_outputs = []
        for size in self.output_sizes:
            pointer, ret = acl.rt.malloc_host(size)
            check(ret, "acl.rt.malloc_host")
            self._releases.append(("acl.rt.free_host", lambda p=pointer: acl.rt.free_host(p)))
            self.host_outputs.append(pointer)

    def _dataset(self, sizes, kind):
        dataset = acl.mdl.create_dataset()
        self._releases.append(("acl.mdl.destroy_dataset(%s)" % kind, lambda: acl.mdl.destroy_dataset(dataset)))
        buffers = []
        for size in sizes:
            device_pointer, ret = acl.rt.malloc(size, ACL_MEM_MALLOC_HUGE_FIRST)
            check(ret, "acl.rt.malloc")
            self._releases.append(("acl.rt.free", lambda p=device_pointer: acl.rt.free(p)))
            data_buffer = acl.create_data_buffer(device_pointer, size)
            self._releases.append(("acl.destroy_data_buffer", lambda b=data_buffer: acl.destroy_data_buffer(b)))
            _, ret = acl.mdl.add_dataset_buffer(dataset, data_buffer)
            check(ret, "acl.mdl.add_dataset_buffer")
            buffers.append(device_pointer)
        return dataset, buffers

    def run(self, raw_input):
        """raw_input: the exact bytes of input 0 as a uint8 numpy array. Returns the float32 outputs."""
        if raw_input.nbytes != self.input_sizes[0]:
            raise ValueError("input has %d bytes but the model expects %d: was the .om converted from this bundle "
                             "(same AIPP setting and batch size)?" % (raw_input.nbytes, self.input_sizes[0]))
        pointer, keep_alive = host_pointer(raw_input)
        check(acl.rt.memcpy(self.input_buffers[0], self.input_sizes[0], pointer, raw_input.nbytes, self.copy_in),
              "acl.rt.memcpy (input)")
        del keep_alive
        check(acl.mdl.execute(self.model_id, self.input_dataset, self.output_dataset), "acl.mdl.execute")
        outputs = []
        for index, size in enumerate(self.output_sizes):
            check(acl.rt.memcpy(self.host_outputs[index], size, self.output_buffers[index], size, self.copy_out),
                  "acl.rt.memcpy (output)")
            outputs.append(np.frombuffer(read_host(self.host_outputs[index], size), dtype=np.float32).copy())
        return outputs

    def close(self):
        while self._releases:
            name, release = self._releases.pop()
            ret = release()
            if ret not in (None, ACL_SUCCESS):
                print("warning: %s returned %s" % (name, ret), file=sys.stderr)


def bundle_path(path):
    return path if os.path.isabs(path) or os.path.exists(path) else os.path.join(BUNDLE_DIR, path)


def main():
    parser = argparse.ArgumentParser(description="Run the student .om on raw input files.")
    parser.add_argument("--model", default="${OM_BASENAME}.om")
    parser.add_argument("--device", type=int, default=0)
    parser.add_argument("--expected", default=None, help="${EXPECTED_LOGITS_FILE} to compare with")
    parser.add_argument("--tolerance", type=float, default=0.1,
                        help="largest logit difference to ONNX Runtime reported as close (the chip computes in FP16)")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()

    expected = load_expected(bundle_path(args.expected)) if args.expected else {}
    model = AclModel(bundle_path(args.model), args.device)
    mismatches = 0
    try:
        for input_path in args.inputs:
            raw = np.fromfile(bundle_path(input_path), dtype=np.uint8)
            logits = model.run(raw)[0].reshape(-1, CLASSES)
            rows = expected.get(os.path.basename(input_path), [])
            for image, row in enumerate(logits):
                predicted = int(np.argmax(row))
                line = "%s[%d]: class %d (%s) logits %s" % (
                    input_path, image, predicted, LABELS[predicted], " ".join("%.5f" % v for v in row))
                if image < len(rows):
                    label, onnx_class, onnx_logits = rows[image]
                    diff = float(np.max(np.abs(onnx_logits - row)))
                    agree = predicted == onnx_class
                    mismatches += 0 if agree else 1
                    line += " | label %d, ONNX Runtime class %d, max |diff| %.5f %s" % (
                        label, onnx_class, diff, "OK" if agree and diff <= args.tolerance else
                        ("CLASS MISMATCH" if not agree else "class OK, logits beyond tolerance"))
                print(line)
    finally:
        model.close()
    if mismatches:
        print("%d image(s) disagree with ONNX Runtime" % mismatches, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
}
