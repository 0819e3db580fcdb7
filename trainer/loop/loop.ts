import type { Evaluation } from '../metrics/index.ts';
import type { ExampleSplit } from './batches.ts';
import { type EpochPass, type LoopContext, prepareLoop, trainEpoch } from './epoch.ts';
import { evaluateSplit } from './evaluate.ts';
import { type EpochRecord, splitScoreOf, type TrainerState, updateBest, updateBestOnTest } from './state.ts';
import type { FinalScores, TrainingOutcome, TrainingRun, TrainingSnapshot } from './types.ts';

type Scores = { readonly test: Evaluation; readonly validation?: Evaluation };

/**
 * Trains from `run.initial` to `settings.epochs`: per-epoch LR and rebalancing, SGD steps,
 * periodic evaluation and checkpoints. Throws DivergedError on a NaN/Inf loss.
 */
export async function runTraining(run: TrainingRun): Promise<TrainingOutcome> {
  const { settings, hooks } = run;
  const ctx = prepareLoop(run);
  let state = run.initial;
  let latest: FinalScores | undefined;
  for (let epoch = state.completedEpochs + 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    const pass = await trainEpoch(ctx, state, epoch);
    if (pass.kind === 'stopped')
      return { status: 'stopped', state: pass.state, snapshot: await snapshotOf(run, pass.state) };
    const evaluates = epoch % settings.evalEveryEpochs === 0 || epoch === settings.epochs;
    const scores = evaluates ? await evaluateSplits(run, settings.batchSize) : undefined;
    if (scores !== undefined) latest = { epoch, ...scores };
    const record = epochRecord(epoch, pass, scores, (performance.now() - started) / 1000);
    state = stateAfterEpoch(ctx, state, record, scores);
    await hooks?.onEpoch?.(record, state);
    const newBest = settings.checkpointBest === true && scores !== undefined && state.best?.epoch === epoch;
    const checkpoints = epoch % settings.checkpointEveryEpochs === 0 || epoch === settings.epochs || newBest;
    if (hooks?.onCheckpoint !== undefined && checkpoints)
      await hooks.onCheckpoint(await snapshotOf(run, state));
  }
  const final = latest ?? {
    epoch: state.completedEpochs,
    ...(await evaluateSplits(run, settings.batchSize)),
  };
  return { status: 'completed', state, final };
}

async function snapshotOf(run: TrainingRun, trainer: TrainerState): Promise<TrainingSnapshot> {
  return { model: run.model, optimizer: await run.optimizer.exportState(), trainer };
}

function epochRecord(
  epoch: number,
  pass: Extract<EpochPass, { kind: 'trained' }>,
  scores: Scores | undefined,
  seconds: number,
): EpochRecord {
  return {
    epoch,
    step: pass.step,
    lr: pass.lr,
    trainLoss: pass.lossSum / Math.max(pass.examples, 1),
    trainError: pass.trainError,
    lossWeighted: pass.rebalance.lossWeights !== undefined,
    sampler: pass.rebalance.sampler,
    ...(scores === undefined ? {} : { test: splitScoreOf(scores.test) }),
    ...(scores?.validation === undefined ? {} : { validation: splitScoreOf(scores.validation) }),
    seconds,
  };
}

function stateAfterEpoch(
  ctx: LoopContext,
  state: TrainerState,
  record: EpochRecord,
  scores: Scores | undefined,
): TrainerState {
  return {
    ...state,
    completedEpochs: record.epoch,
    batchesDone: 0,
    step: record.step,
    samplerRngState: ctx.samplerRng.getState(),
    augmentRngState: ctx.augmentRng.getState(),
    partialLoss: { sum: 0, examples: 0 },
    history: [...state.history, record],
    best: scores === undefined ? state.best : updateBest(state.best, record.epoch, scores),
    bestOnTest:
      scores === undefined
        ? (state.bestOnTest ?? null)
        : updateBestOnTest(state.bestOnTest, record.epoch, scores.test),
  };
}

async function evaluateSplits(run: TrainingRun, batchSize: number): Promise<Scores> {
  const { data, model } = run;
  const scoreOf = (split: ExampleSplit): Promise<Evaluation> =>
    evaluateSplit(model, split, data.inputShape, batchSize, run.score);
  const test = await scoreOf(data.test);
  return data.validation === undefined ? { test } : { test, validation: await scoreOf(data.validation) };
}
