// Benchmark errors in the API's domain vocabulary, so the one onError maps them like any other.
import { InvalidInput, NotFound } from '../errors.ts';

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
