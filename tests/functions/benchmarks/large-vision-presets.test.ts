import { describe, expect, it } from 'vitest';
import { expandBenchmark } from '../../../functions/benchmarks/expand.ts';
import { parseBenchmarkSpec } from '../../../functions/benchmarks/parse.ts';
import { paperColumnOf, paperError, paperTopErrors } from '../../../functions/benchmarks/reference.ts';
import { estimateRunSeconds } from '../../../functions/cost/estimate.ts';
import { resolveExperiment } from '../../../trainer/spec/index.ts';

describe('paper-tiny-imagenet and paper-inat presets', () => {
  it("expand Table 4's grid: ResNet-18, 64 px, 120 epochs, ×0.1 after 90, DRW from 90, beside the paper's top-1/top-5", () => {
    const { cells, settings } = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-tiny-imagenet' }));
    expect(settings.map((s) => s.label)).toEqual(['exp-100', 'exp-10', 'step-100', 'step-10']);
    expect(cells).toHaveLength(16);
    for (const { spec } of cells) {
      const resolved = resolveExperiment(spec);
      expect(spec.model.arch).toBe('resnet18');
      expect(resolved.numClasses).toBe(200);
      expect(resolved.rebalanceAfterEpoch).toBe(spec.rebalance.rule === 'drw' ? 90 : null);
      expect(spec.augment).toMatchObject({ crop: true, padding: 8, flip: true });
      expect(spec.resources.gpus).toBe(1);
    }
    const ldamDrw = cells.find((c) => c.method === 'ldam-drw' && c.spec.dataset.imbalance.type === 'exp');
    if (ldamDrw === undefined) throw new Error('no LDAM-DRW cell');
    const column = paperColumnOf(ldamDrw.spec);
    expect(column).toBe('tiny-imagenet-exp-100');
    expect(paperTopErrors('LDAM-DRW', column ?? '')).toEqual([62.53, 39.06]);
    expect(paperError('ERM', 'tiny-imagenet-step-10')).toBe(50.89);
  });

  it("expand Table 3's rows on iNaturalist: ResNet-50, natural distribution, DRW pinned at 60, margin 0.3 kept by LDAM rows", () => {
    const { cells } = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-inat' }));
    expect(cells.map((c) => c.method)).toEqual(['erm', 'cb-focal', 'erm-drw', 'ldam', 'ldam-drw']);
    for (const { spec } of cells) {
      expect(spec.model.arch).toBe('resnet50');
      expect(spec.dataset.imbalance.type).toBe('none');
      expect(resolveExperiment(spec).decay).toEqual([
        { afterEpoch: 30, factor: 0.1 },
        { afterEpoch: 60, factor: 0.01 },
      ]);
    }
    const ldamDrw = cells.find((c) => c.method === 'ldam-drw')?.spec;
    expect(ldamDrw?.loss).toMatchObject({ type: 'ldam', maxMargin: 0.3 });
    expect(ldamDrw === undefined ? null : resolveExperiment(ldamDrw).rebalanceAfterEpoch).toBe(60);
    expect(
      ldamDrw === undefined ? undefined : paperTopErrors('LDAM-DRW', paperColumnOf(ldamDrw) ?? ''),
    ).toEqual([32.0, 14.82]);
  });

  it('the cost guard says an iNaturalist cell takes days on one GPU, within the preset timeout', () => {
    const spec = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-inat' })).cells[4]?.spec;
    if (spec === undefined) throw new Error('no cell');
    const estimate = estimateRunSeconds(spec, 'gpu');
    expect(estimate.trainImages).toBe(437_513);
    expect(estimate.seconds / 86_400).toBeGreaterThan(1.5);
    expect(estimate.seconds / 60).toBeLessThan(spec.resources.timeoutMinutes);
    expect(estimate.note).toMatch(/^about \d+\.\d days on one GPU \(multi-GPU training is not implemented\)/);
    const tiny = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-tiny-imagenet' })).cells[0]?.spec;
    if (tiny === undefined) throw new Error('no cell');
    const tinyEstimate = estimateRunSeconds(tiny, 'gpu');
    expect(tinyEstimate.note).toBeUndefined();
    expect(tinyEstimate.seconds / 60).toBeLessThan(tiny.resources.timeoutMinutes);
  });
});
