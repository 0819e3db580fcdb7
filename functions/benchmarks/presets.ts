import type { MethodName } from './methods.ts';
import type { BenchmarkSpecInput } from './schema.ts';

// Ready-made benchmarks. `fmnist-lt` finishes on a 2-core CPU in minutes (small MLP, capped
// per-class counts, short schedule); `paper-cifar` is the paper's full recipe, meant for GPUs.

const paperSettings = [
  { type: 'exp', ratio: 100 },
  { type: 'exp', ratio: 10 },
  { type: 'step', ratio: 100 },
  { type: 'step', ratio: 10 },
] as const;

const tableTwoMethods: MethodName[] = [
  'erm',
  'focal',
  'ldam',
  'cb-rs',
  'cb-rw',
  'cb-focal',
  'erm-drw',
  'erm-drs',
  'ldam-drw',
];

/** Table 2's remaining rows (M-DRW, HG-DRS, LDAM-HG-DRS) and the methods after the paper. */
const newerMethods: MethodName[] = [
  'm-drw',
  'hg-drs',
  'ldam-hg-drs',
  'balanced-softmax',
  'posthoc-la',
  'tau-norm',
];

function tableTwoDatasets() {
  return (['cifar10', 'cifar100'] as const).flatMap((name) =>
    paperSettings.map((imbalance) => ({ name, imbalance })),
  );
}

function tableSixDatasets() {
  return paperSettings.flatMap((imbalance) =>
    [0, 1].map((seed) => ({
      name: 'cifar10' as const,
      imbalance,
      testImbalance: { type: imbalance.type, ratio: imbalance.ratio, seed },
    })),
  );
}

export const benchmarkPresetNames = ['fmnist-lt', 'paper-cifar'] as const;
export type BenchmarkPresetName = (typeof benchmarkPresetNames)[number];

export const benchmarkPresets: Readonly<Record<BenchmarkPresetName, BenchmarkSpecInput>> = {
  'fmnist-lt': {
    version: 1,
    name: 'fmnist-lt',
    base: {
      version: 1,
      dataset: { name: 'fashion-mnist', maxPerClass: 1000, testPerClass: 500 },
      model: { arch: 'mlp', hidden: [256, 256] },
      optimizer: { lr: 0.05, batchSize: 128 },
      schedule: { epochs: 10, warmupEpochs: 1, decay: [{ afterEpoch: 8, factor: 0.1 }] },
      augment: { crop: false, flip: false },
      checkpoint: { everyEpochs: 5, keepLast: 1 },
      resources: { gpus: 0, cpus: 1, memoryGiB: 2, timeoutMinutes: 30, queueTimeoutMinutes: 600 },
    },
    methods: [...tableTwoMethods, ...newerMethods],
    grid: { 'dataset.imbalance': [...paperSettings] },
    seeds: [0],
    maxCells: 64,
    maxConcurrentCells: 1,
  },
  'paper-cifar': {
    version: 1,
    name: 'paper-cifar',
    // Every other field keeps the experiment schema's defaults: the paper's CIFAR recipe.
    base: { version: 1, dataset: { name: 'cifar10' }, model: { arch: 'resnet32' } },
    // Every row of Tables 2 and 5 on CIFAR-10/100, and Table 6's CIFAR-10 settings with a known
    // imbalanced test set (two test permutations each, the paper's (a) and (b)).
    methods: [...tableTwoMethods, 'm-drw', 'hg-drs', 'ldam-hg-drs'],
    grid: { dataset: [...tableTwoDatasets(), ...tableSixDatasets()] },
    seeds: [0],
    maxCells: 256,
    maxConcurrentCells: 8,
  },
};

export function isBenchmarkPresetName(name: string): name is BenchmarkPresetName {
  return (benchmarkPresetNames as readonly string[]).includes(name);
}
