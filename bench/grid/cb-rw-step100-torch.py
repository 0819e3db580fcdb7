# Why fmnist-lt's CB-RW cell on step-100 diverges: the same cell in PyTorch float32 (step ρ = 100 with
# 1000 / 10 images per class, MLP 784-256-256-10, SGD 0.05 momentum 0.9 weight decay 2e-4, batch 128,
# ×0.1 after epoch 8, class-balanced weights β = 0.9999 and the weighted-mean cross-entropy
# F.cross_entropy(weight=w)). Prints the mean training loss per epoch, or where it became NaN.
#   /usr/bin/python3 bench/grid/cb-rw-step100-torch.py <seed> [torch | glorot]
# `glorot` initialises as the trainer does (tfjs dense: Glorot-uniform, zero bias); `torch` keeps
# PyTorch's smaller default. The README's fmnist-lt section has the measured outcome.
import gzip, sys, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
torch.manual_seed(seed); rng = np.random.default_rng(seed)
def idx(path, offset):
    with gzip.open(path) as f: return np.frombuffer(f.read(), np.uint8, offset=offset)
root = '/usr/share/datasets/fashion-mnist/'
x = idx(root + 'train-images-idx3-ubyte.gz', 16).reshape(-1, 784).astype(np.float32) / 255
y = idx(root + 'train-labels-idx1-ubyte.gz', 8).astype(np.int64)
counts = [1000] * 5 + [10] * 5  # step, rho 100, n_max 1000
keep = np.concatenate([rng.permutation(np.where(y == c)[0])[:n] for c, n in enumerate(counts)])
x, y = x[keep], y[keep]
x = (x - x.mean()) / x.std()
beta = 0.9999
w = (1 - beta) / (1 - beta ** np.array(counts, np.float64)); w = w / w.sum() * 10
weight = torch.tensor(w, dtype=torch.float32)
print('class weights', np.round(w, 4).tolist())
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
init = sys.argv[2] if len(sys.argv) > 2 else 'torch'
if init == 'glorot':
    for m in model:
        if isinstance(m, nn.Linear): nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=2e-4)
X, Y = torch.tensor(x), torch.tensor(y)
for epoch in range(1, 11):
    lr = 0.05 * (0.1 if epoch > 8 else 1.0)
    for g in opt.param_groups: g['lr'] = lr
    order = torch.randperm(len(Y)); total = 0.0; n = 0
    for b in range(0, len(Y), 128):
        i = order[b:b + 128]
        loss = F.cross_entropy(model(X[i]), Y[i], weight=weight)
        if not torch.isfinite(loss):
            print(f'epoch {epoch} step {b // 128}: loss {loss.item()} (diverged)'); sys.exit(0)
        opt.zero_grad(); loss.backward(); opt.step()
        total += loss.item() * len(i); n += len(i)
    print(f'epoch {epoch}: mean train loss {total / n:.4g}')
