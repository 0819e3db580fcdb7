// The benchmark routes' response shapes in zod, for the OpenAPI document and so the generated
// client is typed. The service's TypeScript types stay the source; the checks at the bottom fail
// to compile when the two drift apart.
import { z } from 'zod';
import { jobStatuses } from '../../trainer/events/types.ts';
import type { BenchmarkResults } from './aggregate.ts';
import type { BenchmarkView } from './service.ts';

const cellState = z.enum([...jobStatuses, 'pending', 'not_submitted']);
const summary = z.object({ mean: z.number(), std: z.number().nullable(), n: z.int() }).nullable();
const methodInfo = z.object({ name: z.string(), label: z.string(), paperRow: z.string().optional() });
const settingColumn = z.object({ index: z.int(), label: z.string(), paperColumn: z.string().optional() });

const progress = z.object({
  status: z.enum(['running', 'completed', 'cancelled']),
  total: z.int(),
  pending: z.int(),
  running: z.int(),
  succeeded: z.int(),
  failed: z.int(),
  cancelled: z.int(),
});

const cellBase = {
  id: z.string(),
  method: z.string(),
  setting: z.int(),
  seed: z.int(),
  jobId: z.string().nullable(),
  state: cellState,
  reason: z.string().optional(),
};

export const benchmarkViewSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  createdAt: z.string(),
  progress,
  methods: z.array(methodInfo),
  settings: z.array(settingColumn),
  cells: z.array(z.object({ ...cellBase, lastEpoch: z.int(), epochs: z.int() })),
});

const cellMetrics = z.object({
  finalError: z.number(),
  bestError: z.number(),
  bestEpoch: z.int(),
  finalEpoch: z.int(),
  balancedError: z.number().nullable(),
  manyError: z.number().nullable(),
  mediumError: z.number().nullable(),
  fewError: z.number().nullable(),
  headError: z.number().nullable(),
  middleError: z.number().nullable(),
  tailError: z.number().nullable(),
  finalTop5Error: z.number().nullable(),
  bestTop5Error: z.number().nullable(),
  macroF1: z.number().nullable(),
  ece: z.number().nullable(),
  validationBestError: z.number().nullable(),
  validationBestEpoch: z.int().nullable(),
  perClassError: z.array(z.number().nullable()),
});

const cellCost = z.object({
  wallSeconds: z.number(),
  backend: z.string(),
  device: z.string(),
  devices: z.int(),
  deviceSeconds: z.number(),
});

const groupResult = z.object({
  method: z.string(),
  setting: z.int(),
  counts: z.object({ total: z.int(), succeeded: z.int(), failed: z.int(), active: z.int() }),
  finalError: summary,
  bestError: summary,
  bestEpoch: summary,
  finalEpoch: summary,
  balancedError: summary,
  manyError: summary,
  mediumError: summary,
  fewError: summary,
  headError: summary,
  middleError: summary,
  tailError: summary,
  finalTop5Error: summary,
  bestTop5Error: summary,
  macroF1: summary,
  ece: summary,
  validationBestError: summary,
  perClassError: z.array(z.number().nullable()).nullable(),
  deviceSeconds: z.number(),
  paperError: z.number().optional(),
});

export const benchmarkResultsSchema = z.object({
  benchmarkId: z.string(),
  name: z.string().optional(),
  complete: z.boolean(),
  methods: z.array(methodInfo),
  settings: z.array(settingColumn),
  groups: z.array(groupResult),
  cells: z.array(z.object({ ...cellBase, metrics: cellMetrics.optional(), cost: cellCost.optional() })),
  totals: z.object({
    cells: z.int(),
    succeeded: z.int(),
    failed: z.int(),
    active: z.int(),
    wallSeconds: z.number(),
    deviceSeconds: z.number(),
    cost: z.number().optional(),
  }),
  pricePerDeviceHour: z.number().optional(),
});

// Compile-time drift checks: the service's values fit the schemas, and neither top level has a
// field the other lacks.
type DeepMutable<T> =
  T extends ReadonlyArray<infer U>
    ? DeepMutable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: DeepMutable<T[K]> }
      : T;
type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
export const viewFitsSchema = (view: DeepMutable<BenchmarkView>): z.infer<typeof benchmarkViewSchema> => view;
export const resultsFitSchema = (
  results: DeepMutable<BenchmarkResults>,
): z.infer<typeof benchmarkResultsSchema> => results;
export const viewKeysMatch: SameKeys<BenchmarkView, z.infer<typeof benchmarkViewSchema>> = true;
export const resultsKeysMatch: SameKeys<BenchmarkResults, z.infer<typeof benchmarkResultsSchema>> = true;
