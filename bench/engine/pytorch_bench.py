"""The engine benchmark's PyTorch reference: the same training step (forward, backward, SGD
momentum update) on the same architectures, reported as one JSON line.

Usage: python3 pytorch_bench.py MODEL BATCH RUNS STEPS_PER_RUN [THREADS] [LAYOUT]
LAYOUT: default (NCHW, PyTorch's default step) or channels_last (NHWC activations and weights).
Run one model per process: peak RSS (resource.getrusage) is per process.
"""

import json
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ChannelPadShortcut(nn.Module):
    """Option-A shortcut (He et al. 2016, 4.2): subsample by 2, zero-pad the channels."""

    def __init__(self, out_channels):
        super().__init__()
        self.out_channels = out_channels

    def forward(self, x):
        x = x[:, :, ::2, ::2]
        extra = self.out_channels - x.shape[1]
        return F.pad(x, (0, 0, 0, 0, extra // 2, extra - extra // 2))


class BasicBlock(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        same = stride == 1 and in_channels == out_channels
        self.shortcut = nn.Identity() if same else ChannelPadShortcut(out_channels)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class CifarResNet(nn.Module):
    def __init__(self, blocks, in_channels, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(in_channels, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        layers, channels = [], 16
        for stage, width in enumerate((16, 32, 64)):
            for block in range(blocks):
                stride = 2 if stage > 0 and block == 0 else 1
                layers.append(BasicBlock(channels, width, stride))
                channels = width
        self.blocks = nn.Sequential(*layers)
        self.head = nn.Linear(64, classes)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


MODELS = {
    "mlp": (lambda: nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10)), (784,)),
    "resnet8": (lambda: CifarResNet(1, 1), (1, 28, 28)),
    "resnet32": (lambda: CifarResNet(5, 3), (3, 32, 32)),
}


def main():
    name, batch, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else os.cpu_count() or 1
    layout = sys.argv[6] if len(sys.argv) > 6 else "default"
    if layout not in ("default", "channels_last"):
        raise SystemExit(f"unknown layout {layout!r}")
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    build, shape = MODELS[name]
    model = build()
    model.train()
    x = torch.randn(batch, *shape)
    if layout == "channels_last" and x.dim() == 4:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    step()  # warm-up, excluded
    seconds, cpu_seconds = [], []
    for _ in range(runs):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(steps):
            step()
        seconds.append((time.perf_counter() - start) / steps)
        cpu_seconds.append((time.process_time() - cpu_start) / steps)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "model": name,
        "batch": batch,
        "threads": threads,
        "layout": layout,
        "imagesPerSec": batch / statistics.median(seconds),
        "imagesPerCpuSec": batch / statistics.median(cpu_seconds),
        "peakMemoryMB": peak_mb,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
