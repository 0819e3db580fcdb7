#!/usr/bin/python3
"""Golden values for the trainer's losses, margins, class weights and long-tailed class counts.

Written from the formulas (Cao et al. 2019; Cui et al. 2019; Lin et al. 2017; Menon et al. 2021),
independently of the TypeScript code, with PyTorch in float64 and autograd for gradients.

Regenerate (Debian's python3-torch; the pyenv python3 on PATH has no torch):
    /usr/bin/python3 scripts/golden/make_loss_golden.py > tests/fixtures/golden/losses.json
"""

import json
import math
import sys

import torch
import torch.nn.functional as F

from golden_common import BETA, MAX_MARGIN, SCALE, as_float32, class_balanced_weights, ldam_margins, long_tailed_counts, rounded

SEED = 20190613
BATCH = 64


def weighted_ce_per_sample(logits, labels, weights):
    log_p = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    nll = -log_p.gather(1, labels[:, None]).squeeze(1)
    w = torch.ones_like(nll) if weights is None else weights[labels]
    return nll, w


def ce_loss(logits, labels, weights):
    nll, w = weighted_ce_per_sample(logits, labels, weights)
    return (w * nll).sum() / w.sum()


def focal_loss(logits, labels, weights, gamma):
    nll, w = weighted_ce_per_sample(logits, labels, weights)
    lw = w * nll
    return ((1.0 - torch.exp(-lw)) ** gamma * lw).mean()


def ldam_loss(logits, labels, weights, margins, scale):
    shift = torch.zeros_like(logits)
    shift[torch.arange(len(labels)), labels] = margins[labels]
    return ce_loss(scale * (logits - shift), labels, weights)


def logit_adjusted_loss(logits, labels, weights, counts, tau):
    prior = counts / counts.sum()
    return ce_loss(logits + tau * torch.log(prior), labels, weights)


def cases_for(k, generator):
    counts_list = long_tailed_counts(5000 if k == 10 else 500, 100, k)
    counts = torch.tensor(counts_list, dtype=torch.float64)
    cb = torch.tensor(class_balanced_weights(counts_list, BETA), dtype=torch.float64)
    margins = torch.tensor(ldam_margins(counts_list, MAX_MARGIN), dtype=torch.float64)
    labels = torch.randint(0, k, (BATCH,), generator=generator)
    linear = as_float32(2.0 * torch.randn(BATCH, k, generator=generator, dtype=torch.float64))
    cosine = as_float32(2.0 * torch.rand(BATCH, k, generator=generator, dtype=torch.float64) - 1.0)
    losses = [
        ("ce", {"type": "ce"}, "linear", lambda z, w: ce_loss(z, labels, w)),
        ("focal", {"type": "focal", "gamma": 1}, "linear", lambda z, w: focal_loss(z, labels, w, 1.0)),
        ("focal", {"type": "focal", "gamma": 2}, "linear", lambda z, w: focal_loss(z, labels, w, 2.0)),
        (
            "ldam",
            {"type": "ldam", "maxMargin": MAX_MARGIN, "scale": SCALE},
            "cosine",
            lambda z, w: ldam_loss(z, labels, w, margins, SCALE),
        ),
        (
            "logit-adjusted",
            {"type": "logit-adjusted", "tau": 1},
            "linear",
            lambda z, w: logit_adjusted_loss(z, labels, w, counts, 1.0),
        ),
    ]
    cases = []
    for name, spec, logits_kind, fn in losses:
        for weighted in (False, True):
            z = (linear if logits_kind == "linear" else cosine).clone().requires_grad_(True)
            loss = fn(z, cb if weighted else None)
            (grad,) = torch.autograd.grad(loss, z)
            cases.append(
                {
                    "name": f"{name} K={k}{' gamma=' + str(spec['gamma']) if name == 'focal' else ''}"
                    f"{' class-balanced' if weighted else ''}",
                    "loss": spec,
                    "logits": logits_kind,
                    "weighted": weighted,
                    "value": loss.item(),
                    "grad": rounded(grad.flatten().tolist(), 7),
                }
            )
    return {
        "numClasses": k,
        "classCounts": counts_list,
        "classBalancedWeights": cb.tolist(),
        "ldamMargins": margins.tolist(),
        "labels": labels.tolist(),
        "linearLogits": rounded(linear.flatten().tolist(), 9),
        "cosineLogits": rounded(cosine.flatten().tolist(), 9),
        "cases": cases,
    }


def main():
    generator = torch.Generator().manual_seed(SEED)
    counts_table = [
        {"nMax": n_max, "ratio": ratio, "numClasses": k, "counts": long_tailed_counts(n_max, ratio, k)}
        for n_max, k in ((5000, 10), (500, 100), (6000, 10))
        for ratio in (10, 50, 100, 200)
    ]
    fixture = {
        "generator": "scripts/golden/make_loss_golden.py",
        "torch": torch.__version__,
        "batch": BATCH,
        "beta": BETA,
        "longTailedCounts": counts_table,
        "sets": [cases_for(k, generator) for k in (10, 100)],
    }
    assert all(math.isfinite(c["value"]) for s in fixture["sets"] for c in s["cases"])
    json.dump(fixture, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
