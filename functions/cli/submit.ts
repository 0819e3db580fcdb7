// `ldam submit <spec.json> [--follow] [--url U] [--key K] [--idempotency-key I]`: submits a job;
// with --follow, prints progress from the event stream, then the report's per-class table.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Report } from '../../trainer/reports/index.ts';
import type { JobView } from '../http/schemas.ts';
import { ApiCallError, apiTarget, callApi } from './client.ts';
import { followJob } from './follow.ts';
import { perClassTable } from './report-table.ts';

const usage = 'usage: ldam submit <spec.json> [--follow] [--url URL] [--key TOKEN] [--idempotency-key KEY]\n';

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      follow: { type: 'boolean', default: false },
      url: { type: 'string' },
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
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    const body = await readFile(file, 'utf8');
    const idempotency = values['idempotency-key'];
    const job = await callApi<JobView>(target, 'POST', '/v1/jobs', {
      body,
      ...(idempotency === undefined ? {} : { headers: { 'Idempotency-Key': idempotency } }),
    });
    out(`submitted ${job.id} (${job.status})`);
    if (!values.follow) return 0;
    const status = await followJob(target, job.id, out);
    if (status !== 'succeeded') {
      const final = await callApi<JobView>(target, 'GET', `/v1/jobs/${job.id}`);
      out(`job ${job.id} ended ${status}${final.failureReason ? `: ${final.failureReason}` : ''}`);
      return 1;
    }
    const report = await callApi<Report>(target, 'GET', `/v1/jobs/${job.id}/report`);
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
