// `ldam cancel <jobId> [--url U] [--key K]`: asks the API to cancel a job.
import { parseArgs } from 'node:util';
import { ApiCallError, createApiClient, ok } from '../client/client.ts';
import { apiTarget } from './target.ts';

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { url: { type: 'string' }, key: { type: 'string' } },
  });
  const [id] = positionals;
  if (id === undefined || positionals.length > 1) {
    process.stderr.write('usage: ldam cancel <jobId> [--url URL] [--key TOKEN]\n');
    return 2;
  }
  try {
    const api = createApiClient(apiTarget(values));
    const job = await ok(api.POST('/v1/jobs/{id}/cancel', { params: { path: { id } } }));
    process.stdout.write(`${job.id}: cancel requested (${job.status})\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiCallError) && !(error instanceof TypeError)) throw error;
    process.stderr.write(`ldam cancel: ${error.message}\n`);
    return 1;
  }
}
