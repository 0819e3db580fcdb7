import { hostname } from 'node:os';
import { loadDataset, type ObjectSourceFactory } from '../data/index.ts';
import { selectBackend } from '../engine/index.ts';
import { readEvents } from '../events/log.ts';
import { reduceJobState } from '../events/reduce.ts';
import { type EventLogWriter, openEventLogWriter } from '../events/writer.ts';
import { LogShipper } from '../logs/index.ts';
import { runTraining, type TrainingOutcome, trainingRunFromSpec } from '../loop/index.ts';
import { TrainerEnv } from '../process/contract.ts';
import { defaultGraceSeconds, ExitCode } from '../process/exit-codes.ts';
import {
  type ExperimentSpec,
  parseExperimentSpecJson,
  resolveExperiment,
  SpecValidationError,
} from '../spec/index.ts';
import {
  assertJobId,
  newJobId,
  runKey,
  S3Store,
  s3OptionsFromEnv,
  storeFromEnv,
  storeFromUrl,
} from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { loadResumePoint, saveSnapshot } from './checkpoints.ts';
import { cancelledExitCode, describeFailure, exitCodeOf } from './exit-status.ts';
import { describeMemoryPlan, memoryBudgetBytesOf, memoryPlanFields } from './memory-plan.ts';
import { epochMetricEvents, perClassMetricEvents } from './metric-events.ts';
import { createProgressOutput, type ProgressOutput } from './progress.ts';
import { buildReport, writeReportFiles } from './report.ts';
import type { StopSignals } from './signals.ts';
import { loadSpec } from './spec-source.ts';
import { trainerVersion } from './version.ts';

type Env = Readonly<Record<string, string | undefined>>;

export interface TrainOptions {
  readonly spec?: string;
  readonly job?: string;
  readonly out?: string;
}

export interface TrainIo {
  readonly env: Env;
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: { write(text: string): unknown };
  readonly stop: StopSignals;
  /** Ends the process when the grace period after SIGTERM runs out. */
  readonly exit: (code: number) => void;
}

/** --out dir → local directory store; --out s3://… → that bucket/prefix; else the S3 settings of the env. */
export function openStore(out: string | undefined, env: Env): Store {
  return out === undefined ? storeFromEnv(env) : storeFromUrl(out, env);
}

async function currentAttempt(store: Store, jobId: string): Promise<number> {
  const { events } = await readEvents(store, jobId);
  return Math.max(1, reduceJobState(events).attempt);
}

function graceSecondsOf(env: Env): number {
  const raw = Number(env[TrainerEnv.graceSeconds]);
  return Number.isFinite(raw) && raw > 0 ? raw : defaultGraceSeconds;
}

/** `ldam train`: one attempt of one job, from spec to report; returns the exit code. */
export async function trainJob(options: TrainOptions, io: TrainIo): Promise<number> {
  const output = createProgressOutput(io.stdout);
  let events: EventLogWriter | undefined;
  let store: Store | undefined;
  let logs: { shipper: LogShipper; stopCapture: () => void } | undefined;
  try {
    const jobId = assertJobId(options.job ?? newJobId());
    store = openStore(options.out, io.env);
    if (io.env[TrainerEnv.shipLogs] === 'true') {
      const shipper = await LogShipper.open(store, jobId);
      logs = { shipper, stopCapture: shipper.captureProcess() };
    }
    events = await openEventLogWriter(store, jobId, 'trainer', {
      attempt: await currentAttempt(store, jobId),
    });
    const spec = await loadSpec(options.spec, store, jobId, io.env);
    return await trainValidSpec(spec, jobId, store, events, output, io);
  } catch (error) {
    const code = exitCodeOf(error);
    output.finish();
    io.stderr.write(`ldam train: ${describeFailure(error)}\n`);
    events?.append({
      kind: 'status',
      status: 'failed',
      reason: describeFailure(error).split('\n').join(' '),
      exitCode: code,
    });
    output.record('end', { status: 'failed', exitCode: code });
    return code;
  } finally {
    await events
      ?.close()
      .catch((error: unknown) =>
        io.stderr.write(`ldam train: events not flushed: ${describeFailure(error)}\n`),
      );
    logs?.stopCapture();
    await logs?.shipper
      .close()
      .catch((error: unknown) =>
        io.stderr.write(`ldam train: logs not shipped: ${describeFailure(error)}\n`),
      );
    if (store instanceof S3Store) store.close();
  }
}

