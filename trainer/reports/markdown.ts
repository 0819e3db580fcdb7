import { shotGroupOf } from '../metrics/index.ts';
import { describeImbalance, describeLoss, describeRebalance, percent } from './format.ts';
import type { Report } from './schema.ts';

/** A summary (setup, final vs best) and a per-class table, as GitHub-flavoured Markdown. */
export function reportToMarkdown(report: Report): string {
  const { spec, final, best } = report;
  const setup = [
    `# Per-class error report: ${cell(report.jobId)}`,
    '',
    `- Dataset: ${spec.dataset.name}, ${spec.dataset.numClasses} classes, ${describeImbalance(spec.dataset.imbalance)}`,
    `- Model: ${spec.model.arch}, ${spec.model.classifier} classifier`,
    `- Loss: ${describeLoss(spec.loss)}`,
    `- Re-balancing: ${describeRebalance(spec.rebalance)}`,
    `- Epochs: ${spec.epochs}, seed ${spec.seed}`,
    `- Backend: ${cell(report.backend.name)} on ${cell(report.backend.device)}`,
    `- Best epoch chosen on the ${best.chosenOn} split; errors below are on the ${final.split} split.`,
  ];
  const summary = table(
    ['', `final (epoch ${final.epoch})`, `best (epoch ${best.epoch})`],
    [
      ['top-1 error', percent(final.top1Error), percent(best.top1Error)],
      ['balanced error', percent(final.balancedError), percent(best.balancedError)],
      ...(['many', 'medium', 'few'] as const).map((g) => [
        `${g}-shot error (${final.groups[g].classes} classes)`,
        percent(final.groups[g].error),
        percent(best.groups[g].error),
      ]),
    ],
  );
  const perClass = table(
    ['class', 'name', 'train images', 'group', 'final error', 'best error'],
    report.classes.map((c) => [
      String(c.index),
      cell(c.name),
      String(c.trainCount),
      shotGroupOf(c.trainCount),
      percent(final.perClassError[c.index]),
      percent(best.perClassError[c.index]),
    ]),
    [1, 3],
  );
  return [...setup, '', '## Summary', '', summary, '', '## Per class', '', perClass, ''].join('\n');
}

/** A pipe table; columns listed in `leftAligned` align left, the rest (numbers) right. */
function table(header: string[], rows: string[][], leftAligned: readonly number[] = [0]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const align = header.map((_, i) => (leftAligned.includes(i) ? '---' : '---:'));
  return [line(header), line(align), ...rows.map(line)].join('\n');
}

// Pipes and line breaks would end a table cell early.
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll(/\r?\n/g, ' ');
}
