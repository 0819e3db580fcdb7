// Every model of trainer/models trains on onednn through the real training loop (runExperiment:
// sampling, re-balancing, LR schedule, evaluation), with every loss family and DRW/DRS; the
// evaluation carries top-5 and the confusion matrix, and the report builds from it. Tiny inputs,
// one or two epochs: this checks coverage (no kernel rejects what the trainer passes), not accuracy.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../../../../trainer/data/index.ts';
import { runExperiment } from '../../../../trainer/loop/index.ts';
import { buildReport, reportToMarkdown } from '../../../../trainer/reports/index.ts';
import { parseExperimentSpec, resolveExperiment } from '../../../../trainer/spec/index.ts';
import { tinyImdbSpec, writeShortImdbCorpus } from '../../../support/imdb.ts';
import { onednnBuilt, prepareOnednn } from './on-onednn.ts';

interface Case {
  readonly model: Record<string, unknown>;
  readonly shape: number[];
  readonly classes: number;
  readonly loss: Record<string, unknown>;
  readonly rule: 'drw' | 'drs' | 'reweight' | 'resample';
  readonly epochs: number;
}

/** A loss family on the MLP over 12-d synthetic features, 7 classes (cheap). */
const onMlp = (loss: Record<string, unknown>, rule: Case['rule']): Case => ({
  model: { arch: 'mlp', hidden: [16] },
  shape: [12],
  classes: 7,
  loss,
  rule,
  epochs: 2,
});
/** A network on side × side RGB inputs. */
const network = (
  arch: string,
  side: number,
  classes: number,
  loss: string,
  rule: Case['rule'],
  epochs: number,
) =>
  ({ model: { arch }, shape: [side, side, 3], classes, loss: { type: loss }, rule, epochs }) satisfies Case;

// Each loss family on the MLP, with DRW and DRS; then each network once.
const cases: Case[] = [
  onMlp({ type: 'ce' }, 'drw'),
  onMlp({ type: 'focal' }, 'drs'),
  onMlp({ type: 'ldam' }, 'drw'),
  onMlp({ type: 'hinge' }, 'drs'),
  onMlp({ type: 'logit-adjusted', tau: 1 }, 'reweight'),
  network('resnet8', 8, 7, 'ldam', 'drw', 2),
  network('resnet32', 8, 3, 'hinge', 'drs', 1),
  network('resnet18', 16, 3, 'focal', 'resample', 1),
  network('resnet50', 16, 3, 'ce', 'reweight', 1),
];

const specOf = (c: Case) =>
  parseExperimentSpec({
    version: 1,
    dataset: {
      name: 'synthetic',
      numClasses: c.classes,
      synthetic: { shape: c.shape, testPerClass: 2 },
      maxPerClass: 6,
      imbalance: { type: 'exp', ratio: 3 },
    },
    model: c.model,
    loss: c.loss,
    rebalance: { rule: c.rule, afterEpoch: 1 },
    optimizer: { batchSize: 8, lr: 0.01 },
    schedule: { epochs: c.epochs, warmupEpochs: 0, decay: [] },
    augment: { crop: c.shape.length === 3, flip: c.shape.length === 3 },
  });

let dir: string;
beforeAll(async () => {
  if (!onednnBuilt) return;
  await prepareOnednn();
  dir = await mkdtemp(join(tmpdir(), 'ldam-onednn-models-'));
  await writeShortImdbCorpus(join(dir, 'aclImdb'), { train: 16, test: 4, seed: 7 });
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function expectTrained(result: Awaited<ReturnType<typeof runExperiment>>, classes: number, epochs: number) {
  expect(tf.getBackend()).toBe('onednn');
  expect(result.state.history).toHaveLength(epochs);
  for (const record of result.state.history) expect(Number.isFinite(record.trainLoss)).toBe(true);
  const test = result.final.test;
  expect(test.confusion).toHaveLength(classes);
  expect(test.perClassCount.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  if (classes > 5) expect(test.top5Error).toEqual(expect.any(Number));
}

describe.skipIf(!onednnBuilt)(
  'every model trains on onednn through the training loop',
  { timeout: 300_000 },
  () => {
    it.each(cases)('$model.arch with $loss.type and $rule', async (c) => {
      const before = tf.memory().numTensors;
      const spec = specOf(c);
      const result = await runExperiment(spec);
      expectTrained(result, c.classes, c.epochs);
      expect(tf.memory().numTensors).toBe(before);
      const report = buildReport({
        jobId: 'onednn-coverage',
        resolved: resolveExperiment(spec),
        backend: { name: 'onednn', device: 'cpu (onednn)' },
        classNames: Array.from({ length: c.classes }, (_, i) => `c${i}`),
        classCounts: result.classCounts,
        state: result.state,
        final: result.final,
      });
      expect(report.final.confusion).toEqual(result.final.test.confusion);
      expect(reportToMarkdown(report)).toContain('onednn');
    });

    it('bilstm (text) with LDAM-DRW and Adam', async () => {
      const spec = parseExperimentSpec(tinyImdbSpec(join(dir, 'aclImdb')));
      const dataset = await loadDataset(spec.dataset, { env: { ...process.env, LDAM_DATA_ROOTS: dir } });
      const before = tf.memory().numTensors;
      expectTrained(await runExperiment(spec, { dataset }), 2, 2);
      expect(tf.memory().numTensors).toBe(before);
    });
  },
);
