#!/usr/bin/python3
"""Golden values for the paper's remaining rows and the post-hoc adjustments.

Written from the formulas, independently of the TypeScript code, in float64 with autograd:
- multi-class hinge loss max(max_{j!=y} z_j - z_y + Delta_y, 0) on cosine logits (Cao et al. 2019,
  section 3.2), uniform and label-distribution margins, with and without class-balanced weights
  (weighted mean sum w_y l / sum w_y);
- LDAM with uniform margins (M-DRW) and with test-distribution margins
  Delta_j ~ (n'_j / n_j)^(1/4) (appendix C.5, eq. 15);
- post-hoc logit adjustment z_j - tau log pi_j (Menon et al. 2021) and tau-normalisation
  w_j / ||w_j||^tau without bias (Kang et al. 2020).

Regenerate (Debian's python3-torch):
    /usr/bin/python3 scripts/golden/make_variant_golden.py > tests/fixtures/golden/variants.json
"""

import json
import sys

import torch

from golden_common import BETA, MAX_MARGIN, SCALE, as_float32, class_balanced_weights, ldam_margins, long_tailed_counts, rounded

SEED = 20191208
BATCH = 64
TAUS = (0.5, 1.0, 2.0)


def test_distribution_margins(counts, test_counts, max_margin):
    raw = [(t / n) ** 0.25 for n, t in zip(counts, test_counts)]
    return [max_margin * r / max(raw) for r in raw]


def weighted_mean(per_sample, labels, weights):
    if weights is None:
        return per_sample.mean()
    w = weights[labels]
    return (w * per_sample).sum() / w.sum()


def hinge_loss(z, labels, weights, margins):
    rows = torch.arange(len(labels))
    own = z[rows, labels]
    others = z.clone()
    others[rows, labels] = -float("inf")
    per_sample = torch.clamp(others.max(dim=1).values - own + margins[labels], min=0.0)
    return weighted_mean(per_sample, labels, weights)


def ldam_loss(z, labels, weights, margins, scale):
    rows = torch.arange(len(labels))
    shifted = z.clone()
    shifted[rows, labels] = z[rows, labels] - margins[labels]
    logits = scale * shifted
    nll = -(logits - torch.logsumexp(logits, dim=1, keepdim=True))[rows, labels]
    return weighted_mean(nll, labels, weights)


def loss_cases(k, generator):
    counts = long_tailed_counts(5000 if k == 10 else 500, 100, k)
    # A known test distribution: the same rule from 1000 (100) images, frequencies permuted.
    test_counts = long_tailed_counts(1000 if k == 10 else 100, 100, k)
    perm = torch.randperm(k, generator=generator).tolist()
    test_counts = [test_counts[p] for p in perm]
    cb = torch.tensor(class_balanced_weights(counts, BETA), dtype=torch.float64)
    margins = {
        "label-distribution": torch.tensor(ldam_margins(counts, MAX_MARGIN), dtype=torch.float64),
        "uniform": torch.full((k,), MAX_MARGIN, dtype=torch.float64),
        "test-distribution": torch.tensor(test_distribution_margins(counts, test_counts, MAX_MARGIN), dtype=torch.float64),
    }
    labels = torch.randint(0, k, (BATCH,), generator=generator)
    cosine = as_float32(2.0 * torch.rand(BATCH, k, generator=generator, dtype=torch.float64) - 1.0)
    losses = [
        ("hinge", "uniform", {"type": "hinge", "margins": "uniform"}, lambda z, w: hinge_loss(z, labels, w, margins["uniform"])),
        ("hinge", "label-distribution", {"type": "hinge", "margins": "label-distribution"}, lambda z, w: hinge_loss(z, labels, w, margins["label-distribution"])),
        ("hinge", "test-distribution", {"type": "hinge"}, lambda z, w: hinge_loss(z, labels, w, margins["test-distribution"])),
        ("ldam", "uniform", {"type": "ldam", "margins": "uniform"}, lambda z, w: ldam_loss(z, labels, w, margins["uniform"], SCALE)),
        ("ldam", "test-distribution", {"type": "ldam"}, lambda z, w: ldam_loss(z, labels, w, margins["test-distribution"], SCALE)),
    ]
    cases = []
    for name, rule, spec, fn in losses:
        for weighted in (False, True):
            z = cosine.clone().requires_grad_(True)
            loss = fn(z, cb if weighted else None)
            (grad,) = torch.autograd.grad(loss, z)
            cases.append({
                "name": f"{name} {rule} K={k}{' class-balanced' if weighted else ''}",
                "loss": spec,
                "testDistribution": rule == "test-distribution",
                "weighted": weighted,
                "value": loss.item(),
                "grad": rounded(grad.flatten().tolist(), 7),
            })
    return {
        "numClasses": k,
        "classCounts": counts,
        "testCounts": test_counts,
        "classBalancedWeights": cb.tolist(),
        "margins": {rule: m.tolist() for rule, m in margins.items()},
        "labels": labels.tolist(),
        "cosineLogits": rounded(cosine.flatten().tolist()),
        "cases": cases,
    }


def posthoc_case(k, generator):
    counts = long_tailed_counts(5000 if k == 10 else 500, 100, k)
    features, n = 16, 32
    f = as_float32(torch.randn(n, features, generator=generator, dtype=torch.float64))
    w = as_float32(torch.randn(features, k, generator=generator, dtype=torch.float64))
    b = as_float32(0.1 * torch.randn(k, generator=generator, dtype=torch.float64))
    logits = f @ w + b
    prior = torch.tensor(counts, dtype=torch.float64)
    prior = prior / prior.sum()
    adjusted = {str(t): rounded((logits - t * torch.log(prior)).flatten().tolist()) for t in TAUS}
    norms = w.norm(dim=0)
    tau_norm = {str(t): rounded((f @ (w / norms ** t)).flatten().tolist()) for t in TAUS}
    return {
        "numClasses": k,
        "classCounts": counts,
        "kernel": rounded(w.flatten().tolist()),
        "bias": rounded(b.tolist()),
        "logits": rounded(logits.flatten().tolist()),
        "logitAdjusted": adjusted,
        "tauNormalised": tau_norm,
    }


def main():
    generator = torch.Generator().manual_seed(SEED)
    fixture = {
        "generator": "scripts/golden/make_variant_golden.py",
        "torch": torch.__version__,
        "maxMargin": MAX_MARGIN,
        "scale": SCALE,
        "losses": [loss_cases(k, generator) for k in (10, 100)],
        "posthoc": [posthoc_case(k, generator) for k in (10, 100)],
    }
    json.dump(fixture, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
