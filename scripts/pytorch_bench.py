"""PyTorch side of `npm run bench -- --vs-pytorch` (scripts/bench.ts starts it with /usr/bin/python3).

Builds each architecture from the studio's own spec (src/models/spec.ts, sent as JSON), so both
sides train the same layers: NHWC specs become NCHW modules with the same shapes, parameters and
FLOPs. A training step is what src/train/benchmark.ts times: draw a shuffled batch of real MNIST
images, forward in training mode (dropout, batch statistics), cross-entropy, backward, Adam
(eps 1e-7 as in src/train/optimizer.ts), and read the loss back.

Protocol: one JSON request per stdin line, one JSON reply per stdout line, so the benchmark can
interleave PyTorch and tfjs measurements of the same model.
  {"type": "data", "images": path, "labels": path, "count": n, "shape": [h, w, c]}  float32 NHWC, int32
  {"type": "measure", "spec": {...}, "threads": t, "batch": b, "steps": s, "warmup": w, "seed": k}
  -> {"samplesPerSecond": ..., "msPerStep": ..., "threads": t, "torch": version, "blas": library}
  {"type": "describe", "spec": {...}}  -> {"params": n, "outputs": [...]}  (the architecture test)

PyTorch's dense layers run in the BLAS that libblas.so.3 resolves to: Debian's reference BLAS is
about 20x slower than OpenBLAS on this CPU, so the reply names the library (scripts/bench.ts warns).
"""
import ctypes
import json
import sys
import time

import numpy as np
import torch
from torch import nn


def build(spec):
    """nn.Sequential of the spec's layers; `channels`/`features` track the running shape."""
    height, width, channels = spec["inputShape"]
    features = None  # set once flattened
    layers = []
    for layer in spec["layers"]:
        kind = layer["kind"]
        if kind == "conv2d":
            k, s = layer["kernelSize"], layer["strides"]
            if layer["padding"] == "same":
                if s != 1 or k % 2 == 0:
                    raise ValueError(f"'same' padding is mirrored only for odd kernels at stride 1 ({layer['id']})")
                padding = k // 2
            else:
                padding = 0
                height, width = (height - k) // s + 1, (width - k) // s + 1
            layers.append(nn.Conv2d(channels, layer["filters"], k, stride=s, padding=padding))
            channels = layer["filters"]
        elif kind == "batchNorm":
            # Keras momentum m keeps m of the old statistics; PyTorch's momentum is the new share.
            layers.append(nn.BatchNorm2d(channels, eps=layer["epsilon"], momentum=1 - layer["momentum"]) if features is None
                          else nn.BatchNorm1d(features, eps=layer["epsilon"], momentum=1 - layer["momentum"]))
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind in ("maxPool", "avgPool"):
            if layer["padding"] != "valid":
                raise ValueError(f"only 'valid' pooling is mirrored ({layer['id']})")
            pool = nn.MaxPool2d if kind == "maxPool" else nn.AvgPool2d
            layers.append(pool(layer["poolSize"], stride=layer["strides"]))
            height = (height - layer["poolSize"]) // layer["strides"] + 1
            width = (width - layer["poolSize"]) // layer["strides"] + 1
        elif kind == "flatten":
            layers.append(nn.Flatten())
            features = height * width * channels
        elif kind == "dense":
            if features is None:
                raise ValueError(f"dense layer '{layer['id']}' before a flatten")
            layers.append(nn.Linear(features, layer["units"]))
            features = layer["units"]
        elif kind == "dropout":
            layers.append(nn.Dropout(layer["rate"]))
        else:
            raise ValueError(f"unknown layer kind '{kind}'")
    return nn.Sequential(*layers)


def blas_library():
    """The BLAS shared object this process loaded (torch links libblas.so.3)."""
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
    return ", ".join(sorted(path for path in paths if path.startswith("/"))) or "unknown"


def describe(spec):
    """Parameters counted as the studio counts them (batch-norm moving statistics included) and the output shape."""
    model = build(spec)
    params = sum(p.numel() for p in model.parameters())
    params += sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    h, w, c = spec["inputShape"]
    model.eval()
    with torch.no_grad():
        outputs = list(model(torch.zeros(2, c, h, w)).shape)
    return {"params": params, "outputs": outputs}


def set_blas_threads(threads):
    """OpenBLAS's pthread build keeps its own pool, which torch.set_num_threads does not size."""
    try:
        ctypes.CDLL("libblas.so.3").openblas_set_num_threads(ctypes.c_int(threads))
    except (OSError, AttributeError):
        pass  # reference BLAS is single-threaded


def measure(request, images, labels):
    torch.set_num_threads(request["threads"])
    set_blas_threads(request["threads"])
    torch.manual_seed(request["seed"])
    model = build(request["spec"])
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()
    batch = request["batch"]
    generator = torch.Generator().manual_seed(request["seed"])
    order = torch.randperm(len(labels), generator=generator)
    position = 0

    def step():
        nonlocal order, position
        if position + batch > len(order):
            order, position = torch.randperm(len(labels), generator=generator), 0
        index = order[position:position + batch]
        position += batch
        xs, ys = images[index], labels[index]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xs), ys)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(request["warmup"]):
        step()
    started = time.perf_counter()
    for _ in range(request["steps"]):
        step()
    seconds = time.perf_counter() - started
    return {
        "samplesPerSecond": request["steps"] * batch / seconds,
        "msPerStep": seconds * 1000 / request["steps"],
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": blas_library(),
    }


def main():
    images = labels = None
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["type"] == "data":
                h, w, c = request["shape"]
                nhwc = np.fromfile(request["images"], dtype=np.float32).reshape(request["count"], h, w, c)
                images = torch.from_numpy(np.ascontiguousarray(nhwc.transpose(0, 3, 1, 2)))
                labels = torch.from_numpy(np.fromfile(request["labels"], dtype=np.int32).astype(np.int64))
                reply = {"count": len(labels)}
            elif request["type"] == "describe":
                reply = describe(request["spec"])
            elif request["type"] == "measure":
                if images is None:
                    raise ValueError("send the data first")
                reply = measure(request, images, labels)
            else:
                raise ValueError(f"unknown request type '{request['type']}'")
        except Exception as error:  # reported to the benchmark, which prints it
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
