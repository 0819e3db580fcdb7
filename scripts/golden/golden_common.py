"""What the golden scripts share: the papers' class statistics and float32 rounding of inputs.

Written from the formulas, independently of the TypeScript code.
"""

import torch

# The papers' settings both scripts use: CB beta (Cui et al. 2019), LDAM's largest margin and scale s.
BETA = 0.9999
MAX_MARGIN = 0.5
SCALE = 30.0


def long_tailed_counts(n_max, ratio, k):
    # n_i = floor(n_max * (1/ratio)^(i/(K-1))), the reference's CIFAR-LT construction.
    return [int(n_max * (1.0 / ratio) ** (i / (k - 1.0))) for i in range(k)]


def ldam_margins(counts, max_margin):
    # Delta_j proportional to n_j^(-1/4), the largest max_margin (Cao et al. 2019, eq. 12).
    inv_quarter = [n ** -0.25 for n in counts]
    top = max(inv_quarter)
    return [max_margin * m / top for m in inv_quarter]


def class_balanced_weights(counts, beta):
    # (1 - beta) / (1 - beta^n_j), normalised to sum to K (Cui et al. 2019).
    raw = [(1.0 - beta) / (1.0 - beta ** n) for n in counts]
    total = sum(raw)
    return [w * len(counts) / total for w in raw]


def as_float32(t):
    """A float64 tensor holding exactly what float32 can: the inputs the TypeScript side sees."""
    return t.to(torch.float32).to(torch.float64)


def rounded(values, digits=9):
    return [float(f"{v:.{digits}g}") for v in values]
