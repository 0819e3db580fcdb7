import type { Report } from './schema.ts';
import { countLabel, decadeDomain, decadeTicks, escapeXml, linearScale, logScale, px } from './svg-scale.ts';

const width = 800;
const plot = { left: 70, right: 780 };
const countPanel = { top: 80, bottom: 200 };
const errorPanel = { top: 225, bottom: 445 };
const height = 530;
const colors = { count: '#9e9e9e', final: '#1f77b4', best: '#d62728', axis: '#333', grid: '#ddd' };

/**
 * Per-class error against training images: classes sorted by count (head left), training images
 * on a log axis above, final (circles) and best (squares) error below, one mark per class each.
 */
export function reportToSvg(report: Report): string {
  const classes = [...report.classes].sort((a, b) => b.trainCount - a.trainCount || a.index - b.index);
  const slot = (plot.right - plot.left) / classes.length;
  const xOf = (rank: number): number => plot.left + slot * (rank + 0.5);
  const { lo, hi } = decadeDomain(classes.map((c) => Math.max(1, c.trainCount)));
  const yCount = logScale(lo, hi, countPanel.bottom, countPanel.top);
  const yError = linearScale(0, 1, errorPanel.bottom, errorPanel.top);
  const barWidth = Math.max(1, slot * 0.7);
  const markSize = Math.max(2, Math.min(4, slot * 0.3));

  const parts: string[] = [];
  const split = report.final.split;
  parts.push(
    text(plot.left, 24, `Per-class ${split} error vs training images: ${report.spec.dataset.name}`, {
      'font-size': 16,
      'font-weight': 'bold',
    }),
    text(plot.left, 42, `job ${report.jobId}`, { 'font-size': 11, fill: '#666' }),
  );

  for (const tick of decadeTicks(lo, hi)) {
    const y = yCount(tick);
    parts.push(line(plot.left, y, plot.right, y, colors.grid));
    if (tick >= 1)
      parts.push(text(plot.left - 6, y + 4, countLabel(tick), { 'text-anchor': 'end', 'font-size': 10 }));
  }
  for (let step = 0; step <= 5; step++) {
    const tick = step / 5;
    const y = yError(tick);
    parts.push(line(plot.left, y, plot.right, y, colors.grid));
    parts.push(
      text(plot.left - 6, y + 4, `${Math.round(tick * 100)}%`, { 'text-anchor': 'end', 'font-size': 10 }),
    );
  }
  parts.push(
    line(plot.left, countPanel.top, plot.left, countPanel.bottom, colors.axis),
    line(plot.left, countPanel.bottom, plot.right, countPanel.bottom, colors.axis),
    line(plot.left, errorPanel.top, plot.left, errorPanel.bottom, colors.axis),
    line(plot.left, errorPanel.bottom, plot.right, errorPanel.bottom, colors.axis),
    verticalLabel(18, (countPanel.top + countPanel.bottom) / 2, 'training images (log)'),
    verticalLabel(18, (errorPanel.top + errorPanel.bottom) / 2, `${split} error`),
    text((plot.left + plot.right) / 2, height - 12, 'classes, sorted by training images (head → tail)', {
      'text-anchor': 'middle',
      'font-size': 12,
    }),
  );

  classes.forEach((c, rank) => {
    const x = xOf(rank);
    const data = `data-class="${c.index}" data-count="${c.trainCount}"`;
    const top = yCount(Math.max(1, c.trainCount));
    parts.push(
      `<rect data-series="count" ${data} x="${px(x - barWidth / 2)}" y="${px(top)}" width="${px(barWidth)}" height="${px(countPanel.bottom - top)}" fill="${colors.count}"/>`,
    );
    const finalError = report.final.perClassError[c.index];
    if (finalError !== null && finalError !== undefined)
      parts.push(
        `<circle data-series="final" ${data} data-error="${finalError}" cx="${px(x)}" cy="${px(yError(finalError))}" r="${px(markSize)}" fill="${colors.final}"/>`,
      );
    const bestError = report.best.perClassError[c.index];
    if (bestError !== null && bestError !== undefined)
      parts.push(
        `<rect data-series="best" ${data} data-error="${bestError}" x="${px(x - markSize)}" y="${px(yError(bestError) - markSize)}" width="${px(2 * markSize)}" height="${px(2 * markSize)}" fill="none" stroke="${colors.best}" stroke-width="1.5"/>`,
      );
  });
  parts.push(...classLabels(classes, xOf));
  parts.push(...legend(report));

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

// Names fit under each class up to ~30 classes; beyond that every n-th class index is labelled.
function classLabels(classes: Report['classes'], xOf: (rank: number) => number): string[] {
  const named = classes.length <= 30;
  const every = named ? 1 : Math.ceil(classes.length / 20);
  const y = errorPanel.bottom + 12;
  return classes.flatMap((c, rank) => {
    if (rank % every !== 0) return [];
    const x = xOf(rank);
    const label = named ? c.name : String(c.index);
    return [
      `<text x="${px(x)}" y="${px(y)}" font-size="10" text-anchor="end" transform="rotate(-45 ${px(x)} ${px(y)})">${escapeXml(label)}</text>`,
    ];
  });
}

// One row under the title: count bar, final circle, best square.
function legend(report: Report): string[] {
  const y = 58;
  const items = [
    {
      label: 'training images',
      mark: (x: number) => `<rect x="${x}" y="${y - 5}" width="10" height="10" fill="${colors.count}"/>`,
    },
    {
      label: `final (epoch ${report.final.epoch})`,
      mark: (x: number) => `<circle cx="${x + 5}" cy="${y}" r="4" fill="${colors.final}"/>`,
    },
    {
      label: `best (epoch ${report.best.epoch}, chosen on ${report.best.chosenOn})`,
      mark: (x: number) =>
        `<rect x="${x + 1}" y="${y - 4}" width="8" height="8" fill="none" stroke="${colors.best}" stroke-width="1.5"/>`,
    },
  ];
  const offsets = [0, 130, 260];
  return items.flatMap((item, i) => {
    const x = plot.left + (offsets[i] as number);
    return [item.mark(x), text(x + 16, y + 4, item.label, { 'font-size': 11 })];
  });
}

function text(
  x: number,
  y: number,
  content: string,
  attributes: Record<string, string | number> = {},
): string {
  const extra = Object.entries(attributes)
    .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
    .join('');
  return `<text x="${px(x)}" y="${px(y)}"${extra}>${escapeXml(content)}</text>`;
}

function verticalLabel(x: number, y: number, content: string): string {
  return text(x, y, content, {
    'text-anchor': 'middle',
    'font-size': 12,
    transform: `rotate(-90 ${px(x)} ${px(y)})`,
  });
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" stroke="${stroke}" stroke-width="1"/>`;
}
