/**
 * data.py: reads the studio's prepared dataset assets (`public/data/<id>/`: meta.json, uint8 image
 * shards in H, W, C order, uint8 labels), takes the splits as the studio does (validation is the
 * end of the training file, the training subset its start), and augments and normalises as the
 * studio does (shift with zero pixels, then flip, then (x / 255 - mean) / std), seeded per rank.
 */

const DATA_PY = `"""Data as the studio loads it, from its prepared assets (see README.md for where to put them)."""
import json
import os

import numpy as np
import torch


def _read_split(folder, meta, split, first, count):
    """Images [count, H, W, C] uint8 and labels [count] of images first..first+count-1 of a split."""
    h, w, c = meta["imageShape"]
    size = h * w * c
    images = np.empty((count, h, w, c), dtype=np.uint8)
    for shard in meta["splits"][split]["imageShards"]:
        start, stop = max(first, shard["firstImage"]), min(first + count, shard["firstImage"] + shard["imageCount"])
        if start >= stop:
            continue
        data = np.fromfile(os.path.join(folder, shard["path"]), dtype=np.uint8)
        local = data[(start - shard["firstImage"]) * size:(stop - shard["firstImage"]) * size]
        images[start - first:stop - first] = local.reshape(stop - start, h, w, c)
    labels = np.fromfile(os.path.join(folder, meta["splits"][split]["labels"]["path"]), dtype=np.uint8)
    return images, labels[first:first + count].astype(np.int64)


class Splits:
    """Train (the first N images after the validation hold-out), validation and test, as uint8 NHWC."""

    def __init__(self, data_dir, dataset):
        folder = os.path.join(data_dir, dataset["datasetId"])
        meta_path = os.path.join(folder, "meta.json")
        if not os.path.exists(meta_path):
            raise SystemExit(f"No dataset at {folder}: copy the studio's public/data/{dataset['datasetId']} folder "
                             f"(made by npm run prepare-data) there, or pass --data-dir.")
        with open(meta_path) as file:
            meta = json.load(file)
        train_total = meta["splits"]["train"]["count"]
        available = train_total - dataset["validationSize"]
        self.available = available
        self.train_images, self.train_labels = _read_split(folder, meta, "train", 0, available)
        self.validation = _read_split(folder, meta, "train", available, dataset["validationSize"])
        test_count = dataset["testSubset"] or meta["splits"]["test"]["count"]
        self.test = _read_split(folder, meta, "test", 0, test_count)
        self.mean = torch.tensor(dataset["normalization"]["mean"]).view(1, -1, 1, 1)
        self.std = torch.tensor(dataset["normalization"]["std"]).view(1, -1, 1, 1)

    def train(self, subset):
        """The first subset training images (None = all but the validation hold-out)."""
        count = self.available if subset is None else subset
        return self.train_images[:count], self.train_labels[:count]

    def normalize(self, images):
        """uint8 NHWC (numpy or tensor) -> float32 NCHW, (x / 255 - mean) / std per channel."""
        x = torch.as_tensor(images).permute(0, 3, 1, 2).float() / 255
        return (x - self.mean) / self.std


def augment(images, shift, flip, generator):
    """Shift each image by up to shift pixels (the gap filled with pixel 0), then mirror half of them."""
    if shift == 0 and not flip:
        return images
    out = np.empty_like(images)
    n, h, w, _ = images.shape
    padded = np.pad(images, ((0, 0), (shift, shift), (shift, shift), (0, 0)))
    moves = torch.randint(-shift, shift + 1, (n, 2), generator=generator).numpy() if shift > 0 else np.zeros((n, 2), dtype=np.int64)
    flips = torch.rand(n, generator=generator).numpy() < 0.5 if flip else np.zeros(n, dtype=bool)
    for i in range(n):
        dx, dy = moves[i]
        out[i] = padded[i, shift - dy:shift - dy + h, shift - dx:shift - dx + w]
        if flips[i]:
            out[i] = out[i, :, ::-1]
    return out
`;

export function dataPy(): string {
  return DATA_PY;
}
