import { percent } from './format.ts';
import type { PosthocRow, Report } from './schema.ts';
import { table } from './table.ts';

const labels: Record<PosthocRow['method'], string> = {
  'posthoc-la': 'post-hoc logit adjustment (Menon et al. 2021)',
  'tau-norm': 'τ-normalisation (Kang et al. 2020)',
};

/** The post-hoc rows (computed from the trained model's logits), or nothing when there are none. */
export function posthocMarkdown(report: Report): string[] {
  if (report.posthoc.length === 0) return [];
  const rows = report.posthoc.map((r) => [
    labels[r.method],
    `${r.at} (epoch ${r.epoch})`,
    r.applicable ? `${r.tau} (${r.tauChosenOn === 'validation' ? 'chosen on validation' : 'fixed'})` : 'n/a',
    r.applicable ? percent(r.test?.top1Error) : `n/a: ${r.reason ?? ''}`,
    percent(r.test?.balancedError),
    percent(r.test?.top5Error),
    percent(r.validation?.balancedError),
  ]);
  return [
    '## Post-hoc adjustments (same model, adjusted logits)',
    '',
    table(
      ['method', 'logits of', 'τ', 'test top-1', 'test balanced', 'test top-5', 'validation balanced'],
      rows,
      [0, 1, 2],
    ),
    '',
  ];
}
