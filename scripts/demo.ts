// `npm run demo`: starts the API in-process (embedded S3, local runner), submits the long-tailed
// Fashion-MNIST LDAM-DRW example, follows it, prints the per-class report and where the artifacts are.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiTarget, callApi } from '../functions/cli/client.ts';
import { followJob } from '../functions/cli/follow.ts';
import { perClassTable } from '../functions/cli/report-table.ts';
import { silentLogger } from '../functions/http/logger.ts';
import type { ArtifactList, JobView } from '../functions/http/schemas.ts';
import { startServer } from '../functions/server.ts';
import type { Report } from '../trainer/reports/index.ts';

// The lock file pins the AWS SDK: its notice that later releases need Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const specFile = process.argv[2] ?? join(root, 'examples', 'ldam-drw-fashion-mnist.json');
const out = (line = '') => process.stdout.write(`${line}\n`);

// Port 0: any free port, so the demo never collides with a running `ldam serve`.
const server = await startServer({ host: '127.0.0.1', port: 0, logger: silentLogger });
let code = 1;
try {
  out(`API on ${server.url}, store ${server.store.describe()}`);
  const target = apiTarget({ url: server.url });
  const started = Date.now();
  const job = await callApi<JobView>(target, 'POST', '/v1/jobs', { body: await readFile(specFile, 'utf8') });
  out(`submitted ${job.id}: ${job.name ?? specFile}`);
  const status = await followJob(target, job.id, out);
  out(`finished ${status} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (status === 'succeeded') {
    out();
    out(perClassTable(await callApi<Report>(target, 'GET', `/v1/jobs/${job.id}/report`)));
    const { artifacts } = await callApi<ArtifactList>(target, 'GET', `/v1/jobs/${job.id}/artifacts`);
    out();
    out(`artifacts of ${job.id} in ${server.store.describe()} under runs/${job.id}/:`);
    for (const a of artifacts.filter((x) => !x.name.startsWith('events/')))
      out(`  ${a.name.padEnd(40)} ${a.size} bytes`);
    out(`report: runs/${job.id}/reports/report.md (also GET /v1/jobs/${job.id}/report?format=md|csv|svg)`);
    code = 0;
  }
} finally {
  await server.close();
}
process.exitCode = code;
