import { z } from 'zod';
import { freeText } from '../../trainer/spec/free-text.ts';
import { methodNames } from './methods.ts';

// The benchmark spec, version 1: one base experiment spec, the methods (rows of the table), a grid
// over spec fields (columns), and the training seeds each cell is repeated with. Each expanded
// cell is validated against the experiment schema at expansion (expand.ts), not here.

const fieldPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/,
    'must be a dotted field path like dataset.imbalance',
  );

/** Fields the grid may not name: the seed axis has its own list, the version is fixed. */
const reservedPaths = new Set(['seed', 'version']);

export const customMethodSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
  label: freeText(64).optional(),
  /** Overrides as dotted path → value, applied on top of the base spec. */
  set: z.record(fieldPath, z.unknown()),
  /** A second stage (cRT) of the named method's cells: the overrides apply on top of that method's. */
  stage2Of: z.string().min(1).max(64).optional(),
});

export const methodRefSchema = z.union([z.enum(methodNames), customMethodSchema]);

export const benchmarkSpecSchema = z
  .strictObject({
    version: z.literal(1),
    name: freeText(200).optional(),
    /** An experiment spec as a user would send it; each cell is this plus its overrides. */
    base: z.record(z.string(), z.unknown()),
    /** Rows of the table; absent = one row running the base spec as is. */
    methods: z.array(methodRefSchema).min(1).max(32).optional(),
    /** Columns: every combination of these values (dotted path → values). */
    grid: z.record(fieldPath, z.array(z.unknown()).min(1).max(64)).default({}),
    /** Values of the spec's top-level training `seed`; dataset.seed stays as the base says. */
    seeds: z
      .array(
        z
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(32)
      .default([0]),
    /** The benchmark is rejected if it expands to more cells than this. */
    maxCells: z.int().min(1).max(1000).default(64),
    /** Cells submitted as jobs at once. */
    maxConcurrentCells: z.int().min(1).max(64).default(1),
  })
  .superRefine((spec, ctx) => {
    for (const path of Object.keys(spec.grid)) {
      const root = path.split('.')[0] ?? path;
      if (reservedPaths.has(root))
        ctx.addIssue({
          code: 'custom',
          path: ['grid', path],
          message: `the grid may not name '${root}' (use seeds)`,
        });
    }
    if (new Set(spec.seeds).size !== spec.seeds.length)
      ctx.addIssue({ code: 'custom', path: ['seeds'], message: 'seeds must be distinct' });
    const names = (spec.methods ?? []).map((m) => (typeof m === 'string' ? m : m.name));
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i)
        ctx.addIssue({ code: 'custom', path: ['methods', i], message: `method '${name}' appears twice` });
    });
  });

export type BenchmarkSpecInput = z.input<typeof benchmarkSpecSchema>;
export type BenchmarkSpec = z.output<typeof benchmarkSpecSchema>;
export type MethodRef = z.output<typeof methodRefSchema>;
export type CustomMethod = z.output<typeof customMethodSchema>;
