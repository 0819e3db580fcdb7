// The cost guard's estimate: training images × epochs (plus evaluation passes) ÷ the runner's
// throughput for the architecture (throughput.ts). Image counts are the trainer's imbalancedClassCounts
// of the spec's imbalance rule (trainer/rebalance, after Cao et al. 2019, sec. 4 / appendix B).
import { defaultSyntheticPerClass } from '../../trainer/data/load.ts';
import { imbalancedClassCounts } from '../../trainer/rebalance/index.ts';
import { type ExperimentSpec, numClassesOf } from '../../trainer/spec/index.ts';
import { type DeviceKind, trainingImagesPerSecond } from './throughput.ts';

// Balanced training images per class and test images per class of the named datasets.
const knownSizes: Partial<
  Record<ExperimentSpec['dataset']['name'], { perClass: number; testPerClass: number; shape: number[] }>
> = {
  'fashion-mnist': { perClass: 6000, testPerClass: 1000, shape: [28, 28, 1] },
  mnist: { perClass: 6742, testPerClass: 1135, shape: [28, 28, 1] },
  cifar10: { perClass: 5000, testPerClass: 1000, shape: [32, 32, 3] },
  cifar100: { perClass: 500, testPerClass: 100, shape: [32, 32, 3] },
  imdb: { perClass: 12_500, testPerClass: 12_500, shape: [200] },
  'tiny-imagenet': { perClass: 500, testPerClass: 50, shape: [64, 64, 3] },
  // 437,513 training and 24,426 val images over 8,142 classes (natural distribution: the mean).
  inaturalist2018: { perClass: 437_513 / 8142, testPerClass: 3, shape: [224, 224, 3] },
};
// Custom folders' sizes are unknown until read: assume CIFAR-10's.
const assumedPerClass = 5000;
const assumedTestPerClass = 1000;
// An evaluation pass is forward only: about a third of a training step's work per image.
const evalCostFraction = 1 / 3;

export interface CostEstimate {
  readonly seconds: number;
  readonly trainImages: number;
  readonly epochs: number;
  readonly evalImagesPerPass: number;
  readonly imagesPerSecond: number;
  readonly device: DeviceKind;
  /** Said when a run takes more than a day: the trainer uses one GPU, so large datasets take days. */
  readonly note?: string;
}

const day = 86_400;

function durationNote(seconds: number, device: DeviceKind): string | undefined {
  if (seconds <= day) return undefined;
  const where =
    device === 'gpu' ? 'on one GPU (multi-GPU training is not implemented)' : 'on this CPU runner';
  return `about ${(seconds / day).toFixed(1)} days ${where}; spot interruptions resume from mid-epoch checkpoints`;
}

export function estimateRunSeconds(spec: ExperimentSpec, device: DeviceKind): CostEstimate {
  const dataset = spec.dataset;
  const numClasses = numClassesOf(spec);
  const known = knownSizes[dataset.name];
  const side = dataset.image?.size;
  const shape =
    side !== undefined ? [side, side, 3] : (known?.shape ?? dataset.synthetic?.shape ?? [32, 32, 3]);
  const size = shape.reduce((a, b) => a * b, 1);
  const pixels = shape.length === 3 ? (shape[0] ?? 1) * (shape[1] ?? 1) : size;
  const poolSize =
    dataset.name === 'synthetic'
      ? (dataset.maxPerClass ?? defaultSyntheticPerClass)
      : (known?.perClass ?? assumedPerClass);
  const pool = poolSize - (dataset.validationPerClass ?? 0);
  // Whole images per class: a dataset known only by its total (iNaturalist) has a fractional mean.
  const nMax = Math.max(1, Math.floor(Math.min(pool, dataset.maxPerClass ?? pool)));
  // The trainer's own counts (at least one image per class), so the guard counts what will train.
  // A naturally distributed dataset known only by its total (iNaturalist) keeps that total.
  const natural = dataset.imbalance.type === 'none' && dataset.maxPerClass === undefined;
  const trainImages = natural
    ? pool * numClasses
    : imbalancedClassCounts(dataset.imbalance, nMax, numClasses).reduce((a, b) => a + b, 0);
  const testPool = dataset.synthetic?.testPerClass ?? known?.testPerClass ?? assumedTestPerClass;
  const evalImagesPerPass = numClasses * Math.min(testPool, dataset.testPerClass ?? testPool);
  const epochs = spec.schedule.epochs;
  const evalPasses = Math.floor(epochs / spec.eval.everyEpochs);
  const imagesPerSecond = trainingImagesPerSecond(spec.model, device, { size, pixels, numClasses });
  const work = trainImages * epochs + evalImagesPerPass * evalPasses * evalCostFraction;
  const seconds = work / imagesPerSecond;
  const note = durationNote(seconds, device);
  return {
    seconds,
    trainImages: Math.round(trainImages),
    epochs,
    evalImagesPerPass: Math.round(evalImagesPerPass),
    imagesPerSecond,
    device,
    ...(note === undefined ? {} : { note }),
  };
}
