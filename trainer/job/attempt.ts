// One attempt of one job, once its spec is parsed and its store and event log are open:
// prepare (spec, backend, run.json, data, resume point), train, then finish (report) or stop
// (checkpoint on preemption). The CLI opens the ports and maps a thrown error to its exit code.
import type * as tf from '@tensorflow/tfjs';
import { loadResumePoint, type ResumePoint, resumeNote, saveSnapshot } from '../checkpoint/index.ts';
import { type LoadedDataset, loadDataset, type ObjectSourceFactory, type Vocabulary } from '../data/index.ts';
import { type SelectedBackend, selectCheckedBackend } from '../engine/index.ts';
import { epochMetricEvents, perClassMetricEvents } from '../events/metrics.ts';
import type { EventLogWriter } from '../events/writer.ts';
import {
  type ComposedRun,
  modelFromSpec,
  runTraining,
  type StepProgress,
  type TrainingOutcome,
  trainingRunFromSpec,
} from '../loop/index.ts';
import { freezeFeatures, withStage1Features } from '../models/index.ts';
import { cancelledExitCode, ExitCode } from '../process/exit-codes.ts';
import { buildReport, posthocRowsFromStore, storeEpochLogits, writeReportFiles } from '../reports/index.ts';
import { type ExperimentSpec, type ResolvedExperiment, resolveExperiment } from '../spec/index.ts';
import { S3Store, s3OptionsFromEnv } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { recordDatasetInfo } from './dataset-info.ts';
import { recordJobSpec } from './job-spec.ts';
import { describeMemoryPlan, memoryBudgetBytesOf, memoryPlanFields } from './memory-plan.ts';
import { computeOf, type RunInfo, runInfoOf, writeRunInfo } from './run-info.ts';
import { loadStage1, type Stage1Features } from './stage2.ts';
import { trainerVersion } from './version.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Where an attempt reports progress (the CLI's bar or JSON lines). */
export interface AttemptOutput {
  record(kind: string, fields: Record<string, unknown>): void;
  step(progress: StepProgress): void;
  finish(): void;
}

export interface AttemptPorts {
  readonly jobId: string;
  readonly store: Store;
  readonly events: EventLogWriter;
  readonly output: AttemptOutput;
  readonly env: Env;
  /** SIGTERM (preempted) or SIGINT (cancelled) aborts `signal`; `reason` says which. */
  readonly stop: { readonly signal: AbortSignal; reason(): 'preempted' | 'cancelled' | undefined };
}

/** The job's spec and whether this attempt brought it (then it is stored as the job's, once). */
export interface AttemptSpec {
  readonly spec: ExperimentSpec;
  readonly given: boolean;
}

interface Prepared {
  readonly resolved: ResolvedExperiment;
  readonly backend: SelectedBackend;
  readonly runInfo: RunInfo;
  readonly dataset: LoadedDataset;
  readonly resume: ResumePoint | undefined;
  /** A stage-2 job's first attempt: the stage-1 network whose features it starts from. */
  readonly stage1: Stage1Features | undefined;
}

/** Runs the attempt to its exit code: 0 with a report, 75 after a preemption checkpoint, 130 cancelled. */
export async function runAttempt(input: AttemptSpec, ports: AttemptPorts): Promise<number> {
  const prepared = await prepareAttempt(input, ports);
  const run = composeRun(prepared, ports);
  await recordMemoryPlan(run, prepared.runInfo, ports);
  let outcome: TrainingOutcome;
  try {
    outcome = await runTraining(run);
  } finally {
    run.optimizer.dispose();
  }
  ports.output.finish();
  try {
    return outcome.status === 'stopped'
      ? await stopAfterSignal(
          outcome,
          ports,
          prepared.resolved.spec.checkpoint.keepLast,
          prepared.dataset.vocabulary,
        )
      : await finishAttempt(outcome, prepared, ports);
  } finally {
    run.model.dispose();
  }
}

