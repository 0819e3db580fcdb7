import { describe, expect, it } from 'vitest';
import {
  parseExperimentSpec,
  parseExperimentSpecJson,
  resolveExperiment,
} from '../../../trainer/spec/index.ts';
import { issuesOf } from './spec-issues.ts';

describe('experiment spec', () => {
  it("fills the paper's CIFAR recipe as defaults", () => {
    const spec = parseExperimentSpec({ version: 1, dataset: { name: 'cifar10' } });
    expect(spec.optimizer).toEqual({
      type: 'sgd',
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 2e-4,
      batchSize: 128,
    });
    expect(spec.loss).toEqual({ type: 'ldam', maxMargin: 0.5, scale: 30 });
    expect(spec.rebalance).toMatchObject({ rule: 'drw', weighting: 'class-balanced', beta: 0.9999 });
    const resolved = resolveExperiment(spec);
    expect(resolved.warmupEpochs).toBe(5);
    expect(resolved.decay).toEqual([
      { afterEpoch: 160, factor: 0.01 },
      { afterEpoch: 180, factor: 0.0001 },
    ]);
    expect(resolved.rebalanceAfterEpoch).toBe(160);
    expect(resolved.classifier).toBe('cosine');
    expect(resolved.numClasses).toBe(10);
  });

  it('scales warm-up, decays and the DRW switch with epochs when they are not given', () => {
    const resolved = resolveExperiment(
      parseExperimentSpec({ version: 1, dataset: { name: 'fashion-mnist' }, schedule: { epochs: 20 } }),
    );
    expect(resolved.warmupEpochs).toBe(1);
    expect(resolved.decay.map((d) => d.afterEpoch)).toEqual([16, 18]);
    expect(resolved.rebalanceAfterEpoch).toBe(16);
  });

  it('uses a linear classifier for non-LDAM losses unless asked otherwise', () => {
    const ce = parseExperimentSpec({ version: 1, dataset: { name: 'cifar10' }, loss: { type: 'ce' } });
    expect(resolveExperiment(ce).classifier).toBe('linear');
    const ceCosine = parseExperimentSpec({
      version: 1,
      dataset: { name: 'cifar10' },
      loss: { type: 'ce' },
      model: { classifier: 'cosine' },
    });
    expect(resolveExperiment(ceCosine).classifier).toBe('cosine');
  });

  it('rejects unknown fields, naming them', () => {
    const issues = issuesOf({ version: 1, dataset: { name: 'cifar10' }, optimiser: {} });
    expect(issues).toContainEqual({ path: '', rule: 'unknown field(s): optimiser' });
  });

  it.each([
    [{ optimizer: { batchSize: 0 } }, 'optimizer.batchSize'],
    [{ optimizer: { batchSize: 100_000 } }, 'optimizer.batchSize'],
    [{ schedule: { epochs: 0 } }, 'schedule.epochs'],
    [{ dataset: { name: 'cifar10', imbalance: { type: 'exp', ratio: 0.5 } } }, 'dataset.imbalance.ratio'],
    [{ dataset: { name: 'custom', format: 'idx', source: '/data/x' } }, 'dataset.numClasses'],
    [{ dataset: { name: 'custom', numClasses: 1, format: 'idx', source: '/x' } }, 'dataset.numClasses'],
    [{ dataset: { name: 'cifar100', numClasses: 10 } }, 'dataset.numClasses'],
    [{ loss: { type: 'ldam', scale: -1 } }, 'loss.scale'],
    [{ loss: { type: 'svm' } }, 'loss.type'],
    [{ rebalance: { beta: 1 } }, 'rebalance.beta'],
    [{ schedule: { epochs: 10, decay: [{ afterEpoch: 12, factor: 0.1 }] } }, 'schedule.decay.0.afterEpoch'],
    [
      {
        schedule: {
          epochs: 10,
          decay: [
            { afterEpoch: 5, factor: 0.1 },
            { afterEpoch: 4, factor: 0.1 },
          ],
        },
      },
      'schedule.decay.1.afterEpoch',
    ],
    [{ schedule: { epochs: 10 }, rebalance: { afterEpoch: 11 } }, 'rebalance.afterEpoch'],
    [{ version: 2 }, 'version'],
  ])('rejects %j at %s', (patch, path) => {
    const issues = issuesOf({ version: 1, dataset: { name: 'cifar10' }, ...patch });
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('reports malformed JSON as a validation error', () => {
    expect(() => parseExperimentSpecJson('{"version": 1,')).toThrow(/malformed JSON/);
  });
});
