/**
 * train.py: runs the experiment's phases from config.json as the studio's runner does (teachers
 * first, unless their weights came with the project; then each distillation phase's stages with
 * their optimiser, learning-rate and loss-weight schedules and trainUpTo), on one device or under
 * torchrun with DistributedDataParallel (gloo on CPU, nccl on CUDA), a DistributedSampler and
 * rank-0 logging and checkpoints in the studio's weights format.
 */

const TRAIN_PY = `"""Train the exported experiment. One process: python3 train.py; several: torchrun --nproc_per_node N train.py."""
import argparse
import json
import math
import os
import re
import time

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DistributedSampler

import data
import losses
import models
import studio_weights

HERE = os.path.dirname(os.path.abspath(__file__))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", default=os.path.join(HERE, "data"), help="folder holding <datasetId>/meta.json")
    parser.add_argument("--out", default=os.path.join(HERE, "runs", "latest"), help="log, results and checkpoints")
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--max-steps", type=int, default=None, help="stop each stage after this many steps (a quick check)")
    parser.add_argument("--train-subset", type=int, default=None, help="override every phase's training images (the first N)")
    parser.add_argument("--baselines", action="store_true", help="also train each student's label-only baseline")
    parser.add_argument("--retrain-teachers", action="store_true", help="train teachers even when their weights came with the project")
    return parser.parse_args()


class Context:
    """Rank, world size and device; DDP when torchrun set WORLD_SIZE > 1."""

    def __init__(self, device):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        self.device = torch.device(f"cuda:{local}" if device == "cuda" and self.world > 1 else device)
        if self.device.type == "cuda":
            torch.cuda.set_device(self.device)
        if self.world > 1:
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")

    @property
    def main(self):
        return self.rank == 0

    def wrap(self, module):
        if self.world == 1:
            return module
        ids = [self.device.index] if self.device.type == "cuda" else None
        # Layers after a FitNet stage's trainUpTo, or logits a hint stage never reads, get no gradient.
        return DistributedDataParallel(module, device_ids=ids, find_unused_parameters=True)


def learning_rate(settings, epoch, step, steps_per_epoch):
    schedule = settings["lrSchedule"]
    if schedule["kind"] == "step":
        return settings["learningRate"] * schedule["factor"] ** (epoch // schedule["everyEpochs"])
    if schedule["kind"] == "cosine":
        progress = min(1.0, (epoch + step / steps_per_epoch) / settings["epochs"])
        return settings["learningRate"] * 0.5 * (1 + math.cos(math.pi * progress))
    return settings["learningRate"]


def weight_factor(schedule, epoch, step, steps_per_epoch, epochs):
    progress = min(1.0, (epoch + step / steps_per_epoch) / epochs)
    kind = schedule["kind"]
    if kind == "stepToZero":
        return 1.0 if epoch < schedule["atEpoch"] else 0.0
    if kind == "linearDecay":
        return 1 - progress
    if kind == "cosineDecay":
        return 0.5 * (1 + math.cos(math.pi * progress))
    if kind == "linearWarmup":
        return min(1.0, (epoch + 1) / max(1, schedule["epochs"]))
    return 1.0


def make_optimizer(settings, parameters):
    if settings["optimizer"] == "adam":
        return torch.optim.Adam(parameters, lr=settings["learningRate"], eps=1e-7)  # the studio's epsilon
    return torch.optim.SGD(parameters, lr=settings["learningRate"], momentum=settings["momentum"])


def parameters_up_to(net, layer_id):
    """Parameters of the layers that feed layer_id, itself included (FitNet stage 1), or all when the net has no such layer.

    Models are small DAGs: net.INPUTS names each layer's inputs, so a residual branch that does not
    reach layer_id stays out, as in the studio (trainableVariablesUpTo)."""
    inputs = net.INPUTS
    if layer_id not in inputs:
        return list(net.parameters())
    feeding, pending = set(), [layer_id]
    while pending:
        current = pending.pop()
        if current in inputs and current not in feeding:
            feeding.add(current)
            pending.extend(inputs[current])
    return [p for name, module in net.layers.items() if name in feeding for p in module.parameters()]


class Experiment:
    def __init__(self, config, args, ctx):
        self.config, self.args, self.ctx = config, args, ctx
        self.splits = data.Splits(args.data_dir, config["dataset"])
        self.nets = {}
        for model in config["models"]:
            torch.manual_seed(model["seed"])  # PyTorch's own initialisation when no weights came with the project
            net = models.NETWORKS[model["id"]]()
            shipped = config["weights"].get(model["id"])
            if shipped is None and "baselineOf" in model:
                # A baseline starts from its student's initial weights, never from the trained student.
                student = config["weights"].get(model["baselineOf"])
                shipped = student if student is not None and not student["trained"] else None
            if shipped is not None:
                studio_weights.load(net, os.path.join(HERE, shipped["file"]))
            self.nets[model["id"]] = net.to(ctx.device)
        self.adapters = {key: a.to(ctx.device) for key, a in models.build_adapters().items()}
        for key, adapter in self.adapters.items():
            if key in config["adapterWeights"]:
                studio_weights.load(adapter, os.path.join(HERE, config["adapterWeights"][key]))
        self.log_file = open(os.path.join(args.out, "log.jsonl"), "a") if ctx.main else None
        self.results = {}

    def log(self, record):
        if self.log_file is not None:
            self.log_file.write(json.dumps(record) + "\\n")
            self.log_file.flush()

    def evaluate(self, model_id):
        """Test accuracy of one network (eval mode), on the full test subset (each rank computes all of it)."""
        net = self.nets[model_id]
        net.eval()
        images, labels = self.splits.test
        correct = 0
        with torch.no_grad():
            for start in range(0, len(labels), 500):
                x = self.splits.normalize(images[start:start + 500]).to(self.ctx.device)
                logits, _ = net(x)
                correct += int((logits.argmax(1).cpu() == torch.from_numpy(labels[start:start + 500])).sum())
        return correct / len(labels)

    def run(self):
        for phase in self.config["phases"]:
            if phase["kind"] == "baseline" and not self.args.baselines:
                continue
            trained = all(self.config["weights"].get(m, {}).get("trained") for m in phase["trains"])
            if phase["kind"] == "teacher" and trained and not self.args.retrain_teachers:
                for model_id in phase["trains"]:
                    self.results[model_id] = {"testAccuracy": self.evaluate(model_id), "trained": False}
                self.log({"phase": phase["id"], "skipped": "teacher weights came with the project"})
                continue
            self.run_phase(phase)
            for model_id in phase["trains"]:
                self.results[model_id] = {"testAccuracy": self.evaluate(model_id), "trained": True}
                if self.ctx.main:
                    # Named as the studio names weights files (project.ts weightsStem), so Load weights finds the model.
                    stem = re.sub(r"[^A-Za-z0-9_.-]", "__", model_id)
                    studio_weights.save(self.nets[model_id], os.path.join(self.args.out, "checkpoints", stem))
        if self.ctx.main:
            with open(os.path.join(self.args.out, "results.json"), "w") as file:
                json.dump(self.results, file, indent=2)

    def run_phase(self, phase):
        subset = self.args.train_subset or phase.get("trainSubset", self.config["dataset"]["trainSubset"])
        images, labels = self.splits.train(subset)
        for stage_index, stage in enumerate(phase["stages"]):
            self.run_stage(phase, stage_index, stage, images, labels)

    def run_stage(self, phase, stage_index, stage, images, labels):
        ctx, settings = self.ctx, stage["settings"]
        trains = phase["trains"]
        wrapped = {m: ctx.wrap(self.nets[m]) for m in trains}
        adapter_ids = sorted({ref["adapterId"] for term in stage["terms"] for ref in term["inputs"].values()
                              if ref["kind"] == "feature" and ref.get("adapterId")})
        adapters = {a: ctx.wrap(self.adapters[a]) for a in adapter_ids}
        parameters = [p for m in trains for p in parameters_up_to(self.nets[m], stage["trainUpTo"])]
        parameters += [p for a in adapter_ids for p in self.adapters[a].parameters()]
        optimizer = make_optimizer(settings, parameters)
        # Each rank takes 1/world of the studio's batch, so a step still averages the studio's batch size.
        batch = max(1, settings["batchSize"] // ctx.world)
        sampler = DistributedSampler(range(len(labels)), num_replicas=ctx.world, rank=ctx.rank, shuffle=True, seed=settings["seed"])
        steps_per_epoch = math.ceil(len(sampler) / batch)
        augment = torch.Generator().manual_seed(settings["seed"] * 1000 + ctx.rank)
        step_count, started = 0, time.time()
        for epoch in range(settings["epochs"]):
            sampler.set_epoch(epoch)
            order = list(sampler)
            for step in range(steps_per_epoch):
                if self.args.max_steps is not None and step_count >= self.args.max_steps:
                    return
                index = np.array(order[step * batch:(step + 1) * batch])
                pixels = data.augment(images[index], phase["augmentShift"], self.config["dataset"]["augmentFlip"], augment)
                xs = self.splits.normalize(pixels).to(ctx.device)
                ys = torch.from_numpy(labels[index]).to(ctx.device)
                lr = learning_rate(settings, epoch, step, steps_per_epoch)
                for group in optimizer.param_groups:
                    group["lr"] = lr
                terms = self.step(phase, stage, wrapped, adapters, xs, ys, epoch, step, steps_per_epoch)
                total = sum(terms.values())
                optimizer.zero_grad(set_to_none=True)
                total.backward()
                optimizer.step()
                record = {"phase": phase["id"], "stage": stage_index, "epoch": epoch, "step": step, "lr": lr,
                          "terms": {k: float(v) for k, v in terms.items()}, "total": float(total), "world": ctx.world}
                if step_count == 0:
                    record["indices"] = index.tolist()
                if step_count == 0 or step % 50 == 0:
                    self.log(record)
                step_count += 1
        self.log({"phase": phase["id"], "stage": stage_index, "done": step_count, "seconds": time.time() - started})

    def step(self, phase, stage, wrapped, adapters, xs, ys, epoch, step, steps_per_epoch):
        """Weighted loss terms of one batch: frozen networks in eval mode without gradient, trained ones in training mode."""
        outputs = {}
        for model_id in phase["frozen"]:
            net = self.nets[model_id]
            net.eval()
            with torch.no_grad():
                outputs[model_id] = net(xs)
        for model_id, net in wrapped.items():
            net.train()
            outputs[model_id] = net(xs)

        def resolve(ref):
            if ref["kind"] == "labels":
                return ys
            if ref["kind"] == "logits":
                value = outputs[ref["model"]][0]
            elif ref["kind"] == "ensemble":
                probs = torch.stack([torch.softmax(outputs[m][0], 1) for m in ref["members"]]).mean(0)
                value = torch.log(probs)
            else:
                value = outputs[ref["model"]][1][ref["layerId"]]
                if ref.get("adapterId"):
                    value = adapters[ref["adapterId"]](value)
            return value.detach() if ref.get("detach") else value

        terms = {}
        for term in stage["terms"]:
            factor = weight_factor(term["schedule"], epoch, step, steps_per_epoch, stage["settings"]["epochs"])
            weight = term["weight"] * factor
            inputs = {port: resolve(ref) for port, ref in term["inputs"].items()}
            terms[term["nodeId"]] = losses.LOSSES[term["lossId"]](inputs, term["params"]) * weight
        return terms


def main():
    args = parse_args()
    ctx = Context(args.device)
    with open(os.path.join(HERE, "config.json")) as file:
        config = json.load(file)
    if ctx.main:
        os.makedirs(os.path.join(args.out, "checkpoints"), exist_ok=True)
    if ctx.world > 1:
        dist.barrier()
    experiment = Experiment(config, args, ctx)
    experiment.run()
    with open(os.path.join(args.out, f"rank{ctx.rank}.json"), "w") as file:
        json.dump({"rank": ctx.rank, "world": ctx.world, "device": str(ctx.device), "results": experiment.results}, file)
    if ctx.world > 1:
        dist.barrier()
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;

export function trainPy(): string {
  return TRAIN_PY;
}