async function prepareAttempt(input: AttemptSpec, ports: AttemptPorts): Promise<Prepared> {
  const { spec } = input;
  const { jobId, store, events, output, env } = ports;
  const resolved = resolveExperiment(spec);
  if (input.given) await recordJobSpec(store, jobId, spec);
  // On tensorflow-gpu the GPU must prove usable first (exit 5 otherwise), never a silent CPU run.
  const backend = await selectCheckedBackend(env as NodeJS.ProcessEnv, {}, { cpus: spec.resources.cpus });
  const startedAt = new Date();
  events.append({ kind: 'status', status: 'running' });
  events.append({
    kind: 'note',
    message: `backend ${backend.backend}`,
    data: { backend: backend.backend, device: backend.device, ...computeOf(backend) },
  });
  let runInfo = runInfoOf(trainerVersion, backend, startedAt);
  await writeRunInfo(store, jobId, runInfo);
  output.record('start', {
    jobId,
    backend: backend.backend,
    device: backend.device,
    epochs: spec.schedule.epochs,
    store: store.describe(),
  });
  const objectSources: ObjectSourceFactory = (bucket) => new S3Store(s3OptionsFromEnv(env, { bucket }));
  // The checkpoint first: a text run encodes its data with the checkpoint's vocabulary.
  const resume = await loadResumePoint(store, jobId);
  const stage1 = resume === undefined ? await loadStage1(store, spec) : undefined;
  const dataset = await loadDataset(spec.dataset, {
    env,
    objectSources,
    vocabulary: resume?.vocabulary ?? stage1?.vocabulary,
    augment: spec.augment,
  });
  events.append({
    kind: 'note',
    message: `data loaded: ${dataset.train.count} training ${dataset.vocabulary === undefined ? 'images' : 'texts'}`,
    data: {
      classCounts: dataset.classCounts,
      location: dataset.location,
      ...(dataset.loader === undefined ? {} : { loader: dataset.loader }),
    },
  });
  const datasetInfo = await recordDatasetInfo(store, jobId, dataset);
  if (Object.keys(datasetInfo).length > 0) {
    runInfo = { ...runInfo, ...datasetInfo };
    await writeRunInfo(store, jobId, runInfo);
  }
  if (resume !== undefined) {
    events.append(resumeNote(resume));
    const { completedEpochs, batchesDone } = resume.trainer;
    output.record('resume', { completedEpochs, batchesDone });
  }
  if (stage1 !== undefined)
    events.append({
      kind: 'note',
      message: `stage 2: frozen features of job ${stage1.jobId} (epoch ${stage1.epoch}), classifier re-initialised`,
      data: { fromJob: stage1.jobId, fromEpoch: stage1.epoch },
    });
  return { resolved, backend, runInfo, dataset, resume, stage1 };
}

/** The model to train: the checkpoint's, or stage 1's features under a new head, or undefined (fresh). */
function startingModel(prepared: Prepared): tf.LayersModel | undefined {
  const { resolved, dataset, resume, stage1 } = prepared;
  if (resume !== undefined) {
    if (resolved.spec.stage2 !== undefined) freezeFeatures(resume.model);
    return resume.model;
  }
  if (stage1 === undefined) return undefined;
  try {
    return withStage1Features(stage1.model, modelFromSpec(resolved, dataset, 'stage2-init'));
  } finally {
    stage1.model.dispose();
  }
}

