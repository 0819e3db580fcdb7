import type { BenchmarkResults } from '../aggregate.ts';

// Per-class top-1 error by method: one panel per setting, one line per method, classes in label
// order (head first for the long-tailed and step splits), mean over seeds.

const palette = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#ff7f0e',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];
const panelWidth = 420;
const panelHeight = 260;
const margin = { left: 48, right: 16, top: 28, bottom: 36 };
const legendWidth = 200;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function colorOf(index: number): string {
  return palette[index % palette.length] ?? '#000000';
}

function panel(results: BenchmarkResults, settingIndex: number, x0: number, y0: number): string {
  const setting = results.settings[settingIndex];
  if (setting === undefined) return '';
  const plotW = panelWidth - margin.left - margin.right;
  const plotH = panelHeight - margin.top - margin.bottom;
  const left = x0 + margin.left;
  const top = y0 + margin.top;
  const series = results.methods.map((m) =>
    results.groups.find((g) => g.method === m.name && g.setting === setting.index),
  );
  const classes = Math.max(1, ...series.map((g) => g?.perClassError?.length ?? 0));
  const xOf = (k: number) => left + (classes === 1 ? plotW / 2 : (k / (classes - 1)) * plotW);
  const yOf = (error: number) => top + plotH - (Math.min(100, Math.max(0, error)) / 100) * plotH;
  const parts: string[] = [
    `<text x="${left + plotW / 2}" y="${y0 + 18}" text-anchor="middle" font-weight="bold">${escapeXml(setting.label)}</text>`,
    `<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  ];
  for (const tick of [0, 25, 50, 75, 100])
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${yOf(tick)}" y2="${yOf(tick)}" stroke="#eee"/>`,
      `<text x="${left - 6}" y="${yOf(tick) + 4}" text-anchor="end">${tick}</text>`,
    );
  const xTicks = classes <= 20 ? [...Array(classes).keys()] : [0, Math.floor((classes - 1) / 2), classes - 1];
  for (const k of xTicks)
    parts.push(`<text x="${xOf(k)}" y="${top + plotH + 16}" text-anchor="middle">${k}</text>`);
  parts.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 32}" text-anchor="middle">class (head → tail)</text>`,
    `<text x="${x0 + 12}" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${top + plotH / 2})">error %</text>`,
  );
  series.forEach((group, i) => {
    const errors = group?.perClassError;
    if (errors === null || errors === undefined || errors.length === 0) return;
    const points = errors
      .flatMap((e, k) => (e === null ? [] : [`${xOf(k).toFixed(1)},${yOf(e).toFixed(1)}`]))
      .join(' ');
    const name = escapeXml(results.methods[i]?.label ?? '');
    parts.push(
      `<polyline data-method="${name}" points="${points}" fill="none" stroke="${colorOf(i)}" stroke-width="1.8"/>`,
    );
  });
  return parts.join('\n');
}

function legend(results: BenchmarkResults, x0: number): string {
  return results.methods
    .map((method, i) => {
      const groups = results.groups.filter((g) => g.method === method.name);
      const measured = groups.some((g) => g.perClassError !== null);
      const failed = groups.reduce((a, g) => a + g.counts.failed, 0);
      const note = measured
        ? failed > 0
          ? ` (${failed} failed)`
          : ''
        : failed > 0
          ? ' (failed)'
          : ' (no data)';
      const y = margin.top + 16 * i;
      return (
        `<line x1="${x0}" x2="${x0 + 20}" y1="${y}" y2="${y}" stroke="${colorOf(i)}" stroke-width="3"/>` +
        `<text x="${x0 + 26}" y="${y + 4}">${escapeXml(method.label + note)}</text>`
      );
    })
    .join('\n');
}

export function renderSvg(results: BenchmarkResults): string {
  const columns = Math.min(2, Math.max(1, results.settings.length));
  const rows = Math.ceil(results.settings.length / columns) || 1;
  const width = columns * panelWidth + legendWidth;
  const height = Math.max(rows * panelHeight, margin.top + 16 * results.methods.length + 16);
  const panels = results.settings.map((_, i) =>
    panel(results, i, (i % columns) * panelWidth, Math.floor(i / columns) * panelHeight),
  );
  const title = escapeXml(`${results.name ?? results.benchmarkId}: per-class top-1 error by method`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${title}</title>`,
    '<rect width="100%" height="100%" fill="white"/>',
    ...panels,
    legend(results, columns * panelWidth + 8),
    '</svg>',
    '',
  ].join('\n');
}
