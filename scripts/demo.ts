// `npm run demo`: starts the API in-process (embedded S3, local runner), submits the long-tailed
// Fashion-MNIST LDAM-DRW example, follows it, prints the per-class report and where the artifacts are.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { followJob } from '../functions/cli/follow.ts';
import { perClassTable } from '../functions/cli/report-table.ts';
import { createApiClient, ok } from '../functions/client/client.ts';
import { silentLogger } from '../functions/http/logger.ts';
import { startServer } from '../functions/server.ts';
import { reportSchema } from '../trainer/reports/index.ts';

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
  const target = { url: server.url };
  const api = createApiClient(target);
  const started = Date.now();
  const spec = await readFile(specFile, 'utf8');
  const job = await ok(
    api.POST('/v1/jobs', {
      body: spec as never,
      bodySerializer: () => spec,
      headers: { 'Content-Type': 'application/json' },
    }),
  );
  out(`submitted ${job.id}: ${job.name ?? specFile}`);
  const status = await followJob(target, job.id, out);
  out(`finished ${status} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (status === 'succeeded') {
    out();
    const path = { id: job.id };
    out(perClassTable(reportSchema.parse(await ok(api.GET('/v1/jobs/{id}/report', { params: { path } })))));
    const { artifacts } = await ok(api.GET('/v1/jobs/{id}/artifacts', { params: { path } }));
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
