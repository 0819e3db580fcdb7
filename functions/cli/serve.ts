// `ldam serve [--host H] [--port P]`: the API with the embedded S3 server and the local runner,
// until SIGINT/SIGTERM (running trainers checkpoint and are queued again for the next start).
import { parseArgs } from 'node:util';
import { ConfigError } from '../errors.ts';
import { startServer } from '../server.ts';

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { host: { type: 'string' }, port: { type: 'string' } } });
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(values.port === undefined ? {} : { port: Number(values.port) }),
    });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`ldam serve: ${error.message}\n`);
    return 2;
  }
  process.stderr.write(
    `ldam API on ${server.url} (docs: ${server.url}/docs)${server.s3Endpoint ? `, embedded S3 on ${server.s3Endpoint}` : ''}\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  process.stderr.write('shutting down: interrupting running trainers (they checkpoint)…\n');
  await server.close();
  return 0;
}
