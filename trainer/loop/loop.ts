import type { Evaluation } from '../metrics/index.ts';
import { maxStoredLogits } from '../store/run-layout.ts';
import type { ExampleSplit } from './batches.ts';
import { type EpochPass, type LoopContext, prepareLoop, trainEpoch } from './epoch.ts';
import { evaluateSplit } from './evaluate.ts';
import { type EpochLogits, LogitCapture } from './logit-capture.ts';
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
    const evaluated = evaluates ? await evaluateSplits(run, epoch) : undefined;
    const scores = evaluated?.scores;
    if (scores !== undefined) latest = { epoch, ...scores };
    const record = epochRecord(epoch, pass, scores, (performance.now() - started) / 1000);
    state = stateAfterEpoch(ctx, state, record, scores);
    await hooks?.onEpoch?.(record, state);
    const newBest = scores !== undefined && state.best?.epoch === epoch;
    // Before the checkpoint, so a checkpoint never names a best epoch whose logits are not stored.
    if (evaluated?.logits !== undefined) {
      if (newBest) await hooks?.onLogits?.('best', evaluated.logits);
      if (epoch === settings.epochs) await hooks?.onLogits?.('final', evaluated.logits);
    }
    const checkpoints =
      epoch % settings.checkpointEveryEpochs === 0 ||
      epoch === settings.epochs ||
      (newBest && settings.checkpointBest === true);
    if (hooks?.onCheckpoint !== undefined && checkpoints)
      await hooks.onCheckpoint(await snapshotOf(run, state));
  }
  return { status: 'completed', state, final: latest ?? (await finalWithoutTraining(run, state)) };
}

/** A run resumed after its last epoch: evaluate once more (and store those logits as the final ones). */
async function finalWithoutTraining(run: TrainingRun, state: TrainerState): Promise<FinalScores> {
  const epoch = state.completedEpochs;
  const { scores, logits } = await evaluateSplits(run, epoch);
  if (logits !== undefined) await run.hooks?.onLogits?.('final', logits);
  return { epoch, ...scores };
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

/** Scores the test (and validation) split; with an onLogits hook, also keeps their logits. */
async function evaluateSplits(
  run: TrainingRun,
  epoch: number,
): Promise<{ scores: Scores; logits: EpochLogits | undefined }> {
  const { data, model, settings } = run;
  const keep = run.hooks?.onLogits !== undefined;
  const scoreOf = async (split: ExampleSplit) => {
    const capture = keep
      ? new LogitCapture(split.count, data.numClasses, settings.maxStoredLogits ?? maxStoredLogits)
      : undefined;
    const start = capture === undefined ? run.score : capture.wrap(run.score);
    const evaluation = await evaluateSplit(model, split, data.inputShape, settings.batchSize, start);
    return { evaluation, logits: capture?.result() ?? null };
  };
  const test = await scoreOf(data.test);
  const validation = data.validation === undefined ? undefined : await scoreOf(data.validation);
  const scores: Scores =
    validation === undefined
      ? { test: test.evaluation }
      : { test: test.evaluation, validation: validation.evaluation };
  if (!keep) return { scores, logits: undefined };
  const head = run.classifierHead?.() ?? null;
  return {
    scores,
    logits: {
      epoch,
      test: test.logits,
      ...(validation === undefined ? {} : { validation: validation.logits }),
      head,
    },
  };
}
