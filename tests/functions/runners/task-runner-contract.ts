// The TaskRunner contract: one suite, run against every runner that can run here.
import { describe, expect, it } from 'vitest';
import type { TaskRef, TaskRunner, TaskStatus } from '../../../functions/runners/task-runner.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { tinySpec, waitFor } from '../support.ts';

export interface ContractSubject {
  readonly runner: TaskRunner;
  /** A job id whose task exits with `code` on its own; `sleep` tasks run until cancelled. */
  jobFor(behaviour: { exit: number } | 'sleep'): string;
  /** Resolves once a sleeping task is ready to be signalled. */
  ready(jobId: string): Promise<void>;
  close(): Promise<void>;
}

const spec = parseExperimentSpec(tinySpec());

/** How a trainer ends when its runner stops it: 130 on SIGINT, 75 after a SIGTERM checkpoint, or a signal. */
const stoppedExit = (status: Extract<TaskStatus, { state: 'exited' }>): boolean =>
  status.code === 130 || status.code === 75 || status.signal !== null;

export function taskRunnerContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`TaskRunner contract: ${name}`, () => {
    // The ref the supervisor keeps: the started task's externalId (AWS Batch's job id) included.
    const start = async (s: ContractSubject, jobId: string): Promise<TaskRef> => ({
      jobId,
      attempt: 1,
      ...(await s.runner.start({ jobId, attempt: 1, spec })),
    });
    const exited = async (s: ContractSubject, ref: TaskRef) =>
      waitFor(
        async () => {
          const status = await s.runner.status(ref);
          return status.state === 'exited' ? status : undefined;
        },
        30_000,
        `${ref.jobId} to exit`,
      );

    it('reports an unknown task as unknown', async () => {
      const s = await make();
      try {
        const never = { jobId: 'j-never-started', attempt: 1, externalId: 'never-submitted' };
        expect(await s.runner.status(never)).toMatchObject({ state: 'unknown' });
      } finally {
        await s.close();
      }
    });

    it('runs a task to its exit code and reports it', async () => {
      const s = await make();
      try {
        const ok = s.jobFor({ exit: 0 });
        const bad = s.jobFor({ exit: 3 });
        const okRef = await start(s, ok);
        const badRef = await start(s, bad);
        expect(await exited(s, okRef)).toEqual({ state: 'exited', code: 0, signal: null });
        expect(await exited(s, badRef)).toEqual({ state: 'exited', code: 3, signal: null });
        // Another attempt of the same job is a different task.
        expect((await s.runner.status({ jobId: ok, attempt: 2 })).state).toBe('unknown');
      } finally {
        await s.close();
      }
    });

    it('cancels a running task: it stops, and cancelling again is harmless', async () => {
      const s = await make();
      try {
        const id = s.jobFor('sleep');
        const ref = await start(s, id);
        await s.ready(id);
        const running: TaskStatus = await s.runner.status(ref);
        expect(running.state).toBe('running');
        await s.runner.cancel(ref, 'test');
        expect(stoppedExit(await exited(s, ref))).toBe(true);
        await s.runner.cancel(ref, 'again');
      } finally {
        await s.close();
      }
    });
  });
}
