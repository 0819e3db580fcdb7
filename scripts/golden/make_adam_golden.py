#!/usr/bin/python3
"""Golden values for the trainer's Adam: torch.optim.Adam in float64 over several steps.

A least-squares problem (fixed inputs, targets and starting weights written out below, so the
TypeScript test rebuilds it exactly) is optimised for STEPS steps with a changing learning rate
(as a warm-up would); the weights after every step are recorded, per configuration.

Regenerate (Debian's python3-torch; the pyenv python3 on PATH has no torch):
    /usr/bin/python3 scripts/golden/make_adam_golden.py > tests/fixtures/golden/adam.json
"""

import json

import torch

STEPS = 6
LRS = [0.01, 0.02, 0.03, 0.03, 0.03, 0.01]
CONFIGS = [
    {"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.0},
    {"beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "weightDecay": 0.01},
    {"beta1": 0.0, "beta2": 0.5, "epsilon": 1e-3, "weightDecay": 0.1},
]


def values(n, a, b):
    # Deterministic, sign-mixed values, so no RNG has to agree across languages.
    return [round(((i * a + b) % 17) / 8.0 - 1.0, 6) for i in range(n)]


X = values(4 * 3, 5, 3)
Y = values(4 * 2, 7, 1)
W0 = values(3 * 2, 3, 2)
B0 = values(2, 11, 5)


def run(config):
    x = torch.tensor(X, dtype=torch.float64).reshape(4, 3)
    y = torch.tensor(Y, dtype=torch.float64).reshape(4, 2)
    w = torch.tensor(W0, dtype=torch.float64).reshape(3, 2).requires_grad_()
    b = torch.tensor(B0, dtype=torch.float64).requires_grad_()
    opt = torch.optim.Adam(
        [w, b],
        lr=LRS[0],
        betas=(config["beta1"], config["beta2"]),
        eps=config["epsilon"],
        weight_decay=config["weightDecay"],
    )
    steps = []
    for lr in LRS:
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        opt.step()
        steps.append({"w": w.detach().flatten().tolist(), "b": b.detach().tolist()})
    return {"config": config, "steps": steps}


print(
    json.dumps(
        {
            "x": X,
            "y": Y,
            "w0": W0,
            "b0": B0,
            "lrs": LRS,
            "runs": [run(c) for c in CONFIGS],
        },
        indent=1,
    )
)
