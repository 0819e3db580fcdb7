// The TaskRunner contract: one suite, run against every runner that can run here.
import { describe, expect, it } from 'vitest';
import type { TaskRunner, TaskStatus } from '../../../functions/runners/task-runner.ts';
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

export function taskRunnerContract(name: string, make: () => Promise<ContractSubject>): void {
  describe(`TaskRunner contract: ${name}`, () => {
    const exited = async (s: ContractSubject, jobId: string, attempt = 1) =>
      waitFor(
        async () => {
          const status = await s.runner.status({ jobId, attempt });
          return status.state === 'exited' ? status : undefined;
        },
        30_000,
        `${jobId} to exit`,
      );

    it('reports an unknown task as unknown', async () => {
      const s = await make();
      try {
        expect(await s.runner.status({ jobId: 'j-never-started', attempt: 1 })).toEqual({ state: 'unknown' });
      } finally {
        await s.close();
      }
    });

    it('runs a task to its exit code and reports it', async () => {
      const s = await make();
      try {
        const ok = s.jobFor({ exit: 0 });
        const bad = s.jobFor({ exit: 3 });
        const refs = [
          { jobId: ok, ...(await s.runner.start({ jobId: ok, attempt: 1, spec })), attempt: 1 },
          { jobId: bad, ...(await s.runner.start({ jobId: bad, attempt: 1, spec })), attempt: 1 },
        ];
        expect(await exited(s, ok)).toEqual({ state: 'exited', code: 0, signal: null });
        expect(await exited(s, bad)).toEqual({ state: 'exited', code: 3, signal: null });
        // Another attempt of the same job is a different task.
        expect((await s.runner.status({ ...refs[0], attempt: 2 } as never)).state).toBe('unknown');
      } finally {
        await s.close();
      }
    });

    it('cancels a running task: it stops, and cancelling again is harmless', async () => {
      const s = await make();
      try {
        const id = s.jobFor('sleep');
        await s.runner.start({ jobId: id, attempt: 1, spec });
        await s.ready(id);
        const running: TaskStatus = await s.runner.status({ jobId: id, attempt: 1 });
        expect(running.state).toBe('running');
        await s.runner.cancel({ jobId: id, attempt: 1 }, 'test');
        const status = await exited(s, id);
        expect(status.code === 130 || status.signal !== null).toBe(true);
        await s.runner.cancel({ jobId: id, attempt: 1 }, 'again');
      } finally {
        await s.close();
      }
    });
  });
}
