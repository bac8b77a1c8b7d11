/**
 * studio_weights.py: reads and writes the studio's weights file (src/models/weightsFile.ts: a JSON
 * layout of layer ids, shapes and offsets beside one little-endian float32 blob, tensors in tfjs
 * order), converting to and from PyTorch's layouts: dense kernel [in, out] <-> weight [out, in],
 * conv kernel [kh, kw, in, out] (HWIO) <-> [out, in, kh, kw], depthwise kernel [kh, kw, C, 1] <->
 * [C, 1, kh, kw] (a grouped conv, groups = C), batch norm gamma, beta, moving mean, moving variance
 * <-> weight, bias, running_mean, running_var. A conv without bias (useBias false) has its kernel
 * alone in the file and bias=None in the module; the tensor counts are checked both ways.
 */

const WEIGHTS_PY = `"""The studio's weights file format: <name>.json (layout) + <name>.bin (float32, little-endian)."""
import json

import numpy as np
import torch


# Studio (tfjs) kernel layout -> PyTorch weight layout, per layer kind; biases and batch norm keep theirs.
_KERNEL_TO_TORCH = {
    "dense": (1, 0),  # [in, out] -> [out, in]
    "conv2d": (3, 2, 0, 1),  # [kh, kw, in, out] -> [out, in, kh, kw]
    "depthwiseConv2d": (2, 3, 0, 1),  # [kh, kw, C, 1] -> [C, 1, kh, kw]
}


def _convert(kind, tensors, to_torch):
    """Kernel transposed by the table (to PyTorch) or by its inverse permutation (back to the studio)."""
    if kind == "batchNorm":
        return list(tensors)
    if kind not in _KERNEL_TO_TORCH:
        raise ValueError(f"no weights for layer kind {kind}")
    axes = _KERNEL_TO_TORCH[kind]
    if not to_torch:
        axes = tuple(int(axis) for axis in np.argsort(axes))
    return [tensors[0].transpose(axes), *tensors[1:]]


def _module_tensors(module, kind):
    """The module's tensors in the studio's order: kernel and bias (none when the layer has no bias), or batch norm's four."""
    if kind == "batchNorm":
        return [module.weight, module.bias, module.running_mean, module.running_var]
    return [module.weight] if module.bias is None else [module.weight, module.bias]


def _layers(net):
    """(layer id, kind, module) of every weighted layer: a network's WEIGHTED list, or an adapter's one layer."""
    if hasattr(net, "WEIGHTED"):
        return [(layer_id, kind, net.layers[layer_id]) for layer_id, kind in net.WEIGHTED]
    return [(net.layer_id, net.kind, net.layer)]


def load(net, stem):
    """Copies <stem>.json/.bin into net, checking that every weighted layer is there with its shapes."""
    with open(stem + ".json") as file:
        layout = {entry["layerId"]: entry["tensors"] for entry in json.load(file)}
    values = np.fromfile(stem + ".bin", dtype="<f4")
    for layer_id, kind, module in _layers(net):
        if layer_id not in layout:
            raise ValueError(f"{stem}: no weights for layer '{layer_id}'")
        arrays = [values[t["offset"]:t["offset"] + t["length"]].reshape(t["shape"]) for t in layout[layer_id]]
        targets = _module_tensors(module, kind)
        if len(arrays) != len(targets):
            raise ValueError(f"{stem}: layer '{layer_id}' has {len(arrays)} tensors, the model {len(targets)} "
                             f"(a {kind} layer {'with' if len(targets) > 1 else 'without'} bias?)")
        for target, array in zip(targets, _convert(kind, arrays, to_torch=True)):
            if tuple(target.shape) != array.shape:
                raise ValueError(f"{stem}: layer '{layer_id}' has shape {list(array.shape)}, the model {list(target.shape)}")
            with torch.no_grad():
                target.copy_(torch.from_numpy(np.ascontiguousarray(array)))


def save(net, stem):
    """Writes net's weights as <stem>.json/.bin, which the studio reads like its teacher files."""
    layout, blobs, offset = [], [], 0
    for layer_id, kind, module in _layers(net):
        arrays = _convert(kind, [t.detach().cpu().numpy() for t in _module_tensors(module, kind)], to_torch=False)
        tensors = []
        for array in arrays:
            flat = np.ascontiguousarray(array, dtype="<f4").ravel()
            tensors.append({"shape": list(array.shape), "offset": offset, "length": int(flat.size)})
            blobs.append(flat)
            offset += flat.size
        layout.append({"layerId": layer_id, "tensors": tensors})
    with open(stem + ".json", "w") as file:
        json.dump(layout, file)
    np.concatenate(blobs).astype("<f4").tofile(stem + ".bin")
`;

export function weightsPy(): string {
  return WEIGHTS_PY;
}
