#!/usr/bin/env python3
"""Trains a small MNIST CNN in PyTorch and exports it to ONNX: the teacher fixture the ONNX-import
tests and e2e/onnxTeacher.spec.ts import (e2e/fixtures/mnist-torch-teacher.onnx).

It reads the studio's own MNIST files (public/data/mnist, `npm run prepare-data -- mnist`) and
normalises with the studio's MNIST mean/std, so the studio feeds it exactly what it was trained on.
NCHW, Conv+BatchNorm+ReLU+MaxPool, Flatten+Gemm, a trailing Softmax (the studio takes its input as
the logits). Deterministic on CPU with the fixed seed.

  /usr/bin/python3 scripts/make_onnx_teacher.py [--steps 600] [--out e2e/fixtures/mnist-torch-teacher.onnx]

`--variant nhwc-padded` makes e2e/fixtures/mnist-torch-nhwc-padded.onnx instead: NHWC images
transposed to NCHW and back before the flatten (tf2onnx's pattern), a stride-2 conv and a max pool
with PyTorch's even padding of 1 (TensorFlow's 'same' pads only after), and an average pool that
counts its padding: the padding and layout cases the importer converts with pad layers.
"""
import argparse
import os

import numpy as np
import torch
from torch import nn

MEAN, STD = 0.1307, 0.3081  # src/data/registry.ts, mnist


def load(split, data_dir, count):
    images = np.fromfile(os.path.join(data_dir, f"{split}-images-00.u8"), dtype=np.uint8)[: count * 784]
    labels = np.fromfile(os.path.join(data_dir, f"{split}-labels.u8"), dtype=np.uint8)[:count]
    x = (images.reshape(-1, 1, 28, 28).astype(np.float32) / 255 - MEAN) / STD
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def model():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 10), nn.Softmax(dim=1),
    )


class NhwcPadded(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, stride=2, padding=1)
        self.norm1 = nn.BatchNorm2d(8)
        self.pool = nn.MaxPool2d(3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.avg = nn.AvgPool2d(3, stride=1, padding=1)
        self.fc = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        x = x.permute(0, 3, 1, 2)
        x = self.pool(torch.relu(self.norm1(self.conv1(x))))
        x = self.avg(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x.permute(0, 2, 3, 1), 1))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="public/data/mnist")
    parser.add_argument("--steps", type=int, default=600)
    parser.add_argument("--out", default="e2e/fixtures/mnist-torch-teacher.onnx")
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--variant", choices=["nchw", "nhwc-padded"], default="nchw")
    args = parser.parse_args()
    nhwc = args.variant == "nhwc-padded"
    if nhwc and args.out == parser.get_default("out"):
        args.out = "e2e/fixtures/mnist-torch-nhwc-padded.onnx"
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x, y = load("train", args.data_dir, 10000)
    if nhwc:
        x = x.permute(0, 2, 3, 1).contiguous()
    net = NhwcPadded() if nhwc else model()
    optimizer = torch.optim.Adam(net.parameters(), lr=2e-3)
    # Train on logits; the NCHW model's Softmax is only exported (the NHWC one has none).
    logits_of = net if nhwc else nn.Sequential(*list(net)[:-1])
    generator = torch.Generator().manual_seed(0)
    net.train()
    for step in range(args.steps):
        idx = torch.randint(0, x.shape[0], (64,), generator=generator)
        loss = nn.functional.cross_entropy(logits_of(x[idx]), y[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 100 == 0:
            print(f"step {step} loss {loss.item():.4f}")
    net.eval()
    tx, ty = load("test", args.data_dir, 10000)
    if nhwc:
        tx = tx.permute(0, 2, 3, 1).contiguous()
    with torch.no_grad():
        accuracy = (logits_of(tx).argmax(1) == ty).float().mean().item()
    print(f"test accuracy {accuracy:.4f} on {tx.shape[0]} MNIST test images")
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    torch.onnx.export(net, torch.zeros((1, 28, 28, 1) if nhwc else (1, 1, 28, 28)), args.out, opset_version=args.opset,
                      input_names=["image"], output_names=["probs"],
                      dynamic_axes={"image": {0: "batch"}, "probs": {0: "batch"}})
    print(f"wrote {args.out} ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
