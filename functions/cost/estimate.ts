// The cost guard's estimate: training images × epochs (plus evaluation passes) ÷ the runner's
// throughput for the architecture (throughput.ts). Image counts follow the spec's imbalance rule
// (METHOD.md, "Imbalanced training sets").
import { defaultSyntheticPerClass } from '../../trainer/data/load.ts';
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
};
// Custom folders' sizes are unknown until read: assume CIFAR-10's.
const assumedPerClass = 5000;
const assumedTestPerClass = 1000;
// An evaluation pass is forward only: about a third of a training step's work per image.
const evalCostFraction = 1 / 3;

/** n_i per class: exp n_max·ρ^(−i/(K−1)), step ⌊n_max/ρ⌋ for the second half (Cao et al. 2019, §4). */
export function imbalancedCounts(
  nMax: number,
  numClasses: number,
  imbalance: ExperimentSpec['dataset']['imbalance'],
): number[] {
  return Array.from({ length: numClasses }, (_, i) => {
    if (imbalance.type === 'none') return nMax;
    if (imbalance.type === 'step')
      return i < Math.floor(numClasses / 2) ? nMax : Math.floor(nMax / imbalance.ratio);
    return Math.floor(nMax * imbalance.ratio ** (-i / Math.max(1, numClasses - 1)));
  });
}

export interface CostEstimate {
  readonly seconds: number;
  readonly trainImages: number;
  readonly epochs: number;
  readonly evalImagesPerPass: number;
  readonly imagesPerSecond: number;
  readonly device: DeviceKind;
}

export function estimateRunSeconds(spec: ExperimentSpec, device: DeviceKind): CostEstimate {
  const dataset = spec.dataset;
  const numClasses = numClassesOf(spec);
  const known = knownSizes[dataset.name];
  const shape = known?.shape ?? dataset.synthetic?.shape ?? [32, 32, 3];
  const size = shape.reduce((a, b) => a * b, 1);
  const pixels = shape.length === 3 ? (shape[0] ?? 1) * (shape[1] ?? 1) : size;
  const poolSize =
    dataset.name === 'synthetic'
      ? (dataset.maxPerClass ?? defaultSyntheticPerClass)
      : (known?.perClass ?? assumedPerClass);
  const pool = poolSize - (dataset.validationPerClass ?? 0);
  const nMax = Math.max(1, Math.min(pool, dataset.maxPerClass ?? pool));
  const trainImages = imbalancedCounts(nMax, numClasses, dataset.imbalance).reduce((a, b) => a + b, 0);
  const testPool = dataset.synthetic?.testPerClass ?? known?.testPerClass ?? assumedTestPerClass;
  const evalImagesPerPass = numClasses * Math.min(testPool, dataset.testPerClass ?? testPool);
  const epochs = spec.schedule.epochs;
  const evalPasses = Math.floor(epochs / spec.eval.everyEpochs);
  const imagesPerSecond = trainingImagesPerSecond(spec.model, device, { size, pixels, numClasses });
  const work = trainImages * epochs + evalImagesPerPass * evalPasses * evalCostFraction;
  return { seconds: work / imagesPerSecond, trainImages, epochs, evalImagesPerPass, imagesPerSecond, device };
}
