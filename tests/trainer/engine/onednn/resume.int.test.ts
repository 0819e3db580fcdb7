import { describe, expect, it } from 'vitest';
import type { ExampleSplit, TrainingOutcome, TrainingRun } from '../../../../trainer/loop/index.ts';
import { runTraining, trainableVariables } from '../../../../trainer/loop/index.ts';
import { buildModel } from '../../../../trainer/models/index.ts';
import { createRng } from '../../../../trainer/random/rng.ts';
import { disposeRun, makeRun } from '../../loop/fixtures.ts';
import { onednnBuilt, prepareOnednn } from './on-onednn.ts';

// Stopping mid-epoch and resuming from the snapshot must give exactly the uninterrupted losses
// on onednn too (native conv, batch norm and pooled buffers; OpenMP at a fixed thread count).

const inputShape = [8, 8, 1];
const counts = [24, 12, 6];

function images(seed: number): ExampleSplit {
  const rng = createRng(seed);
  const count = counts.reduce((a, b) => a + b, 0);
  const pixels = new Float32Array(count * 64);
  const labels = new Int32Array(count);
  let n = 0;
  counts.forEach((k, c) => {
    for (let j = 0; j < k; j++, n++) {
      labels[n] = c;
      for (let i = 0; i < 64; i++) pixels[n * 64 + i] = (i % 3 === c ? 1 : 0) + 0.5 * rng.normal();
    }
  });
  return { images: pixels, labels, count };
}

function resnetRun(seed: number): TrainingRun {
  const base = makeRun({ epochs: 3, seed });
  base.model.dispose();
  const model = buildModel(
    { arch: 'resnet8', hidden: [] },
    { inputShape, numClasses: 3, classifier: 'linear', seed: 3 },
  );
  return {
    ...base,
    model,
    data: { train: images(21), test: images(22), inputShape, numClasses: 3 },
    settings: { ...base.settings, epochs: 3, batchSize: 16 },
  };
}

const losses = (outcome: TrainingOutcome) => outcome.state.history.map((r) => r.trainLoss);

describe.skipIf(!onednnBuilt)('resume on onednn (2 threads)', () => {
  it('stops mid-epoch and resumes to exactly the uninterrupted losses of a resnet8', async () => {
    await prepareOnednn();
    const reference = resnetRun(1);
    const expected = losses(await runTraining(reference));
    disposeRun(reference);

    const first = resnetRun(1);
    const controller = new AbortController();
    const stopped = await runTraining({
      ...first,
      signal: controller.signal,
      hooks: { onProgress: (p) => void (p.epoch === 2 && p.batch === 2 && controller.abort()) },
    });
    if (stopped.status !== 'stopped') throw new Error('expected a stop');
    expect(stopped.state).toMatchObject({ completedEpochs: 1, batchesDone: 2 });

    const second = resnetRun(99);
    second.model.setWeights(stopped.snapshot.model.getWeights());
    second.optimizer.importState(stopped.snapshot.optimizer, trainableVariables(second.model));
    const resumed = await runTraining({
      ...second,
      initial: JSON.parse(JSON.stringify(stopped.snapshot.trainer)),
    });
    expect(expected).toHaveLength(3);
    expect(losses(resumed)).toEqual(expected);
    disposeRun(first);
    disposeRun(second);
  });
});
