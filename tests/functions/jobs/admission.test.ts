import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActiveJobLimitReached } from '../../../functions/errors.ts';
import { Admission, type JobActivity, liveEntries } from '../../../functions/jobs/admission.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';

const now = new Date('2026-12-01T12:00:00.000Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

describe('liveEntries', () => {
  const activity = new Map<string, JobActivity>([
    ['running', { active: true, lastChange: minutesAgo(60) }],
    ['ended', { active: false, lastChange: minutesAgo(1) }],
    ['retried', { active: false, lastChange: minutesAgo(3) }],
  ]);
  const pendingMs = 5 * 60_000;

  it('keeps live attempts and fresh admissions whose attempt is not recorded yet', () => {
    const entries = [
      { id: 'running', since: minutesAgo(60) },
      { id: 'ended', since: minutesAgo(2) },
      { id: 'retried', since: minutesAgo(2) },
      { id: 'unrecorded', since: minutesAgo(1) },
      { id: 'abandoned', since: minutesAgo(10) },
    ];
    expect(liveEntries(entries, activity, now, pendingMs).map((e) => e.id)).toEqual([
      'running',
      'retried',
      'unrecorded',
    ]);
  });
});

describe('Admission over a local-directory store', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function admission(activity: Map<string, JobActivity>) {
    const dir = await mkdtemp(join(tmpdir(), 'ldam-admission-'));
    dirs.push(dir);
    return new Admission({
      store: new LocalDirStore(dir),
      clock: () => now,
      activity: async (id) => activity.get(id) ?? { active: false, lastChange: undefined },
    });
  }

  it('refuses past the limit, admits again once a job ends, and seeds from existing jobs once', async () => {
    const activity = new Map<string, JobActivity>([['old', { active: true, lastChange: minutesAgo(9) }]]);
    const gate = await admission(activity);
    let seeded = 0;
    const seed = async () => {
      seeded += 1;
      return ['old'];
    };
    await gate.admit('alice', 'a', 2, seed);
    await expect(gate.admit('alice', 'b', 2, seed)).rejects.toBeInstanceOf(ActiveJobLimitReached);
    expect(seeded).toBe(1);
    activity.set('old', { active: false, lastChange: now.toISOString() });
    await gate.admit('alice', 'b', 2, seed);
    await gate.admit('bob', 'c', 2, async () => []);
  });

  it('frees a released slot at once', async () => {
    const gate = await admission(new Map());
    await gate.admit('alice', 'a', 1, async () => []);
    await expect(gate.admit('alice', 'b', 1, async () => [])).rejects.toBeInstanceOf(ActiveJobLimitReached);
    await gate.release('alice', 'a');
    await gate.admit('alice', 'b', 1, async () => []);
  });
});
