import type { BenchmarkResults, GroupResult } from '../aggregate.ts';
import { paperSource } from '../reference.ts';
import type { Summary } from '../stats.ts';
import { formatGroupValue, formatNumber, formatSeconds, formatSummary } from './format.ts';

// Results as Markdown, laid out like the paper's Table 2: methods as rows, settings as columns.

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function row(cells: readonly string[]): string {
  return `| ${cells.map(escapeCell).join(' | ')} |`;
}

function groupAt(results: BenchmarkResults, method: string, setting: number): GroupResult | undefined {
  return results.groups.find((g) => g.method === method && g.setting === setting);
}

/** The methods × settings table of one summary of each group. */
export function renderMethodTable(
  results: BenchmarkResults,
  value: (group: GroupResult) => Summary | null,
  withPaper: boolean,
): string {
  const header = row(['Method', ...results.settings.map((s) => s.label)]);
  const rule = row(['---', ...results.settings.map(() => '---')]);
  const body = results.methods.map((method) =>
    row([
      method.label,
      ...results.settings.map((setting) => {
        const group = groupAt(results, method.name, setting.index);
        return group === undefined ? '—' : formatGroupValue(group, value(group), withPaper);
      }),
    ]),
  );
  return [header, rule, ...body].join('\n');
}

function detailTable(results: BenchmarkResults): string {
  const lines = [
    row([
      'Method',
      'Setting',
      'Cells ok/total',
      'Balanced',
      'Many',
      'Medium',
      'Few',
      'Head ⅓',
      'Middle ⅓',
      'Tail ⅓',
      'Macro-F1',
      'ECE',
      'Best epoch',
      'Final epoch',
      'Device-s',
    ]),
    row(Array(15).fill('---')),
  ];
  for (const method of results.methods)
    for (const setting of results.settings) {
      const g = groupAt(results, method.name, setting.index);
      if (g === undefined) continue;
      lines.push(
        row([
          method.label,
          setting.label,
          `${g.counts.succeeded}/${g.counts.total}`,
          formatSummary(g.balancedError),
          formatSummary(g.manyError),
          formatSummary(g.mediumError),
          formatSummary(g.fewError),
          formatSummary(g.headError),
          formatSummary(g.middleError),
          formatSummary(g.tailError),
          formatSummary(g.macroF1),
          formatSummary(g.ece),
          formatSummary(g.bestEpoch, 1),
          formatSummary(g.finalEpoch, 1),
          formatNumber(g.deviceSeconds, 1),
        ]),
      );
    }
  return lines.join('\n');
}

function cellTable(results: BenchmarkResults): string {
  const priced = results.pricePerDeviceHour !== undefined;
  const header = ['Cell', 'Job', 'State', 'Final err', 'Best err', 'Wall s', 'Backend', 'Device', 'Device-s'];
  const lines = [
    row(priced ? [...header, 'Cost'] : header),
    row(Array(header.length + (priced ? 1 : 0)).fill('---')),
  ];
  for (const c of results.cells) {
    const cells = [
      c.id,
      c.jobId ?? '—',
      c.metrics === undefined && c.reason !== undefined ? `${c.state}: ${c.reason}` : c.state,
      formatNumber(c.metrics?.finalError),
      formatNumber(c.metrics?.bestError),
      formatNumber(c.cost?.wallSeconds, 1),
      c.cost?.backend ?? '—',
      c.cost?.device ?? '—',
      formatNumber(c.cost?.deviceSeconds, 1),
    ];
    const price = results.pricePerDeviceHour;
    if (price !== undefined)
      cells.push(c.cost === undefined ? '—' : formatNumber((c.cost.deviceSeconds / 3600) * price, 4));
    lines.push(row(cells));
  }
  return lines.join('\n');
}

export function renderTotals(results: BenchmarkResults): string {
  const t = results.totals;
  const cost =
    t.cost === undefined
      ? ''
      : `, cost ${t.cost.toFixed(4)} (at ${results.pricePerDeviceHour} per device-hour)`;
  return (
    `${t.cells} cells: ${t.succeeded} succeeded, ${t.failed} failed, ${t.active} running; ` +
    `wall ${formatSeconds(t.wallSeconds)}, ${t.deviceSeconds.toFixed(1)} device-seconds${cost}`
  );
}

/** Sections shown only when some cell measured them: top-5 (> 5 classes) and the validation-chosen epoch. */
function optionalSections(results: BenchmarkResults): string[] {
  const sections: string[] = [];
  if (results.groups.some((g) => g.bestTop5Error !== null))
    sections.push(
      '### Top-5 error (%), best epoch on test',
      '',
      renderMethodTable(results, (g) => g.bestTop5Error, false),
      '',
      '### Top-5 error (%), final epoch',
      '',
      renderMethodTable(results, (g) => g.finalTop5Error, false),
      '',
    );
  if (results.groups.some((g) => g.validationBestError !== null))
    sections.push(
      '### Top-1 error (%) on test at the epoch chosen on validation',
      '',
      renderMethodTable(results, (g) => g.validationBestError, false),
      '',
    );
  return sections;
}

export function renderMarkdown(results: BenchmarkResults): string {
  const hasPaper = results.groups.some((g) => g.paperError !== undefined);
  const title = results.name ?? results.benchmarkId;
  return [
    `## ${title}: top-1 error (%), best epoch on test (the paper's choice), mean ± std over seeds`,
    '',
    renderMethodTable(results, (g) => g.bestError, true),
    '',
    hasPaper ? `Paper values in parentheses: ${paperSource}, best epoch of one run.\n` : '',
    '### Top-1 error (%), final epoch',
    '',
    renderMethodTable(results, (g) => g.finalError, false),
    '',
    ...optionalSections(results),
    '### Balanced, many/medium/few-shot and rank-third error, macro-F1 and calibration error (%), final epoch',
    '',
    detailTable(results),
    '',
    '### Cells',
    '',
    cellTable(results),
    '',
    renderTotals(results),
    '',
  ].join('\n');
}
