import { afterEach, describe, expect, it } from 'vitest';
import { bearerOf, makeTestApi, type TestApi, tinySpec, twoOwnerKeys, waitFor } from '../support.ts';

// Admission of a stage-2 (cRT) job through the real app: the stage-1 job must be the caller's (404),
// succeeded (409) and of the same dataset, model and head (422); a refused request stores nothing.

let api: TestApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const stage1Spec = tinySpec({ loss: { type: 'ce' }, rebalance: { rule: 'none' } });
const stage2Spec = (fromJob: string, overrides: Record<string, unknown> = {}) => ({
  ...stage1Spec,
  rebalance: { rule: 'resample', weighting: 'inverse-frequency' },
  stage2: { fromJob },
  ...overrides,
});

interface Answer {
  readonly id: string;
  readonly error: { code: string; message: string; issues: { path: string }[] };
}

async function submit(a: TestApi, spec: unknown, owner: 'alice' | 'bob') {
  const response = await a.app.request('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify(spec),
    headers: { 'content-type': 'application/json', ...bearerOf(owner) },
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function finished(a: TestApi, id: string, status: string): Promise<void> {
  await waitFor(async () => {
    const view = (await (await a.app.request(`/v1/jobs/${id}`, { headers: bearerOf('alice') })).json()) as {
      status: string;
    };
    return view.status === status ? true : undefined;
  });
}

describe('stage-2 admission (real app and store, stand-in trainer)', () => {
  it("refuses another key's job as absent (404) and a job that has not succeeded (409)", async () => {
    api = await makeTestApi({ env: { LDAM_API_KEYS: twoOwnerKeys }, mode: 'exit:1' });
    const { body: stage1 } = await submit(api, stage1Spec, 'alice');
    await finished(api, stage1.id, 'failed');
    const before = await api.keys();

    const unknown = await submit(api, stage2Spec('j-nosuchjob'), 'alice');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain("stage2.fromJob: no job 'j-nosuchjob'");
    const other = await submit(api, stage2Spec(stage1.id), 'bob');
    expect(other.status).toBe(404);
    const failed = await submit(api, stage2Spec(stage1.id), 'alice');
    expect(failed.status).toBe(409);
    expect(failed.body.error.message).toContain('is failed');
    expect(await api.keys()).toEqual(before);
  });

  it('refuses a spec whose dataset, model or head differs (422 naming each field), admits a fitting one', async () => {
    api = await makeTestApi({ env: { LDAM_API_KEYS: twoOwnerKeys } });
    const { body: stage1 } = await submit(api, stage1Spec, 'alice');
    await finished(api, stage1.id, 'succeeded');
    const before = await api.keys();

    const misfit = await submit(
      api,
      stage2Spec(stage1.id, {
        model: { arch: 'mlp', hidden: [32] },
        dataset: { ...(stage1Spec.dataset as object), seed: 3 },
        loss: { type: 'ldam' },
      }),
      'alice',
    );
    expect(misfit.status).toBe(422);
    expect(misfit.body.error.code).toBe('incompatible_stage1');
    expect(misfit.body.error.issues.map((i) => i.path)).toEqual([
      'dataset.seed',
      'model.hidden',
      'loss.type',
    ]);
    expect(await api.keys()).toEqual(before);

    const fitting = await submit(api, stage2Spec(stage1.id), 'alice');
    expect(fitting.status).toBe(201);
    await finished(api, fitting.body.id, 'succeeded');
    const fromStage2 = await submit(api, stage2Spec(fitting.body.id), 'alice');
    expect(fromStage2.status).toBe(422);
    expect(fromStage2.body.error.message).toContain('is itself a stage-2 job');
  });
});
