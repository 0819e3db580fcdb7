// The per-class table printed after a followed job: training images, final and best test error.
import type { Report } from '../../trainer/reports/index.ts';
import { printable } from '../../trainer/spec/free-text.ts';

const pct = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;

export function perClassTable(report: Report): string {
  const rows = report.classes.map((c) => [
    String(c.index),
    printable(c.name),
    String(c.trainCount),
    pct(report.final.perClassError[c.index]),
    pct(report.best.perClassError[c.index]),
  ]);
  const header = [
    'class',
    'name',
    'train n',
    `final (epoch ${report.final.epoch})`,
    `best (epoch ${report.best.epoch})`,
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `top-1 error: final ${pct(report.final.top1Error)}, best ${pct(report.best.top1Error)} (chosen on ${report.best.chosenOn}); balanced: final ${pct(report.final.balancedError)}`,
  ].join('\n');
}
