import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalRunner } from '../../../functions/runners/local-runner.ts';
import { parseExperimentSpec } from '../../../trainer/spec/index.ts';
import { standInTrainer, tinySpec, waitFor } from '../support.ts';
import { type ContractSubject, taskRunnerContract } from './task-runner-contract.ts';

// Each job's behaviour rides on its id: the stand-in reads STAND_IN_MODE, so a tiny wrapper
// script per job sets it (the runner passes the same env to every child).
async function localSubject(
  maxConcurrent = 2,
): Promise<ContractSubject & { dir: string; runner: LocalRunner }> {
  const dir = await mkdtemp(join(tmpdir(), 'ldam-runner-'));
  const wrapper = join(dir, 'by-id.mjs');
  await writeFile(
    wrapper,
    `const id = process.argv[4] ?? '';\nprocess.env.STAND_IN_MODE = id.startsWith('j-exit') ? 'exit:' + id.split('-')[2] : 'sleep';\nawait import(${JSON.stringify(standInTrainer)});\n`,
  );
  let n = 0;
  const runner = new LocalRunner({
    command: [process.execPath, wrapper],
    cwd: dir,
    env: { PATH: process.env.PATH },
    maxConcurrent,
    graceMs: 2000,
  });
  return {
    dir,
    runner,
    jobFor: (b) => (b === 'sleep' ? `j-sleep-${n++}` : `j-exit-${b.exit}-${n++}`),
    ready: async (id) => {
      await waitFor(
        async () => (existsSync(join(dir, `ready-${id}`)) ? true : undefined),
        10_000,
        'stand-in ready',
      );
    },
    close: async () => {
      await runner.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

taskRunnerContract('local child processes', () => localSubject());

describe('LocalRunner', () => {
  const spec = parseExperimentSpec(tinySpec());

  it('runs at most maxConcurrent tasks, starting the rest in submission order', async () => {
    const s = await localSubject(1);
    try {
      const started: string[] = [];
      s.runner.onStart((ref) => started.push(ref.jobId));
      const [a, b, c] = [s.jobFor('sleep'), s.jobFor('sleep'), s.jobFor({ exit: 0 })];
      for (const id of [a, b, c]) await s.runner.start({ jobId: id as string, attempt: 1, spec });
      await s.ready(a as string);
      expect((await s.runner.status({ jobId: b as string, attempt: 1 })).state).toBe('pending');
      await s.runner.cancel({ jobId: b as string, attempt: 1 }, 'dropped from the queue');
      expect(await s.runner.status({ jobId: b as string, attempt: 1 })).toEqual({
        state: 'exited',
        code: null,
        signal: null,
      });
      await s.runner.cancel({ jobId: a as string, attempt: 1 }, 'free the slot');
      await waitFor(async () =>
        (await s.runner.status({ jobId: c as string, attempt: 1 })).state === 'exited' ? true : undefined,
      );
      expect(started).toEqual([a, c]);
    } finally {
      await s.close();
    }
  });

  it('interrupts running tasks with SIGTERM on close (the trainer checkpoints and exits 75)', async () => {
    const s = await localSubject();
    const exits: (number | null)[] = [];
    s.runner.onExit((_, status) => exits.push(status.code));
    const id = s.jobFor('sleep');
    await s.runner.start({ jobId: id, attempt: 1, spec });
    await s.ready(id);
    await s.close();
    expect(exits).toEqual([75]);
    await expect(s.runner.start({ jobId: 'j-exit-0-9', attempt: 1, spec })).rejects.toThrow(/shutting down/);
  });
});
