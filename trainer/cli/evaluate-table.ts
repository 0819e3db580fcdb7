import type { Evaluation } from '../metrics/index.ts';

const percent = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '–' : `${(rate * 100).toFixed(2)}%`;

/** The per-class table `ldam evaluate` prints, aligned for a terminal, with a summary below. */
export function perClassTable(
  evaluation: Evaluation,
  classNames: readonly string[],
  trainCounts: readonly number[],
): string {
  const rows = [
    ['class', 'name', 'train images', 'test images', 'error'],
    ...classNames.map((name, c) => [
      String(c),
      name,
      String(trainCounts[c] ?? 0),
      String(evaluation.perClassCount[c] ?? 0),
      percent(evaluation.perClassError[c]),
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: readonly string[]) =>
    r.map((cell, i) => (i === 1 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const { many, medium, few } = evaluation.groups;
  return [
    ...rows.map(line),
    '',
    `top-1 error     ${percent(evaluation.top1Error)}`,
    `balanced error  ${percent(evaluation.balancedError)}`,
    `many / medium / few  ${percent(many.error)} (${many.classes}) / ${percent(medium.error)} (${medium.classes}) / ${percent(few.error)} (${few.classes})`,
    '',
  ].join('\n');
}
