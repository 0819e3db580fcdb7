import { classesByTrainCount, shotGroupOf } from '../metrics/index.ts';
import { describeImbalance, describeLoss, describeRebalance, percent } from './format.ts';
import { fullListMaxClasses, rankBins, worstClasses } from './per-class-view.ts';
import { posthocMarkdown } from './posthoc-markdown.ts';
import type { EvaluationSummary, Report } from './schema.ts';
import { cell, table } from './table.ts';

/** A summary (setup, final vs best), post-hoc rows and a per-class view, as GitHub-flavoured Markdown. */
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
    `- Best epoch chosen on the ${best.chosenOn} split; "best on test" is the paper's choice (lowest test error); errors below are on the ${final.split} split.`,
  ];
  return [
    ...setup,
    '',
    '## Summary',
    '',
    summaryTable(report),
    '',
    ...posthocMarkdown(report),
    `## Per class${report.classes.length > fullListMaxClasses ? ` (${report.classes.length} classes: rank bins and the worst classes)` : ''}`,
    '',
    perClassSection(report),
    '',
    '## Most frequent confusions (final epoch)',
    '',
    confusionTable(report),
    '',
  ].join('\n');
}

function summaryTable(report: Report): string {
  const { final, best, bestOnTest } = report;
  const columns: [string, EvaluationSummary][] = [
    [`final (epoch ${final.epoch})`, final],
    [`best on ${best.chosenOn} (epoch ${best.epoch})`, best],
    ...(bestOnTest === null || best.chosenOn === 'test'
      ? []
      : [
          [`best on test, the paper's choice (epoch ${bestOnTest.epoch})`, bestOnTest] as [
            string,
            EvaluationSummary,
          ],
        ]),
  ];
  const line = (label: string, value: (e: EvaluationSummary) => string): string[] => [
    label,
    ...columns.map(([, e]) => value(e)),
  ];
  const thirds = final.rankThirds;
  const third = (name: 'head' | 'middle' | 'tail', t = thirds[name]) =>
    line(
      `${name} third by training images (${t.classes} classes, ${t.minTrainCount}–${t.maxTrainCount})`,
      (e) => percent(e.rankThirds[name].error),
    );
  return table(
    ['', ...columns.map(([label]) => label)],
    [
      line('top-1 error', (e) => percent(e.top1Error)),
      line('top-5 error', (e) => percent(e.top5Error)),
      line('balanced error', (e) => percent(e.balancedError)),
      ...(['many', 'medium', 'few'] as const).map((g) =>
        line(`${g}-shot error (${final.groups[g].classes} classes)`, (e) => percent(e.groups[g].error)),
      ),
      third('head'),
      third('middle'),
      third('tail'),
      line('macro-F1', (e) => percent(e.macroF1)),
      line('expected calibration error (15 bins)', (e) => percent(e.calibration?.ece)),
    ],
  );
}

function perClassSection(report: Report): string {
  const { final, best } = report;
  const row = (c: number): string[] => {
    const info = report.classes[c] as Report['classes'][number];
    return [
      String(c),
      cell(info.name),
      String(info.trainCount),
      shotGroupOf(info.trainCount),
      percent(final.perClassError[c]),
      percent(best.perClassError[c]),
      percent(final.perClassPrecision[c]),
      percent(final.perClassF1[c]),
    ];
  };
  const header = ['class', 'name', 'train images', 'group', 'final error', 'best error', 'precision', 'F1'];
  if (report.classes.length <= fullListMaxClasses)
    return table(header, classesByTrainCount(report.classes.map((c) => c.trainCount)).map(row), [1, 3]);
  const bins = table(
    ['ranks by training images', 'train images', 'final error', 'best error'],
    rankBins(report).map((b) => [
      `${b.firstRank}–${b.lastRank}`,
      `${b.minTrainCount}–${b.maxTrainCount}`,
      percent(b.finalError),
      percent(b.bestError),
    ]),
  );
  const worst = worstClasses(report);
  return [
    bins,
    '',
    `Worst ${worst.length} classes (final error):`,
    '',
    table(header, worst.map(row), [1, 3]),
  ].join('\n');
}

function confusionTable(report: Report): string {
  const name = (c: number) => cell(report.classes[c]?.name ?? String(c));
  const pairs = report.final.topConfusions.slice(0, 10);
  if (pairs.length === 0) return 'No mistakes.';
  return table(
    ['true class', 'predicted as', 'images', 'share of the class'],
    pairs.map((p) => [
      `${p.trueClass} ${name(p.trueClass)}`,
      `${p.predicted} ${name(p.predicted)}`,
      String(p.count),
      percent(p.count / Math.max(1, report.final.perClassCount[p.trueClass] ?? 0)),
    ]),
    [0, 1],
  );
}
