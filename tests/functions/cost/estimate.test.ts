import { describe, expect, it } from 'vitest';
import { estimateRunSeconds } from '../../../functions/cost/estimate.ts';
import { mlpMacs, trainingImagesPerSecond } from '../../../functions/cost/throughput.ts';
import { imbalancedClassCounts } from '../../../trainer/rebalance/index.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';

describe('cost estimate', () => {
  it('counts the training images the trainer will load, at least one per class', () => {
    const spec = parseExperimentSpec({
      version: 1,
      dataset: {
        name: 'synthetic',
        numClasses: 3,
        maxPerClass: 20,
        imbalance: { type: 'exp', ratio: 100 },
        synthetic: { shape: [4] },
      },
      model: { arch: 'mlp' },
    });
    // 20·100^(−1) = 0.2 floors to 0, but the trainer keeps one image of the rarest class.
    expect(imbalancedClassCounts({ type: 'exp', ratio: 100 }, 20, 3)).toEqual([20, 2, 1]);
    expect(estimateRunSeconds(spec, 'cpu').trainImages).toBe(23);
  });

  it('divides images × epochs (plus forward-only evaluation) by the table throughput', () => {
    const spec = parseExperimentSpec({ version: 1, dataset: { name: 'cifar10' } });
    const cpu = estimateRunSeconds(spec, 'cpu');
    expect(cpu.trainImages).toBe(12406);
    expect(cpu.imagesPerSecond).toBeCloseTo(29, 5);
    // 200 epochs × 12,406 images + 200 test passes × 10,000 images × 1/3, at 29 img/s.
    expect(cpu.seconds).toBeCloseTo((200 * 12406 + (200 * 10000) / 3) / 29, 3);
    expect(estimateRunSeconds(spec, 'gpu').seconds).toBeLessThan(cpu.seconds / 10);
  });

  it('scales MLP speed by multiply-adds and ResNets by depth', () => {
    expect(mlpMacs(784, [256, 256], 10)).toBe(784 * 256 + 256 * 256 + 256 * 10);
    const reference = trainingImagesPerSecond({ arch: 'mlp', hidden: [256, 256] }, 'cpu', {
      size: 784,
      pixels: 784,
      numClasses: 10,
    });
    expect(reference).toBeCloseTo(2451, 6);
    const half = trainingImagesPerSecond({ arch: 'mlp', hidden: [128, 128] }, 'cpu', {
      size: 784,
      pixels: 784,
      numClasses: 10,
    });
    expect(half).toBeGreaterThan(reference * 1.9);
    const r8 = trainingImagesPerSecond({ arch: 'resnet8', hidden: [1] }, 'cpu', {
      size: 3072,
      pixels: 1024,
      numClasses: 10,
    });
    expect(r8).toBeCloseTo((29 * 31) / 7, 6);
  });

  it('honours maxPerClass and the validation split when sizing the pool', () => {
    const spec = parseExperimentSpec({
      version: 1,
      dataset: { name: 'fashion-mnist', maxPerClass: 100, imbalance: { type: 'none' }, testPerClass: 10 },
      model: { arch: 'mlp' },
      schedule: { epochs: 2 },
    });
    const estimate = estimateRunSeconds(spec, 'cpu');
    expect(estimate.trainImages).toBe(1000);
    expect(estimate.evalImagesPerPass).toBe(100);
  });
});
