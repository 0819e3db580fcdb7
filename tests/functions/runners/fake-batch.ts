// A mocked AWS Batch service with job state, behind the real BatchClient's mocked HTTP transport:
// SubmitJob creates a job whose trainer exits at once with `exitCodeOf(jobId)` or runs until
// TerminateJob (SIGTERM: the trainer checkpoints and exits 75), as DescribeJobs then reports.
import type { JobDetail } from '@aws-sdk/client-batch';
import { batchClientOverMockedTransport } from './batch-transport.ts';

export function fakeBatch(exitCodeOf: (jobId: string) => number | undefined) {
  const jobs = new Map<string, JobDetail>();
  let next = 0;
  const ended = (job: JobDetail, exitCode: number, reason?: string): JobDetail => ({
    ...job,
    status: exitCode === 0 ? 'SUCCEEDED' : 'FAILED',
    ...(reason === undefined ? {} : { statusReason: reason }),
    container: { exitCode },
  });
  return batchClientOverMockedTransport((path, body) => {
    const request = body as Record<string, unknown>;
    if (path === '/v1/submitjob') {
      const jobId = (request.parameters as Record<string, string>).jobId ?? '';
      const batchId = `batch-${++next}`;
      const job: JobDetail = {
        jobId: batchId,
        jobName: String(request.jobName),
        jobQueue: 'q',
        jobDefinition: 'd',
        status: 'RUNNING',
        startedAt: 1,
      };
      const code = exitCodeOf(jobId);
      jobs.set(batchId, code === undefined ? job : ended(job, code));
      return { jobId: batchId, jobName: request.jobName };
    }
    if (path === '/v1/describejobs')
      return { jobs: (request.jobs as string[]).flatMap((id) => jobs.get(id) ?? []) };
    if (path === '/v1/terminatejob') {
      const job = jobs.get(String(request.jobId));
      if (job?.status === 'RUNNING') jobs.set(String(request.jobId), ended(job, 75, String(request.reason)));
      return {};
    }
    throw new Error(`the fake Batch does not answer ${path}`);
  });
}
