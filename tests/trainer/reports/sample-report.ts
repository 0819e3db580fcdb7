import { evaluateLogits } from '../../../trainer/metrics/index.ts';
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
  // Class c: 10 test images, c of them wrong at the final epoch (predicted c + 1, the true class
  // second), ⌊c/2⌋ at the best one; the first wrong image of class 9 has its true class last.
  const evaluation = (wrong: (c: number) => number) => {
    const labels: number[] = [];
    const logits: number[] = [];
    for (let c = 0; c < 10; c++)
      for (let i = 0; i < 10; i++) {
        labels.push(c);
        const row = new Array<number>(10).fill(0);
        if (i < wrong(c)) {
          row[(c + 1) % 10] = 3;
          row[c] = c === 9 && i === 0 ? -1 : 1;
        } else row[c] = 2 + i / 10;
        logits.push(...row);
      }
    return evaluateLogits({
      labels: Int32Array.from(labels),
      logits: Float32Array.from(logits),
      numClasses: 10,
      trainCounts,
    });
  };
  return {
    reportVersion: 2,
    jobId: 'job-123',
    createdAt: '2026-01-02T03:04:05.000Z',
    spec: summarizeSpec(resolved),
    backend: { name: 'wasm', device: 'cpu (wasm simd)' },
    classes: classNames.map((name, index) => ({ index, name, trainCount: trainCounts[index] as number })),
    final: { epoch: 10, split: 'test', ...evaluation((c) => c) },
    best: { epoch: 7, split: 'test', chosenOn: 'validation', ...evaluation((c) => Math.floor(c / 2)) },
    bestOnTest: { epoch: 6, split: 'test', ...evaluation((c) => Math.floor(c / 3)) },
    posthoc: [],
    history: Array.from({ length: 10 }, (_, i) => ({
      epoch: i + 1,
      lr: 0.1,
      trainLoss: 2 - i / 10,
      test: { top1Error: 0.5, top5Error: 0.1, balancedError: 0.6 },
      validation: i % 2 === 0 ? { top1Error: 0.4, top5Error: 0.05, balancedError: 0.5 } : null,
    })),
  };
}
