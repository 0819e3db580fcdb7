// A mocked HTTP transport for the real BatchClient (no AWS here): each request is recorded and
// answered with a stored REST-JSON body, so the SDK's own serialisation and parsing run.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { BatchClient } from '@aws-sdk/client-batch';

export type RecordedRequest = { readonly path: string; readonly body: unknown };

const fixtureDir = new URL('../../fixtures/batch/', import.meta.url);

/** A DescribeJobs body from tests/fixtures/batch/describe-jobs-<name>.json. */
export function describeJobsFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`describe-jobs-${name}.json`, fixtureDir), 'utf8'));
}

/** A BatchClient whose every call is answered by `answer(path, body)` (a JSON value). */
export function batchClientOverMockedTransport(answer: (path: string, body: unknown) => unknown): {
  client: BatchClient;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const requestHandler = {
    async handle(request: { path: string; body?: unknown }) {
      const raw = request.body;
      const text =
        typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : '';
      const body: unknown = text === '' ? undefined : JSON.parse(text);
      requests.push({ path: request.path, body });
      const payload = Buffer.from(JSON.stringify(answer(request.path, body) ?? {}));
      return {
        response: {
          statusCode: 200,
          headers: { 'content-type': 'application/json', 'content-length': String(payload.length) },
          body: Readable.from([payload]),
        },
      };
    },
  };
  const client = new BatchClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    requestHandler,
  });
  return { client, requests };
}
