import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The N-API addon of `native/onednn` (built by `scripts/setup.sh`). All calls are synchronous. */
export interface OnednnAddon {
  info(): { isa: string; version: string; threads: number };
  setThreads(threads: number): number;
  /** geometry = [N,H,W,C, KH,KW,O, OH,OW, sH,sW, dH,dW, padTop,padLeft,padBottom,padRight]; flags = [hasBias, relu]. */
  conv2d(
    geometry: number[],
    flags: [number, number],
    x: Float32Array,
    filter: Float32Array,
    bias: Float32Array | null,
    y: Float32Array,
  ): void;
  conv2dBackpropInput(geometry: number[], dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  conv2dBackpropFilter(geometry: number[], x: Float32Array, dy: Float32Array, dw: Float32Array): void;
  /** geometry = [batchA, batchB, M, K, N, transposeA, transposeB, hasBias, relu]. */
  matmul(
    geometry: number[],
    a: Float32Array,
    b: Float32Array,
    bias: Float32Array | null,
    c: Float32Array,
  ): void;
  /** shape = [batch, spatial, C]; with `relu`, y = max(BN(x) + residual, 0) (residual optional). */
  batchNormTrain(
    shape: number[],
    epsilon: number,
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    residual?: Float32Array | null,
    relu?: boolean,
  ): void;
  batchNormTrainGrad(
    shape: number[],
    epsilon: number,
    dy: Float32Array,
    x: Float32Array,
    gamma: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    dx: Float32Array,
    dgamma: Float32Array,
    dbeta: Float32Array,
    /** The output of a trailing ReLU: dy is masked by y > 0 into `masked` first. */
    y?: Float32Array | null,
    masked?: Float32Array | null,
  ): void;
  batchNormInfer(
    shape: number[],
    epsilon: number,
    x: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    y: Float32Array,
  ): void;
  /** window = [N,H,W,C, KH,KW, OH,OW, sH,sW, padTop,padLeft,padBottom,padRight, isMax]. */
  pool2d(window: number[], x: Float32Array, y: Float32Array): void;
  pool2dGrad(window: number[], dy: Float32Array, x: Float32Array | null, dx: Float32Array): void;
  relu(x: Float32Array, y: Float32Array): void;
  reluGrad(dy: Float32Array, x: Float32Array, dx: Float32Array): void;
  /** dst[offset + i] = src[begin + i] for every index i of `box`; all shapes of rank `rank`. */
  copyBox(
    rank: number,
    src: Float32Array,
    srcShape: number[],
    begin: number[],
    dst: Float32Array,
    dstShape: number[],
    offset: number[],
    box: number[],
  ): void;
  fill(dst: Float32Array, value: number): void;
  /** out[o, i] = Σ_m x[o, m, i] over shape [outer, middle, inner] (÷ middle when `mean`). */
  reduceMiddle(shape: [number, number, number], x: Float32Array, out: Float32Array, mean: boolean): void;
  /** op: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min; b's dims equal a's or are 1 (same rank). */
  binary(
    op: number,
    aShape: number[],
    a: Float32Array,
    bShape: number[],
    b: Float32Array,
    out: Float32Array,
  ): void;
}

/** Env var naming another addon file (tests use it to check the fall-through). */
export const addonPathEnv = 'LDAM_ONEDNN_ADDON';

/** Where `scripts/setup.sh` builds the addon. */
export const defaultAddonPath = fileURLToPath(
  new URL('../../../native/onednn/build/Release/ldam_onednn.node', import.meta.url),
);

let loaded: { path: string; addon: OnednnAddon } | undefined;

/**
 * Loads the addon once per process. `threads` goes to OpenMP before the first kernel runs
 * (OMP_NUM_THREADS as well, for runtimes that read it at start-up). Throws with the reason when
 * the file is missing or cannot be loaded (no oneDNN library, wrong Node ABI).
 */
export function loadOnednnAddon(threads: number, env: NodeJS.ProcessEnv = process.env): OnednnAddon {
  const path = env[addonPathEnv]?.trim() || defaultAddonPath;
  if (loaded !== undefined && loaded.path === path) {
    loaded.addon.setThreads(threads);
    return loaded.addon;
  }
  if (!existsSync(path)) {
    throw new Error(`oneDNN addon not built (${path} is missing): run scripts/setup.sh`);
  }
  process.env.OMP_NUM_THREADS = String(threads);
  // OpenMP's default lets idle team threads spin for a while after each parallel region. Between
  // the kernels the trainer runs single-threaded JS and loops, which then share the cores with a
  // spinning thread; on a machine busy with other work the MLP step measured 30× slower that way
  // (453 vs 13458 img/s, load average 15 on 2 cores). Sleeping at once costs a wake-up (µs) per
  // kernel. Read by libgomp when the addon loads it; an explicit setting wins.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  const addon = createRequire(import.meta.url)(path) as OnednnAddon;
  addon.setThreads(threads);
  loaded = { path, addon };
  return addon;
}

/** The loaded addon; kernels run only after `loadOnednnAddon` succeeded. */
export function onednn(): OnednnAddon {
  if (loaded === undefined) throw new Error('the oneDNN addon is not loaded');
  return loaded.addon;
}