async function trainValidSpec(
  spec: ExperimentSpec,
  jobId: string,
  store: Store,
  events: EventLogWriter,
  output: ProgressOutput,
  io: TrainIo,
): Promise<number> {
  const resolved = resolveExperiment(spec);
  await recordSpec(store, jobId, spec);
  const budgetBytes = memoryBudgetBytesOf(io.env);
  const backend = await selectBackend(undefined, io.env as NodeJS.ProcessEnv, { cpus: spec.resources.cpus });
  const compute = backend.threads === undefined ? {} : { threads: backend.threads, isa: backend.isa };
  const startedAt = new Date().toISOString();
  events.append({ kind: 'status', status: 'running' });
  events.append({
    kind: 'note',
    message: `backend ${backend.backend}`,
    data: { backend: backend.backend, device: backend.device, ...compute },
  });
  const runInfo = {
    trainerVersion,
    backend: backend.backend,
    device: backend.device,
    ...compute,
    startedAt,
    host: hostname(),
    pid: process.pid,
    node: process.version,
  };
  await writeRunInfo(store, jobId, runInfo);
  output.record('start', {
    jobId,
    backend: backend.backend,
    device: backend.device,
    epochs: spec.schedule.epochs,
    store: store.describe(),
  });

  const objectSources: ObjectSourceFactory = (bucket) => new S3Store(s3OptionsFromEnv(io.env, { bucket }));
  const dataset = await loadDataset(spec.dataset, { env: io.env, objectSources });
  events.append({
    kind: 'note',
    message: `data loaded: ${dataset.train.count} training images`,
    data: { classCounts: dataset.classCounts, location: dataset.location },
  });

  const resume = await loadResumePoint(store, jobId);
  if (resume !== undefined) {
    const { completedEpochs, batchesDone } = resume.trainer;
    const where =
      batchesDone > 0 ? `epoch ${completedEpochs + 1}, batch ${batchesDone}` : `epoch ${completedEpochs}`;
    events.append({
      kind: 'note',
      message: `resumed from ${where}`,
      data: {
        completedEpochs,
        batchesDone,
        ...(resume.fallbackReason === undefined ? {} : { fallbackReason: resume.fallbackReason }),
      },
    });
    output.record('resume', { completedEpochs, batchesDone });
  }

  const keepLast = spec.checkpoint.keepLast;
  const run = trainingRunFromSpec(resolved, dataset, {
    ...(resume === undefined
      ? {}
      : { model: resume.model, resume: { optimizer: resume.optimizer, trainer: resume.trainer } }),
    signal: io.stop.signal,
    memory: { backend: backend.backend, ...(budgetBytes === undefined ? {} : { budgetBytes }) },
    hooks: {
      onProgress: (p) => output.step(p),
      onEpoch: async (record) => {
        for (const event of epochMetricEvents(record)) events.append(event);
        output.record('epoch', {
          epoch: record.epoch,
          lr: record.lr,
          trainLoss: record.trainLoss,
          ...(record.test === undefined
            ? {}
            : { testTop1Error: record.test.top1Error, testBalancedError: record.test.balancedError }),
          ...(record.validation === undefined ? {} : { valBalancedError: record.validation.balancedError }),
          seconds: record.seconds,
        });
      },
      onCheckpoint: async (snapshot) => {
        const label = await saveSnapshot(store, jobId, snapshot, keepLast);
        events.append({ kind: 'note', message: `checkpoint at epoch ${label}`, data: { epoch: label } });
      },
    },
  });

  if (run.memoryPlan !== undefined) {
    const memoryPlan = memoryPlanFields(run.memoryPlan);
    events.append({ kind: 'note', message: describeMemoryPlan(run.memoryPlan), data: memoryPlan });
    await writeRunInfo(store, jobId, { ...runInfo, memoryPlan });
    output.record('micro-batches', memoryPlan);
  }

  let outcome: TrainingOutcome;
  try {
    outcome = await runTraining(run);
  } finally {
    run.optimizer.dispose();
  }
  output.finish();
  if (outcome.status === 'stopped') {
    const code = await stopAfterSignal(outcome, jobId, store, events, output, io, keepLast);
    run.model.dispose();
    return code;
  }

  const { state, final } = outcome;
  for (const event of perClassMetricEvents(final.epoch, state.step, final.test)) events.append(event);
  const report = buildReport({
    jobId,
    resolved,
    backend: { name: backend.backend, device: backend.device },
    classNames: dataset.classNames,
    classCounts: dataset.classCounts,
    state,
    final,
  });
  const keys = await writeReportFiles(store, jobId, report);
  run.model.dispose();
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
  jobId: string,
  store: Store,
  events: EventLogWriter,
  output: ProgressOutput,
  io: TrainIo,
  keepLast: number,
): Promise<number> {
  if (io.stop.reason() === 'cancelled') {
    events.append({
      kind: 'status',
      status: 'cancelled',
      reason: 'stopped on SIGINT (no checkpoint)',
      exitCode: cancelledExitCode,
    });
    output.record('end', { status: 'cancelled', exitCode: cancelledExitCode });
    return cancelledExitCode;
  }
  const label = await saveSnapshot(store, jobId, outcome.snapshot, keepLast);
  const { completedEpochs, batchesDone } = outcome.state;
  events.append({
    kind: 'note',
    message: `preempted: checkpoint at epoch ${label} (batch ${batchesDone})`,
    data: { epoch: label, completedEpochs, batchesDone },
  });
  output.record('end', { status: 'interrupted', exitCode: ExitCode.interrupted, checkpointEpoch: label });
  return ExitCode.interrupted;
}

