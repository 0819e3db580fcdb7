// `ldam jobs [--status S] [--limit N] [--url U] [--key K]`: lists jobs, newest first.
import { parseArgs } from 'node:util';
import { printable } from '../../trainer/spec/free-text.ts';
import { ApiCallError, createApiClient, ok } from '../client/client.ts';
import { apiTarget } from './target.ts';

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
  // Passed on unchecked: the server validates the query and names the field it refuses.
  const query = {
    ...(values.status === undefined ? {} : { status: values.status as never }),
    ...(values.limit === undefined ? {} : { limit: values.limit as unknown as number }),
  };
  try {
    const api = createApiClient(apiTarget(values));
    const list = await ok(api.GET('/v1/jobs', { params: { query } }));
    for (const job of list.jobs)
      process.stdout.write(
        `${printable(`${job.id}  ${job.status.padEnd(9)}  attempt ${job.attempt}  ${job.createdAt}  ${job.name ?? ''}${job.failureReason ? `  (${job.failureReason})` : ''}`)}\n`,
      );
    if (list.jobs.length === 0) process.stdout.write('no jobs\n');
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`ldam jobs: ${printable(error.message)}\n`);
    return 1;
  }
}
