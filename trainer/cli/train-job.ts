import { readJobSnapshot } from '../events/snapshot.ts';
import { type EventLogWriter, openEventLogWriter } from '../events/writer.ts';
import { runAttempt } from '../job/attempt.ts';
import { readJobSpec } from '../job/job-spec.ts';
import { LogShipper } from '../logs/index.ts';
import { TrainerEnv } from '../process/contract.ts';
import { defaultGraceSeconds, ExitCode } from '../process/exit-codes.ts';
import { assertJobId, newJobId, S3Store, storeFromEnv, storeFromUrl } from '../store/index.ts';
import type { Store } from '../store/store.ts';
import { describeFailure, exitCodeOf } from './exit-status.ts';
import { createProgressOutput } from './progress.ts';
import type { StopSignals } from './signals.ts';
import { loadSpec } from './spec-source.ts';

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
  // The job's snapshot, caught up to the log: a few reads however long the job's history.
  const { state } = await readJobSnapshot(store, jobId, { probeTerminal: true });
  return Math.max(1, state.attempt);
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
    // Parsed once: the --spec given (stored as the job's by the attempt), else the job's own.
    const given = options.spec === undefined ? undefined : await loadSpec(options.spec, io.env);
    const spec = given ?? (await readJobSpec(store, jobId));
    const ports = { jobId, store, events, output, env: io.env, stop: io.stop };
    return await runAttempt({ spec, given: given !== undefined }, ports);
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
