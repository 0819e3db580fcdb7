// Named datasets on the deployed stack: the aws-batch runner (a real BatchClient over a mocked HTTP
// transport: no AWS here), a real store in a temp directory, a real upload with its manifest.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../functions/app.ts';
import { parseApiConfig } from '../../../functions/config.ts';
import { silentLogger } from '../../../functions/http/logger.ts';
import { JobRecords } from '../../../functions/jobs/records.ts';
import { AwsBatchRunner } from '../../../functions/runners/aws-batch-runner.ts';
import { uploadDataset } from '../../../trainer/store/dataset-upload.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { batchClientOverMockedTransport } from '../runners/batch-transport.ts';
import { makeTestApi, type TestApi } from '../support.ts';

let dir: string | undefined;
let local: TestApi | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  await local?.close();
  dir = undefined;
  local = undefined;
});

const fashionSpec = {
  version: 1,
  dataset: { name: 'fashion-mnist', imbalance: { type: 'exp', ratio: 100 } },
  model: { arch: 'mlp' },
  loss: { type: 'ldam' },
  rebalance: { rule: 'drw' },
  schedule: { epochs: 2 },
  resources: { gpus: 1 },
};

async function deployedApi() {
  dir = await mkdtemp(join(tmpdir(), 'ldam-named-'));
  const store = new LocalDirStore(join(dir, 'store'));
  const batch = batchClientOverMockedTransport(() => ({ jobId: 'b-1', jobName: 'n', jobArn: 'arn:b-1' }));
  const runner = new AwsBatchRunner({ client: batch.client, jobQueue: 'q', jobDefinition: 'd', env: {} });
  const config = parseApiConfig({ LDAM_RUNNER: 'aws-batch', S3_BUCKET: 'ldam-prod-bucket' }, dir);
  const api = createApp({ store, runner, config, logger: silentLogger });
  const submit = () =>
    api.app.request('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify(fashionSpec),
      headers: { 'Content-Type': 'application/json' },
    });
  return { api, store, batch, submit, dir };
}

describe('named datasets on the aws-batch runner (mocked Batch transport)', () => {
  it('refuses a named dataset the bucket does not have, naming the field and the upload command', async () => {
    const d = await deployedApi();
    const response = await d.submit();
    expect(response.status).toBe(400);
    const body = ((await response.json()) as { error: { issues: { path: string; rule: string }[] } }).error;
    expect(body.issues).toEqual([
      {
        path: 'dataset.source',
        rule: expect.stringContaining(
          's3://ldam-prod-bucket/datasets/fashion-mnist/ has no manifest.json',
        ) as unknown as string,
      },
    ]);
    expect(body.issues[0]?.rule).toContain('ldam datasets upload <dir> fashion-mnist');
    expect(await d.store.list('')).toEqual([]);
    expect(d.batch.requests).toEqual([]);
  });

  it('refuses a benchmark of such cells whole, naming its first cell, before anything is stored', async () => {
    const d = await deployedApi();
    const response = await d.api.app.request('/v1/benchmarks', {
      method: 'POST',
      body: JSON.stringify({ version: 1, base: fashionSpec, methods: ['erm', 'ldam-drw'], seeds: [0, 1] }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const body = ((await response.json()) as { error: { issues: Record<string, string>[] } }).error;
    expect(body.issues).toEqual([
      {
        cell: 'erm.s0.seed0',
        path: 'dataset.source',
        rule: expect.stringContaining('ldam datasets upload <dir> fashion-mnist') as unknown as string,
      },
    ]);
    expect(await d.store.list('')).toEqual([]);
    expect(d.batch.requests).toEqual([]);
  });

  it("defaults the source to the bucket's uploaded copy once it has a manifest", async () => {
    const d = await deployedApi();
    const files = join(d.dir, 'fmnist');
    await mkdir(files);
    await writeFile(join(files, 'train-images-idx3-ubyte.gz'), 'not read at submit');
    await uploadDataset(d.store, files, 'fashion-mnist');
    const response = await d.submit();
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const stored = await new JobRecords(d.store).spec(id);
    expect(stored.dataset.source).toBe('s3://ldam-prod-bucket/datasets/fashion-mnist/');
    expect(d.batch.requests.map((r) => r.path)).toEqual(['/v1/submitjob', '/v1/describejobs']);
  });

  it('leaves the local runner reading its own default directory', async () => {
    local = await makeTestApi();
    const response = await local.app.request('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({ ...fashionSpec, resources: { gpus: 0 } }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    expect((await new JobRecords(local.store).spec(id)).dataset.source).toBeUndefined();
  });
});
