// Benchmark errors in the API's domain vocabulary, so the one onError maps them like any other.
import { CostLimitExceeded, InvalidInput, NotFound } from '../errors.ts';

/** One failing field, of the benchmark itself (no cell) or of one expanded cell's experiment spec. */
export interface BenchmarkIssue {
  /** Cell id (method.setting.seed) whose experiment spec failed; absent for the benchmark spec. */
  readonly cell?: string;
  readonly path: string;
  readonly rule: string;
}

/** The benchmark spec, or one of its expanded cells, failed validation. */
export class BenchmarkValidationError extends InvalidInput {
  override readonly issues: readonly BenchmarkIssue[];
  constructor(issues: readonly BenchmarkIssue[]) {
    const shown = issues
      .slice(0, 5)
      .map((i) => `${i.cell === undefined ? '' : `cell ${i.cell}: `}${i.path || '(root)'}: ${i.rule}`);
    const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
    super(issues, `invalid benchmark: ${shown.join('; ')}${more}`);
    this.name = 'BenchmarkValidationError';
    this.issues = issues;
  }
}

/** No benchmark has this id. */
export class BenchmarkNotFoundError extends NotFound {
  readonly benchmarkId: string;
  constructor(benchmarkId: string) {
    super(`no benchmark '${benchmarkId}'`);
    this.name = 'BenchmarkNotFoundError';
    this.benchmarkId = benchmarkId;
  }
}

/** Cells of the benchmark over the cost guard: refused whole at submit (422), as one job would be. */
export class BenchmarkCostLimitExceeded extends CostLimitExceeded {
  readonly cells: readonly { readonly cell: string; readonly estimateSeconds: number }[];
  constructor(over: readonly { cell: string; refusal: CostLimitExceeded }[], total: number) {
    // The costliest cell's estimate and basis stand for the benchmark, as a single job's would.
    const worst = over.reduce((a, b) => (b.refusal.estimateSeconds > a.refusal.estimateSeconds ? b : a));
    super(worst.refusal.estimateSeconds, worst.refusal.limitSeconds, worst.refusal.basis);
    const shown = over.slice(0, 3).map((o) => `cell ${o.cell}: ${o.refusal.message}`);
    const more = over.length > 3 ? `; and ${over.length - 3} more` : '';
    this.message = `${over.length} of ${total} cells are over the cost guard: ${shown.join('; ')}${more}`;
    this.name = 'BenchmarkCostLimitExceeded';
    this.cells = over.map((o) => ({ cell: o.cell, estimateSeconds: Math.round(o.refusal.estimateSeconds) }));
  }
  override details(): Record<string, unknown> {
    return { ...super.details(), cells: this.cells };
  }
}
