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

const mlp = { arch: 'mlp', hidden: [16] };
// Each loss family on the MLP (cheap), with DRW and DRS; then each network once.
const cases: Case[] = [
  { model: mlp, shape: [12], classes: 7, loss: { type: 'ce' }, rule: 'drw', epochs: 2 },
  { model: mlp, shape: [12], classes: 7, loss: { type: 'focal' }, rule: 'drs', epochs: 2 },
  { model: mlp, shape: [12], classes: 7, loss: { type: 'ldam' }, rule: 'drw', epochs: 2 },
  { model: mlp, shape: [12], classes: 7, loss: { type: 'hinge' }, rule: 'drs', epochs: 2 },
  {
    model: mlp,
    shape: [12],
    classes: 7,
    loss: { type: 'logit-adjusted', tau: 1 },
    rule: 'reweight',
    epochs: 2,
  },
  {
    model: { arch: 'resnet8' },
    shape: [8, 8, 3],
    classes: 7,
    loss: { type: 'ldam' },
    rule: 'drw',
    epochs: 2,
  },
  {
    model: { arch: 'resnet32' },
    shape: [8, 8, 3],
    classes: 3,
    loss: { type: 'hinge' },
    rule: 'drs',
    epochs: 1,
  },
  {
    model: { arch: 'resnet18' },
    shape: [16, 16, 3],
    classes: 3,
    loss: { type: 'focal' },
    rule: 'resample',
    epochs: 1,
  },
  {
    model: { arch: 'resnet50' },
    shape: [16, 16, 3],
    classes: 3,
    loss: { type: 'ce' },
    rule: 'reweight',
    epochs: 1,
  },
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
