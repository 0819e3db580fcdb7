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

export const benchmarkPresetNames = ['fmnist-lt', 'paper-cifar', 'paper-imdb'] as const;
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
    methods: tableTwoMethods,
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
    methods: tableTwoMethods,
    grid: { 'dataset.name': ['cifar10', 'cifar100'], 'dataset.imbalance': [...paperSettings] },
    seeds: [0],
    maxCells: 128,
    maxConcurrentCells: 8,
  },
  // Table 1: IMDB with 90% of the negative training reviews removed, a 2-layer BiLSTM, Adam. The
  // paper gives nothing else: every number below is this project's choice, not sourced (README).
  'paper-imdb': {
    version: 1,
    name: 'paper-imdb',
    base: {
      version: 1,
      dataset: {
        name: 'imdb',
        source: 'aclImdb',
        imbalance: { type: 'step', ratio: 10, minority: ['neg'] },
        text: { maxLength: 200, maxVocab: 20_000, minCount: 2 },
      },
      model: { arch: 'bilstm', bilstm: { embeddingDim: 128, units: 128, dropout: 0 } },
      optimizer: { type: 'adam', lr: 1e-3, weightDecay: 0, batchSize: 64 },
      schedule: { epochs: 10, warmupEpochs: 0, decay: [{ afterEpoch: 8, factor: 0.1 }] },
      rebalance: { afterEpoch: 8 },
      checkpoint: { everyEpochs: 1, keepLast: 2 },
      resources: { gpus: 1, cpus: 4, memoryGiB: 14, timeoutMinutes: 600, queueTimeoutMinutes: 60 },
    },
    methods: ['erm', 'rs', 'rw', 'ldam-drw'],
    seeds: [0],
    maxCells: 16,
    maxConcurrentCells: 4,
  },
};

export function isBenchmarkPresetName(name: string): name is BenchmarkPresetName {
  return (benchmarkPresetNames as readonly string[]).includes(name);
}
