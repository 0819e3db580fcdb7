// Restarts with real processes: `ldam serve` SIGKILLed mid-run, then started again on the same
// data, resumes the job from its checkpoint as a new attempt once the old trainer is gone; a
// SIGTERM stops the server within the trainers' grace period, the job queued for the next start.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from '../trainer/cli/child.ts';
import { longSpec, processAlive, readUntil, serverEnv } from './support.ts';

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

const started: ChildProcess[] = [];
let dataDir = '';
afterAll(async () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

async function serve(): Promise<Server> {
  const env = serverEnv(dataDir, { LDAM_BACKEND: 'wasm' });
  const child = spawn(process.execPath, ['bin/ldam.mjs', 'serve', '--port', '0'], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  child.stdout?.resume();
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /ldam API on (http:\/\/[\d.:]+)/.exec(stderr);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`ldam serve exited ${code}: ${stderr}`)));
  });
  return { child, url };
}

interface View {
  status: string;
  attempt: number;
  progress: { epoch: number };
  transitions: { status: string; attempt: number; reason?: string }[];
}

const view = async (server: Server, id: string): Promise<View> =>
  (await (await fetch(`${server.url}/v1/jobs/${id}`)).json()) as View;
const until = (server: Server, id: string, ok: (v: View) => boolean, ms = 60_000) =>
  readUntil(() => view(server, id), ok, ms, 'the job');
// Long enough to be SIGKILLed mid-run, and again SIGTERMed on the next start.
const longRun = longSpec(300, 32);

it('resumes a job after the server is SIGKILLed, with one writer, and re-queues it on SIGTERM', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ldam-restart-'));
  const first = await serve();
  const submitted = await fetch(`${first.url}/v1/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(longRun),
  });
  const { id } = (await submitted.json()) as { id: string };
  await until(first, id, (v) => v.progress.epoch >= 1, 90_000);
  const events = (await (await fetch(`${first.url}/v1/jobs/${id}/events?after=`)).json()) as {
    events: { kind: string; data?: { task?: { externalId?: string } } }[];
  };
  const externalId = events.events.find((e) => e.kind === 'note' && e.data?.task?.externalId)?.data?.task
    ?.externalId;
  const trainerPid = Number(externalId?.split(':')[1]);
  expect(await processAlive(trainerPid)).toBe(true);

  first.child.kill('SIGKILL');
  await once(first.child, 'exit');
  const second = await serve();
  const resumed = await until(second, id, (v) => v.attempt === 2);
  // The old trainer was made sure gone before attempt 2 was queued: never two writers on one run.
  expect(await processAlive(trainerPid)).toBe(false);
  expect(resumed.transitions.find((t) => t.attempt === 2)?.reason).toMatch(
    /^trainer process lost \(.+\); resuming from the checkpoint of epoch \d+ as attempt 2 of at most 3$/,
  );
  await until(second, id, (v) => v.attempt === 2 && v.status === 'running');

  const stopAt = Date.now();
  second.child.kill('SIGTERM');
  const [code] = (await once(second.child, 'exit')) as [number | null];
  expect(code).toBe(0);
  // Within the trainer's 25 s grace plus a few seconds, not the store's 300 s retry deadline.
  expect(Date.now() - stopAt).toBeLessThan(30_000);

  const third = await serve();
  const requeued = await view(third, id);
  const attempt3 = requeued.transitions.find((t) => t.attempt === 3);
  expect(attempt3?.reason).toMatch(/interrupted after a checkpoint \(exit 75\); resuming as attempt 3/);
  expect(requeued.transitions.filter((t) => t.status === 'failed')).toEqual([]);
  third.child.kill('SIGTERM');
  await once(third.child, 'exit');
}, 240_000);
