import type { Report } from './schema.ts';

const header = [
  'class',
  'name',
  'trainCount',
  'finalError',
  'bestError',
  'testCount',
  'finalPrecision',
  'finalRecall',
  'finalF1',
  'bestOnTestError',
];

/** One row per class (every class, any K): counts, final/best errors, precision/recall/F1 (empty when undefined). */
export function reportToCsv(report: Report): string {
  const { final, best, bestOnTest } = report;
  const rows = report.classes.map((c) => [
    String(c.index),
    c.name,
    String(c.trainCount),
    numberField(final.perClassError[c.index]),
    numberField(best.perClassError[c.index]),
    numberField(final.perClassCount[c.index]),
    numberField(final.perClassPrecision[c.index]),
    numberField(final.perClassRecall[c.index]),
    numberField(final.perClassF1[c.index]),
    numberField(bestOnTest?.perClassError[c.index]),
  ]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

function numberField(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}

// RFC 4180: quote fields holding a comma, quote or line break; double inner quotes.
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
