import { afterEach, describe, expect, it } from 'vitest';
import { ApiMetrics } from '../../functions/metrics/api-metrics.ts';
import type { JobState } from '../../trainer/events/reduce.ts';
import { makeTestApi, type TestApi, tinySpec, waitFor } from './support.ts';

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** The value of one sample line, e.g. `ldam_jobs{status="succeeded"}`. */
const sample = (text: string, name: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
};

const state = (transitions: JobState['transitions'], extra: Partial<JobState> = {}): JobState =>
  ({
    status: transitions.at(-1)?.status ?? 'queued',
    attempt: transitions.at(-1)?.attempt ?? 0,
    transitions,
    cancelRequested: false,
    terminal: ['succeeded', 'failed', 'cancelled', 'timed_out'].includes(transitions.at(-1)?.status ?? ''),
    lastEpoch: 0,
    epochTimes: new Map(),
    latestMetrics: {},
    ...extra,
  }) as JobState;

describe('operators’ metrics', () => {
  it('counts each transition once: queue wait, run time, exits by code (a preemption too)', async () => {
    const metrics = new ApiMetrics();
    const t = (status: JobState['status'], second: number, attempt: number, reason?: string) => ({
      status,
      attempt,
      time: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
      ...(reason === undefined ? {} : { reason }),
    });
    const queued = [t('queued', 0, 1), t('starting', 4, 1)];
    metrics.observe('a', state(queued));
    const preempted = [
      ...queued,
      t('running', 5, 1),
      t('queued', 20, 2, 'interrupted after a checkpoint (exit 75); resuming as attempt 2'),
    ];
    metrics.observe('a', state(preempted));
    const done = [...preempted, t('starting', 22, 2), t('succeeded', 50, 2)];
    metrics.observe('a', state(done, { exitCode: 0 }));
    metrics.observe('a', state(done, { exitCode: 0 }));
    const text = await metrics.text();
    expect(sample(text, 'ldam_jobs{status="succeeded"}')).toBe(1);
    expect(sample(text, 'ldam_jobs{status="running"}')).toBe(0);
    expect(sample(text, 'ldam_job_queue_wait_seconds_count')).toBe(2);
    expect(sample(text, 'ldam_job_queue_wait_seconds_sum')).toBe(4 + 2);
    expect(sample(text, 'ldam_job_run_seconds_count')).toBe(1);
    expect(sample(text, 'ldam_job_run_seconds_sum')).toBe(28);
    expect(sample(text, 'ldam_trainer_exits_total{code="75"}')).toBe(1);
    expect(sample(text, 'ldam_trainer_exits_total{code="0"}')).toBe(1);
  });

  it('serves GET /metrics in Prometheus format after a job ran', async () => {
    api = await makeTestApi();
    const created = (await (
      await api.app.request('/v1/jobs', {
        method: 'POST',
        body: JSON.stringify(tinySpec()),
        headers: { 'content-type': 'application/json' },
      })
    ).json()) as { id: string };
    const a = api;
    await waitFor(async () => {
      const view = (await (await a.app.request(`/v1/jobs/${created.id}`)).json()) as { status: string };
      return view.status === 'succeeded' ? true : undefined;
    });
    const response = await api.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(sample(text, 'ldam_jobs{status="succeeded"}')).toBe(1);
    expect(sample(text, 'ldam_trainer_exits_total{code="0"}')).toBe(1);
    expect(sample(text, 'ldam_job_queue_wait_seconds_count')).toBe(1);
    expect(sample(text, 'ldam_job_run_seconds_count')).toBe(1);
    expect(sample(text, 'ldam_store_retries_total')).toBeGreaterThanOrEqual(0);
  });

  it('needs a key when keys are configured', async () => {
    api = await makeTestApi({ env: { LDAM_API_KEYS: 'ops:metrics-token-1' } });
    expect((await api.app.request('/metrics')).status).toBe(401);
    const ok = await api.app.request('/metrics', { headers: { authorization: 'Bearer metrics-token-1' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE ldam_jobs gauge');
  });
});