function composeRun(prepared: Prepared, ports: AttemptPorts): ComposedRun {
  const { resolved, backend, dataset, resume } = prepared;
  const { jobId, store, events, output, env } = ports;
  const budgetBytes = memoryBudgetBytesOf(env);
  const keepLast = resolved.spec.checkpoint.keepLast;
  const model = startingModel(prepared);
  return trainingRunFromSpec(resolved, dataset, {
    ...(model === undefined ? {} : { model }),
    ...(resume === undefined ? {} : { resume: { optimizer: resume.optimizer, trainer: resume.trainer } }),
    signal: ports.stop.signal,
    memory: { backend: backend.backend, ...(budgetBytes === undefined ? {} : { budgetBytes }) },
    hooks: {
      onProgress: (p) => output.step(p),
      onEpoch: async (record) => {
        for (const event of epochMetricEvents(record)) events.append(event);
        output.record('epoch', {
          epoch: record.epoch,
          lr: record.lr,
          trainLoss: record.trainLoss,
          ...(record.trainError == null ? {} : { trainError: record.trainError }),
          ...(record.test === undefined
            ? {}
            : {
                testTop1Error: record.test.top1Error,
                ...(record.test.top5Error == null ? {} : { testTop5Error: record.test.top5Error }),
                testBalancedError: record.test.balancedError,
              }),
          ...(record.validation === undefined ? {} : { valBalancedError: record.validation.balancedError }),
          seconds: record.seconds,
        });
      },
      onLogits: async (point, logits) => {
        await storeEpochLogits(store, jobId, point, logits);
      },
      onCheckpoint: async (snapshot) => {
        const label = await saveSnapshot(store, jobId, snapshot, keepLast, dataset.vocabulary);
        events.append({ kind: 'note', message: `checkpoint at epoch ${label}`, data: { epoch: label } });
      },
    },
  });
}

async function recordMemoryPlan(run: ComposedRun, runInfo: RunInfo, ports: AttemptPorts): Promise<void> {
  if (run.memoryPlan === undefined) return;
  const memoryPlan = memoryPlanFields(run.memoryPlan);
  ports.events.append({ kind: 'note', message: describeMemoryPlan(run.memoryPlan), data: memoryPlan });
  await writeRunInfo(ports.store, ports.jobId, { ...runInfo, memoryPlan });
  ports.output.record('micro-batches', memoryPlan);
}

async function finishAttempt(
  outcome: Extract<TrainingOutcome, { status: 'completed' }>,
  prepared: Prepared,
  ports: AttemptPorts,
): Promise<number> {
  const { state, final } = outcome;
  const { jobId, events, output } = ports;
  for (const event of perClassMetricEvents(final.epoch, state.step, final.test)) events.append(event);
  const { dataset, resolved } = prepared;
  const posthoc = await posthocRowsFromStore(ports.store, jobId, {
    trainCounts: dataset.classCounts,
    classifier: resolved.classifier,
    epochs: { final: final.epoch, best: state.best?.epoch ?? final.epoch },
    splitSizes: {
      test: dataset.test.count,
      ...(dataset.validation === undefined ? {} : { validation: dataset.validation.count }),
    },
  });
  const report = buildReport({
    jobId,
    resolved,
    backend: { name: prepared.backend.backend, device: prepared.backend.device },
    classNames: dataset.classNames,
    classCounts: dataset.classCounts,
    state,
    final,
    posthoc,
  });
  const keys = await writeReportFiles(ports.store, jobId, report);
  events.append({ kind: 'note', message: 'report written', data: { keys } });
  events.append({ kind: 'status', status: 'succeeded', exitCode: ExitCode.ok });
  output.record('end', {
    status: 'succeeded',
    exitCode: ExitCode.ok,
    testBalancedError: final.test.balancedError,
    bestEpoch: report.best.epoch,
  });
  return ExitCode.ok;
}

async function stopAfterSignal(
  outcome: Extract<TrainingOutcome, { status: 'stopped' }>,
  ports: AttemptPorts,
  keepLast: number,
  vocabulary: Vocabulary | undefined,
): Promise<number> {
  const { jobId, store, events, output } = ports;
  if (ports.stop.reason() === 'cancelled') {
    events.append({
      kind: 'status',
      status: 'cancelled',
      reason: 'stopped on SIGINT (no checkpoint)',
      exitCode: cancelledExitCode,
    });
    output.record('end', { status: 'cancelled', exitCode: cancelledExitCode });
    return cancelledExitCode;
  }
  const label = await saveSnapshot(store, jobId, outcome.snapshot, keepLast, vocabulary);
  const { completedEpochs, batchesDone } = outcome.state;
  events.append({
    kind: 'note',
    message: `preempted: checkpoint at epoch ${label} (batch ${batchesDone})`,
    data: { epoch: label, completedEpochs, batchesDone },
  });
  output.record('end', { status: 'interrupted', exitCode: ExitCode.interrupted, checkpointEpoch: label });
  return ExitCode.interrupted;
}
