import type { Report } from './schema.ts';

const header = ['class', 'name', 'trainCount', 'finalError', 'bestError'];

/** One row per class: index, name, training images, final and best error (empty when undefined). */
export function reportToCsv(report: Report): string {
  const rows = report.classes.map((c) => [
    String(c.index),
    c.name,
    String(c.trainCount),
    numberField(report.final.perClassError[c.index]),
    numberField(report.best.perClassError[c.index]),
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
