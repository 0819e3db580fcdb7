// Artifact downloads through the API: the caller's key decides, names cannot leave the job, and
// the body is the stored object byte for byte (a LocalDirStore here; the embedded store's own
// refusal of unsigned requests is tested in tests/trainer/store/embedded-s3.int.test.ts).
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { runKey } from '../../../trainer/store/keys.ts';
import { makeTestApi, type TestApi, tinySpec } from '../support.ts';

const alice = { Authorization: 'Bearer token-alice-0123456789' };
const bob = { Authorization: 'Bearer token-bob-0123456789' };

describe('GET /v1/jobs/{id}/artifacts/{name}', () => {
  let api: TestApi;
  afterEach(async () => api?.close());

  it('streams the owner’s artifact, 404s another owner, 400s a name outside the job', async () => {
    api = await makeTestApi({
      env: {
        LDAM_API_KEYS: 'alice:token-alice-0123456789,bob:token-bob-0123456789',
        LDAM_ARTIFACT_URLS: 'api',
      },
    });
    const created = await api.app.request('/v1/jobs', {
      method: 'POST',
      headers: { ...alice, 'content-type': 'application/json' },
      body: JSON.stringify(tinySpec()),
    });
    const { id } = (await created.json()) as { id: string };
    const checkpoint = randomBytes(200_000);
    await api.store.put(runKey(id, 'checkpoints', 'epoch-0001', 'weights.bin'), checkpoint);

    const list = (await (await api.app.request(`/v1/jobs/${id}/artifacts`, { headers: alice })).json()) as {
      artifacts: { name: string; url: string }[];
    };
    const entry = list.artifacts.find((a) => a.name === 'checkpoints/epoch-0001/weights.bin');
    expect(entry?.url).toBe(`/v1/jobs/${id}/artifacts/checkpoints%2Fepoch-0001%2Fweights.bin`);

    const download = await api.app.request(entry?.url as string, { headers: alice });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-length')).toBe(String(checkpoint.length));
    expect(Buffer.from(await download.arrayBuffer()).equals(checkpoint)).toBe(true);

    expect((await api.app.request(entry?.url as string, { headers: bob })).status).toBe(404);
    expect((await api.app.request(entry?.url as string)).status).toBe(401);
    const outside = await api.app.request(`/v1/jobs/${id}/artifacts/${encodeURIComponent('../x/job.json')}`, {
      headers: alice,
    });
    expect(outside.status).toBe(400);
    const escapeBody = (await outside.json()) as { error: { issues?: { path: string }[] } };
    expect(escapeBody.error.issues?.[0]?.path).toBe('name');
    expect((await api.app.request(`/v1/jobs/${id}/artifacts/absent.bin`, { headers: alice })).status).toBe(
      404,
    );
  });
});
