// `ldam jobs [--status S] [--limit N] [--url U] [--key K]`: lists jobs, newest first.
import { parseArgs } from 'node:util';
import type { JobList } from '../http/schemas.ts';
import { ApiCallError, apiTarget, callApi } from './client.ts';

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      status: { type: 'string' },
      limit: { type: 'string' },
      url: { type: 'string' },
      key: { type: 'string' },
    },
  });
  const query = new URLSearchParams();
  if (values.status !== undefined) query.set('status', values.status);
  if (values.limit !== undefined) query.set('limit', values.limit);
  try {
    const list = await callApi<JobList>(
      apiTarget(values),
      'GET',
      `/v1/jobs${query.size > 0 ? `?${query}` : ''}`,
    );
    for (const job of list.jobs)
      process.stdout.write(
        `${job.id}  ${job.status.padEnd(9)}  attempt ${job.attempt}  ${job.createdAt}  ${job.name ?? ''}${job.failureReason ? `  (${job.failureReason})` : ''}\n`,
      );
    if (list.jobs.length === 0) process.stdout.write('no jobs\n');
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`ldam jobs: ${error.message}\n`);
    return 1;
  }
}
