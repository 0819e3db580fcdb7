import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTraining } from '../../../trainer/loop/index.ts';
import type { EpochLogits } from '../../../trainer/loop/logit-capture.ts';
import { evaluationFromLogits } from '../../../trainer/reports/index.ts';
import { disposeRun, makeRun, trainCounts } from './fixtures.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('runTraining hands over the logits of each new best epoch and of the final one', () => {
  it('whole splits in index order, the same logits the epoch was scored on; a split over the bound is not kept', async () => {
    const base = makeRun({ epochs: 5, validation: true, lr: 0.3 });
    const calls: Array<{ point: string; logits: EpochLogits }> = [];
    const run = {
      ...base,
      // 90 test × 3 = 270 values are over the bound, 60 validation × 3 = 180 are not.
      settings: { ...base.settings, maxStoredLogits: 200 },
      hooks: {
        onLogits: async (point: 'final' | 'best', logits: EpochLogits) => void calls.push({ point, logits }),
      },
    };
    const outcome = await runTraining(run);
    disposeRun(run);
    if (outcome.status !== 'completed') throw new Error('expected completion');
    const history = outcome.state.history;
    // A new best is a strictly lower validation balanced error than every earlier epoch's.
    const newBests = history
      .filter((r, i) =>
        history
          .slice(0, i)
          .every((p) => (p.validation?.balancedError ?? 1) > (r.validation?.balancedError ?? 1)),
      )
      .map((r) => r.epoch);
    expect(calls.filter((c) => c.point === 'best').map((c) => c.logits.epoch)).toEqual(newBests);
    expect(calls.filter((c) => c.point === 'final').map((c) => c.logits.epoch)).toEqual([5]);
    expect(newBests.at(-1)).toBe(outcome.state.best?.epoch);
    expect(newBests.length).toBeGreaterThan(1);
    for (const { logits } of calls) {
      expect(logits.test).toBeNull();
      const validation = logits.validation ?? null;
      if (validation === null) throw new Error('validation logits expected');
      expect(validation.labels).toHaveLength(60);
      expect(validation.logits).toHaveLength(180);
      const scored = history.find((r) => r.epoch === logits.epoch)?.validation;
      const again = evaluationFromLogits(
        { point: 'final', split: 'validation', epoch: logits.epoch, head: null, ...validation },
        [...trainCounts],
      );
      expect(again.balancedError).toBe(scored?.balancedError);
      expect(again.perClassError).toEqual(scored?.perClassError);
    }
  });

  it('keeps no logits (and reads no head) without an onLogits hook', async () => {
    let headReads = 0;
    const base = makeRun({ epochs: 2 });
    const classifierHead = () => {
      headReads += 1;
      return null;
    };
    const run = { ...base, classifierHead };
    await runTraining(run);
    disposeRun(run);
    expect(headReads).toBe(0);
  });
});
