import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { issuesOf } from './spec-issues.ts';

const custom = (numClasses: number) => ({
  version: 1,
  dataset: { name: 'custom', format: 'image-folder', numClasses, source: '/data/x' },
});

describe('experiment spec at large-vision scale', () => {
  it('accepts resnet18 and resnet50 and iNaturalist-sized label sets (8,142 and 10,000 classes)', () => {
    expect(parseExperimentSpec({ ...custom(8142), model: { arch: 'resnet50' } }).model.arch).toBe('resnet50');
    expect(parseExperimentSpec({ ...custom(10_000), model: { arch: 'resnet18' } }).dataset.numClasses).toBe(
      10_000,
    );
  });

  it('rejects more than 10,000 classes, naming the field', () => {
    expect(issuesOf(custom(10_001)).map((i) => i.path)).toContain('dataset.numClasses');
  });

  it('rejects gpus > 1 with a rule that says multi-GPU training does not exist', () => {
    const issues = issuesOf({ ...custom(10), resources: { gpus: 4 } });
    expect(issues).toContainEqual({
      path: 'resources.gpus',
      rule: 'at most 1: the trainer uses one GPU (multi-GPU training is not implemented)',
    });
    expect(parseExperimentSpec({ ...custom(10), resources: { gpus: 0 } }).resources.gpus).toBe(0);
  });
});

describe('large-vision example specs', () => {
  it.each(['tiny-imagenet-ldam-drw.json', 'inaturalist2018-ldam-drw.json'])(
    '%s is a valid spec',
    async (file) => {
      const spec = parseExperimentSpec(
        JSON.parse(await readFile(new URL(`../../../examples/${file}`, import.meta.url), 'utf8')),
      );
      expect(['resnet18', 'resnet50']).toContain(spec.model.arch);
    },
  );
});
