import { parseOptions, UsageError } from './args.ts';
import { listenForStop } from './signals.ts';
import { armGraceDeadline, trainJob } from './train-job.ts';

const usage = `usage: ldam train [--spec <file|s3://bucket/key>] [--job <id>] [--out <dir|s3://bucket/prefix>]

  --spec  experiment spec (JSON); default: runs/<job>/spec.json in the store
  --job   job id; default: a new one
  --out   where artifacts go; default: the S3 store of S3_* env variables
`;

/** `ldam train`: exit 0 ok, 1 other, 2 invalid spec, 3 data error, 4 diverged, 75 preempted, 130 cancelled. */
export async function main(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseOptions<['spec', 'job', 'out']>>;
  try {
    options = parseOptions(args, ['spec', 'job', 'out']);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`ldam train: ${error.message}\n\n${usage}`);
    return 2;
  }
  if (options.spec === undefined && options.job === undefined) {
    process.stderr.write(`ldam train: give --spec, or --job to read the job's stored spec\n\n${usage}`);
    return 2;
  }
  const stop = listenForStop();
  const io = {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stop,
    exit: (code: number) => process.exit(code),
  };
  armGraceDeadline(io);
  try {
    return await trainJob(options, io);
  } finally {
    stop.dispose();
  }
}
