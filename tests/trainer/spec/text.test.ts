import { describe, expect, it } from 'vitest';
import { parseExperimentSpec, resolveExperiment } from '../../../trainer/spec/index.ts';
import { issuesOf } from './spec-issues.ts';

const imdb = { version: 1, dataset: { name: 'imdb', source: 'aclImdb' }, model: { arch: 'bilstm' } };

describe('text experiment spec', () => {
  it('resolves text defaults: no augmentation, chosen tokenisation and BiLSTM sizes, Adam with PyTorch betas', () => {
    const resolved = resolveExperiment(
      parseExperimentSpec({ ...imdb, optimizer: { type: 'adam', lr: 1e-3 } }),
    );
    expect(resolved.numClasses).toBe(2);
    expect(resolved.augment).toEqual({ crop: false, flip: false });
    expect(resolved.text).toEqual({ maxLength: 200, maxVocab: 20_000, minCount: 2 });
    expect(resolved.bilstm).toEqual({ embeddingDim: 128, units: 128, dropout: 0 });
    expect(resolved.adam).toEqual({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    const images = resolveExperiment(parseExperimentSpec({ version: 1, dataset: { name: 'cifar10' } }));
    expect(images.augment).toEqual({ crop: true, flip: true });
    expect(images.text).toBeUndefined();
  });

  it('accepts the paper setting: step ρ = 10 with neg named as the minority', () => {
    const spec = parseExperimentSpec({
      ...imdb,
      dataset: { ...imdb.dataset, imbalance: { type: 'step', ratio: 10, minority: ['neg'] } },
    });
    expect(spec.dataset.imbalance).toEqual({ type: 'step', ratio: 10, minority: ['neg'] });
  });

  it.each([
    [{ ...imdb, model: { arch: 'resnet32' } }, 'model.arch', 'needs image inputs'],
    [
      { version: 1, dataset: { name: 'cifar10' }, model: { arch: 'bilstm' } },
      'model.arch',
      "'bilstm' needs a text dataset",
    ],
    [{ ...imdb, augment: { crop: true, flip: false } }, 'augment.crop', 'does not apply to text'],
    [{ ...imdb, augment: { crop: false, flip: true } }, 'augment.flip', 'does not apply to text'],
    [
      { version: 1, dataset: { name: 'cifar10', text: { maxLength: 10 } } },
      'dataset.text',
      'only allowed for imdb',
    ],
    [{ ...imdb, model: { arch: 'bilstm', bilstm: { units: 0 } } }, 'model.bilstm.units', ''],
    [{ ...imdb, dataset: { ...imdb.dataset, text: { maxLength: 5000 } } }, 'dataset.text.maxLength', ''],
    [
      {
        ...imdb,
        dataset: { ...imdb.dataset, imbalance: { type: 'step', ratio: 10, minority: ['negative'] } },
      },
      'dataset.imbalance.minority.0',
      "'negative' is not a class (pos, neg)",
    ],
    [
      { ...imdb, dataset: { ...imdb.dataset, imbalance: { type: 'exp', ratio: 10, minority: ['neg'] } } },
      'dataset.imbalance.minority',
      "only allowed when imbalance.type is 'step'",
    ],
    [
      { version: 1, dataset: { name: 'custom', format: 'jsonl', source: 'x' }, model: { arch: 'bilstm' } },
      'dataset.labels',
      'required',
    ],
    [
      {
        version: 1,
        dataset: { name: 'custom', format: 'jsonl', source: 'x', labels: ['a', 'a'] },
        model: { arch: 'bilstm' },
      },
      'dataset.labels',
      'must not repeat',
    ],
    [
      { version: 1, dataset: { name: 'cifar10' }, optimizer: { beta1: 0.8 } },
      'optimizer.beta1',
      "only allowed when type is 'adam'",
    ],
    [{ ...imdb, optimizer: { type: 'adam', beta2: 1 } }, 'optimizer.beta2', ''],
  ])('refuses %j naming %s', (input, path, rule) => {
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.find((i) => i.path === path)?.rule).toContain(rule);
  });
});
