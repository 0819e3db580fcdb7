// `ldam submit <spec.json> [--follow] [--url U] [--key K] [--idempotency-key I]`: submits a job;
// with --follow, prints progress from the event stream, then the report's per-class table.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { reportSchema } from '../../trainer/reports/index.ts';
import { ApiCallError, createApiClient, ok } from '../client/client.ts';
import { followJob } from './follow.ts';
import { perClassTable } from './report-table.ts';
import { apiTarget, streamTarget } from './target.ts';

const usage =
  'usage: ldam submit <spec.json> [--follow] [--url URL] [--stream-url URL] [--key TOKEN] [--idempotency-key KEY]\n';

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', default: false },
      url: { type: 'string' },
      'stream-url': { type: 'string' },
      key: { type: 'string' },
      'idempotency-key': { type: 'string' },
    },
  });
  const [file] = positionals;
  if (file === undefined || positionals.length > 1) {
    process.stderr.write(usage);
    return 2;
  }
  const target = apiTarget(values);
  const api = createApiClient(target);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const body = await readFile(file, 'utf8');
    const idempotency = values['idempotency-key'];
    const job = await ok(
      api.POST('/v1/jobs', {
        // The file's text goes as written, so the server's parser judges exactly what the user wrote.
        body: body as never,
        bodySerializer: () => body,
        headers: {
          'Content-Type': 'application/json',
          ...(idempotency === undefined ? {} : { 'Idempotency-Key': idempotency }),
        },
      }),
    );
    out(`submitted ${job.id} (${job.status})`);
    if (!values.follow) return 0;
    const status = await followJob(streamTarget(target, { streamUrl: values['stream-url'] }), job.id, out);
    if (status !== 'succeeded') {
      const final = await ok(api.GET('/v1/jobs/{id}', { params: { path: { id: job.id } } }));
      out(`job ${job.id} ended ${status}${final.failureReason ? `: ${final.failureReason}` : ''}`);
      return 1;
    }
    const report = reportSchema.parse(
      await ok(api.GET('/v1/jobs/{id}/report', { params: { path: { id: job.id } } })),
    );
    out('');
    out(perClassTable(report));
    out('');
    out(`artifacts: ${target.url}/v1/jobs/${job.id}/artifacts`);
    return 0;
  } catch (error) {
    if (
      error instanceof ApiCallError ||
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      error instanceof TypeError
    ) {
      process.stderr.write(`ldam submit: ${(error as Error).message}\n`);
      return error instanceof ApiCallError && error.status === 400 ? 2 : 1;
    }
    throw error;
  }
}
