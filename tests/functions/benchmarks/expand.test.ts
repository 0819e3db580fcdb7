import { describe, expect, it } from 'vitest';
import { BenchmarkValidationError } from '../../../functions/benchmarks/errors.ts';
import { expandBenchmark, labelOf, settingsOf } from '../../../functions/benchmarks/expand.ts';
import { parseBenchmarkSpec } from '../../../functions/benchmarks/parse.ts';

const base = {
  version: 1,
  dataset: { name: 'fashion-mnist', maxPerClass: 300, seed: 7 },
  model: { arch: 'mlp', hidden: [32] },
  loss: { type: 'ldam', maxMargin: 0.3 },
  schedule: { epochs: 5 },
  rebalance: { afterEpoch: 3 },
};

function rejection(run: () => unknown): BenchmarkValidationError {
  try {
    run();
  } catch (error) {
    if (error instanceof BenchmarkValidationError) return error;
    throw error;
  }
  throw new Error('expected a BenchmarkValidationError');
}

describe('benchmark expansion', () => {
  it("expands methods × grid × seeds, applying each method's loss and rule over the base", () => {
    const { cells, methods, settings } = expandBenchmark(
      parseBenchmarkSpec({
        version: 1,
        base,
        methods: ['erm', 'ldam-drw'],
        grid: {
          'dataset.imbalance': [
            { type: 'exp', ratio: 100 },
            { type: 'step', ratio: 10 },
          ],
        },
        seeds: [1, 2],
      }),
    );
    expect(methods.map((m) => m.label)).toEqual(['ERM', 'LDAM-DRW']);
    expect(settings.map((s) => s.label)).toEqual(['exp-100', 'step-10']);
    expect(cells).toHaveLength(8);
    expect(cells.map((c) => c.id).slice(0, 4)).toEqual([
      'erm.s0.seed1',
      'erm.s0.seed2',
      'erm.s1.seed1',
      'erm.s1.seed2',
    ]);
    const erm = cells.find((c) => c.id === 'erm.s1.seed2');
    expect(erm?.spec.loss).toEqual({ type: 'ce' });
    expect(erm?.spec.rebalance.rule).toBe('none');
    expect(erm?.spec.dataset.imbalance).toEqual({ type: 'step', ratio: 10 });
    expect(erm?.spec.seed).toBe(2);
    const ldam = cells.find((c) => c.id === 'ldam-drw.s0.seed1');
    // Same loss type: the user's margin survives and the schema fills the scale.
    expect(ldam?.spec.loss).toEqual({ type: 'ldam', maxMargin: 0.3, scale: 30 });
    expect(ldam?.spec.rebalance).toMatchObject({ rule: 'drw', weighting: 'class-balanced', afterEpoch: 3 });
    // The data seed stays fixed across training seeds.
    expect(new Set(cells.map((c) => c.spec.dataset.seed))).toEqual(new Set([7]));
  });

  it('lets the grid vary a nested field on top of the method (DRW start epoch)', () => {
    const { cells } = expandBenchmark(
      parseBenchmarkSpec({
        version: 1,
        base,
        methods: ['erm-drw'],
        grid: { 'rebalance.afterEpoch': [1, 4] },
      }),
    );
    expect(cells.map((c) => [c.spec.rebalance.rule, c.spec.rebalance.afterEpoch])).toEqual([
      ['drw', 1],
      ['drw', 4],
    ]);
  });

  it('runs the base as one row when no methods are named, and accepts custom methods', () => {
    const plain = expandBenchmark(parseBenchmarkSpec({ version: 1, base }));
    expect(plain.methods).toEqual([{ name: 'base', label: 'Base' }]);
    expect(plain.cells.map((c) => c.id)).toEqual(['base.s0.seed0']);
    const custom = expandBenchmark(
      parseBenchmarkSpec({ version: 1, base, methods: [{ name: 'ldam-s10', set: { 'loss.scale': 10 } }] }),
    );
    expect(custom.cells[0]?.spec.loss).toEqual({ type: 'ldam', maxMargin: 0.3, scale: 10 });
  });

  it('rejects a grid with more cells than maxCells, saying how many', () => {
    const error = rejection(() =>
      expandBenchmark(
        parseBenchmarkSpec({ version: 1, base, methods: ['erm', 'ldam'], seeds: [0, 1, 2], maxCells: 5 }),
      ),
    );
    expect(error.issues[0]).toMatchObject({ path: 'maxCells' });
    expect(error.issues[0]?.rule).toContain('6 cells');
  });

  it('rejects the benchmark naming the failing cell and field', () => {
    const error = rejection(() =>
      expandBenchmark(
        parseBenchmarkSpec({ version: 1, base, methods: ['erm'], grid: { 'optimizer.batchSize': [64, 0] } }),
      ),
    );
    expect(error.issues).toEqual([
      { cell: 'erm.s1.seed0', path: 'optimizer.batchSize', rule: expect.any(String) },
    ]);
    const unknown = rejection(() =>
      expandBenchmark(parseBenchmarkSpec({ version: 1, base, grid: { 'model.depth': [3] } })),
    );
    expect(unknown.issues[0]).toMatchObject({ cell: 'base.s0.seed0', path: 'model' });
    expect(unknown.issues[0]?.rule).toContain('depth');
  });

  it('rejects grids over the seed, repeated seeds and repeated methods', () => {
    const error = rejection(() =>
      parseBenchmarkSpec({
        version: 1,
        base,
        methods: ['erm', 'erm'],
        grid: { seed: [1, 2] },
        seeds: [3, 3],
      }),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['grid.seed', 'methods.1', 'seeds']);
  });

  it('starts from a named preset, merging the base and replacing top-level fields', () => {
    const spec = parseBenchmarkSpec({
      preset: 'fmnist-lt',
      seeds: [0, 1],
      base: { dataset: { maxPerClass: 100 } },
    });
    expect(spec.seeds).toEqual([0, 1]);
    expect(spec.base).toMatchObject({
      dataset: { name: 'fashion-mnist', maxPerClass: 100, testPerClass: 500 },
    });
    expect(rejection(() => parseBenchmarkSpec({ preset: 'imagenet' })).issues[0]?.path).toBe('preset');
  });

  it('expands both presets into valid cells of the documented size', () => {
    const fmnist = expandBenchmark(parseBenchmarkSpec({ preset: 'fmnist-lt' }));
    expect(fmnist.settings.map((s) => s.label)).toEqual(['exp-100', 'exp-10', 'step-100', 'step-10']);
    expect(fmnist.cells.every((c) => c.spec.model.arch === 'mlp' && c.spec.resources.gpus === 0)).toBe(true);
    const cifar = expandBenchmark(parseBenchmarkSpec({ preset: 'paper-cifar' }));
    expect(cifar.settings).toHaveLength(16);
    expect(cifar.settings[4]?.label).toBe('cifar100-exp-100');
    expect(cifar.cells).toHaveLength(12 * 16);
    expect(cifar.cells.every((c) => c.spec.schedule.epochs === 200 && c.spec.model.arch === 'resnet32')).toBe(
      true,
    );
  });
});

describe('setting labels', () => {
  it('labels objects by their values and arrays by their elements', () => {
    expect(labelOf({ type: 'exp', ratio: 100 })).toBe('exp-100');
    expect(labelOf([256, 256])).toBe('256x256');
    expect(settingsOf({}).map((s) => s.label)).toEqual(['base']);
    expect(settingsOf({ a: [1, 2], b: ['x', 'y'] }).map((s) => s.label)).toEqual([
      '1 x',
      '1 y',
      '2 x',
      '2 y',
    ]);
  });
});
