import { evaluatePredictions } from '../../../trainer/metrics/index.ts';
import { imbalancedClassCounts } from '../../../trainer/rebalance/index.ts';
import type { ReportInput } from '../../../trainer/reports/index.ts';
import { summarizeSpec } from '../../../trainer/reports/index.ts';
import { parseExperimentSpec, resolveExperiment } from '../../../trainer/spec/index.ts';

export const classNames = [
  't-shirt',
  'trouser',
  'pullover',
  'dress',
  'coat, long',
  'sandal',
  'shirt "x"',
  'sneaker',
  'bag|tote',
  'boot <ankle>',
];

/** A 10-class long-tailed report whose per-class errors grow towards the tail; final ≠ best. */
export function sampleReport(): ReportInput {
  const resolved = resolveExperiment(
    parseExperimentSpec({
      version: 1,
      dataset: { name: 'fashion-mnist', maxPerClass: 600 },
      schedule: { epochs: 10 },
    }),
  );
  const trainCounts = imbalancedClassCounts({ type: 'exp', ratio: 100 }, 600, 10);
  // Class c: 10 test images, c of them wrong at the final epoch, ⌊c/2⌋ at the best one.
  const evaluation = (wrong: (c: number) => number) => {
    const labels: number[] = [];
    const predictions: number[] = [];
    for (let c = 0; c < 10; c++)
      for (let i = 0; i < 10; i++) {
        labels.push(c);
        predictions.push(i < wrong(c) ? (c + 1) % 10 : c);
      }
    return evaluatePredictions({
      labels: Int32Array.from(labels),
      predictions: Int32Array.from(predictions),
      numClasses: 10,
      trainCounts,
    });
  };
  return {
    reportVersion: 1,
    jobId: 'job-123',
    createdAt: '2026-01-02T03:04:05.000Z',
    spec: summarizeSpec(resolved),
    backend: { name: 'wasm', device: 'cpu (wasm simd)' },
    classes: classNames.map((name, index) => ({ index, name, trainCount: trainCounts[index] as number })),
    final: { epoch: 10, split: 'test', ...evaluation((c) => c) },
    best: { epoch: 7, split: 'test', chosenOn: 'validation', ...evaluation((c) => Math.floor(c / 2)) },
    history: Array.from({ length: 10 }, (_, i) => ({
      epoch: i + 1,
      lr: 0.1,
      trainLoss: 2 - i / 10,
      test: { top1Error: 0.5, balancedError: 0.6 },
      validation: i % 2 === 0 ? { top1Error: 0.4, balancedError: 0.5 } : null,
    })),
  };
}
