import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';

// A mocked Lambda runtime: the `awslambda` global that response streaming relies on, capturing
// the streamed body. No AWS call is made (the routes used here touch neither S3 nor Batch).
function installMockLambdaRuntime() {
  (globalThis as Record<string, unknown>).awslambda = {
    streamifyResponse: (handler: unknown) => handler,
    HttpResponseStream: {
      from: (stream: Writable, metadata: unknown) => Object.assign(stream, { metadata }),
    },
  };
}

function responseSink() {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  const finished = new Promise<void>((resolve) => stream.on('finish', () => resolve()));
  return { stream, finished, text: () => Buffer.concat(chunks).toString('utf8') };
}

const event = (path: string) => ({
  version: '2.0',
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.example.com' },
  requestContext: { http: { method: 'GET', path }, domainName: 'api.example.com' },
  isBase64Encoded: false,
});

describe('Lambda handler (mocked Lambda runtime, no AWS calls)', () => {
  it('serves the API through response streaming, building its adapters on the first call', async () => {
    Object.assign(process.env, {
      S3_BUCKET: 'ldam-test-bucket',
      S3_REGION: 'us-east-1',
      AWS_REGION: 'us-east-1',
      LDAM_BATCH_JOB_QUEUE: 'queue',
      LDAM_BATCH_JOB_DEFINITION: 'definition',
      // Read on the first /v1 request only; these routes are outside /v1.
      LDAM_API_KEYS_SECRET: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ApiKeys-abc',
    });
    installMockLambdaRuntime();
    const { handler } = (await import('../../functions/lambda.ts')) as unknown as {
      handler: (event: unknown, stream: Writable, context: unknown) => Promise<void>;
    };
    const sink = responseSink();
    await handler(event('/healthz'), sink.stream, {});
    await sink.finished;
    expect(JSON.parse(sink.text())).toEqual({
      ok: true,
      runner: 'aws-batch',
      store: 's3://ldam-test-bucket/',
    });
    const docs = responseSink();
    await handler(event('/openapi.json'), docs.stream, {});
    await docs.finished;
    expect((JSON.parse(docs.text()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});