/** After SIGTERM: exit 75 once the grace period is over even if the checkpoint is not done (the previous one stands). */
export function armGraceDeadline(io: TrainIo): void {
  void io.stop.requested.then((reason) => {
    if (reason !== 'preempted') return;
    const seconds = graceSecondsOf(io.env);
    setTimeout(() => {
      io.stderr.write(
        `ldam train: grace period of ${seconds}s over; exiting before the checkpoint completed\n`,
      );
      io.exit(ExitCode.interrupted);
    }, seconds * 1000).unref();
  });
}

async function writeRunInfo(store: Store, jobId: string, info: Record<string, unknown>): Promise<void> {
  await store.put(runKey(jobId, 'run.json'), `${JSON.stringify(info, null, 2)}\n`, {
    contentType: 'application/json',
  });
}

/**
 * Stores the job's spec once; a resumed job re-validates the stored one and refuses a different
 * spec, so a job's artifacts never mix two experiments.
 */
async function recordSpec(store: Store, jobId: string, spec: ExperimentSpec): Promise<void> {
  const key = runKey(jobId, 'spec.json');
  const created = await store.putIfAbsent(key, `${JSON.stringify(spec, null, 2)}\n`, {
    contentType: 'application/json',
  });
  if (created) return;
  const stored = parseExperimentSpecJson(new TextDecoder().decode(await store.get(key)));
  if (JSON.stringify(stored) !== JSON.stringify(spec))
    throw new SpecValidationError([
      { path: '', rule: `job ${jobId} already has a different spec.json; use a new --job id` },
    ]);
}
