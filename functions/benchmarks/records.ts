import { z } from 'zod';
import { jobStatuses } from '../../trainer/events/types.ts';
import { benchmarkSpecSchema } from './schema.ts';

// What a benchmark stores: spec.json (written once) and cells.json (the cell → job mapping, updated
// as cells are submitted). Read back through these schemas, so a corrupt object fails loudly.

export const benchmarkRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  owner: z.string().optional(),
  spec: benchmarkSpecSchema,
});
export type BenchmarkRecord = z.output<typeof benchmarkRecordSchema>;

/** A cell job's view once the job ended: final, so reading it again is never needed. */
export const finalViewSchema = z.object({
  status: z.enum(jobStatuses),
  reason: z.string().exactOptional(),
  lastEpoch: z.int(),
  runningSeconds: z.number().nullable(),
});

export const cellRecordSchema = z.object({
  id: z.string(),
  method: z.string(),
  setting: z.int(),
  seed: z.int(),
  /** Null until the cell's job is created. */
  jobId: z.string().nullable(),
  submittedAt: z.string().optional(),
  /** Why creating the job failed for good; the cell then counts as failed. */
  submitError: z.string().optional(),
  /**
   * The job's view when it was first seen ended. Reads of the benchmark use it instead of the
   * job's event log, so a status read costs the same store calls whatever the finished cells' history.
   */
  final: finalViewSchema.optional(),
});
export type CellRecord = z.output<typeof cellRecordSchema>;

export const cellsRecordSchema = z.object({
  /** Set once on cancel: no further cells are submitted. */
  cancelledAt: z.string().optional(),
  cells: z.array(cellRecordSchema),
});
export type CellsRecord = z.output<typeof cellsRecordSchema>;
