// The API's request and response shapes, in zod: the handlers' types and the OpenAPI document
// (openapi/document.ts) both come from these, so they cannot drift apart.
import { z } from 'zod';
import { jobStatuses } from '../../trainer/events/types.ts';
import { experimentSpecSchema } from '../../trainer/spec/index.ts';
import { reportFormats } from '../../trainer/store/run-layout.ts';

const isoTime = z.string().describe('ISO-8601 time');

export const transitionSchema = z.object({
  status: z.enum(jobStatuses),
  time: isoTime,
  attempt: z.int().min(1),
  reason: z.string().optional(),
});

export const linksSchema = z.object({
  self: z.string(),
  events: z.string(),
  report: z.string(),
  logs: z.string(),
  artifacts: z.string(),
});

export const jobSummarySchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  status: z.enum(jobStatuses),
  attempt: z.int().min(0),
  createdAt: isoTime,
  updatedAt: isoTime,
  failureReason: z.string().optional(),
  exitCode: z.int().optional(),
  links: linksSchema,
});

export const etaSchema = z.object({
  remainingSeconds: z.number(),
  completesAt: isoTime,
  secondsPerEpoch: z.number(),
});

export const jobViewSchema = jobSummarySchema.extend({
  transitions: z.array(transitionSchema),
  cancelRequested: z.boolean(),
  progress: z.object({
    epoch: z.int().min(0),
    epochs: z.int().min(1),
    metrics: z.record(z.string(), z.number().nullable()),
  }),
  eta: etaSchema.nullable(),
  spec: experimentSpecSchema,
});

export const jobListSchema = z.object({
  jobs: z.array(jobSummarySchema),
  nextCursor: z.string().nullable(),
});

export const listQuerySchema = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(jobStatuses).optional(),
});

export const eventsQuerySchema = z.strictObject({
  after: z.string().max(40).optional(),
});

export const logsQuerySchema = z.strictObject({
  stream: z.enum(['stdout', 'stderr']).optional(),
});

export const reportQuerySchema = z.strictObject({
  format: z.enum(reportFormats).default('json'),
});

const eventBase = {
  writer: z.enum(['api', 'trainer']),
  seq: z.int().min(1),
  time: isoTime,
  attempt: z.int().min(1),
};
export const jobEventSchema = z.discriminatedUnion('kind', [
  z.object({
    ...eventBase,
    kind: z.literal('status'),
    status: z.enum(jobStatuses),
    reason: z.string().optional(),
    exitCode: z.int().optional(),
  }),
  z.object({ ...eventBase, kind: z.literal('intent'), intent: z.enum(['cancel', 'retry']) }),
  z.object({
    ...eventBase,
    kind: z.literal('metric'),
    epoch: z.int(),
    step: z.int(),
    key: z.string(),
    value: z.number().nullable(),
  }),
  z.object({
    ...eventBase,
    kind: z.literal('note'),
    message: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
]);

export const eventsPageSchema = z.object({
  events: z.array(jobEventSchema),
  /** Pass back as `after` (or Last-Event-ID) to continue. */
  position: z.string(),
  status: z.enum(jobStatuses),
  terminal: z.boolean(),
});

export const artifactSchema = z.object({
  name: z.string().describe('path below the job, e.g. reports/report.json'),
  size: z.int().min(0),
  lastModified: isoTime.optional(),
  url: z.string(),
});
export const artifactListSchema = z.object({ artifacts: z.array(artifactSchema) });

export const errorBodySchema = z.object({
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      issues: z
        .array(
          z.object({
            cell: z.string().optional().describe('the benchmark cell whose experiment spec failed'),
            path: z.string(),
            rule: z.string(),
          }),
        )
        .optional(),
    })
    .catchall(z.unknown()),
});

export const healthSchema = z.object({ ok: z.boolean(), runner: z.string(), store: z.string() });

export type JobSummary = z.infer<typeof jobSummarySchema>;
export type JobView = z.infer<typeof jobViewSchema>;
export type JobList = z.infer<typeof jobListSchema>;
export type EventsPage = z.infer<typeof eventsPageSchema>;
export type ArtifactList = z.infer<typeof artifactListSchema>;
export type ListQuery = z.infer<typeof listQuerySchema>;
