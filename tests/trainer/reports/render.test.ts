import { describe, expect, it } from 'vitest';
import { parseReport, reportToCsv, reportToMarkdown, reportToSvg } from '../../../trainer/reports/index.ts';
import { classNames, sampleReport } from './sample-report.ts';

const report = parseReport(sampleReport());

/** Minimal CSV reader (RFC 4180 quoting) to check the writer independently. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  return rows;
}

interface Element {
  name: string;
  attributes: Record<string, string>;
}

/** Checks tag balance and attribute syntax, returning every element; throws if not well-formed. */
function parseXmlElements(xml: string): Element[] {
  const elements: Element[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let position = 0;
  for (const match of xml.matchAll(tag)) {
    const between = xml.slice(position, match.index);
    if (/[<>]/.test(between)) throw new Error(`stray markup before offset ${match.index}: ${between}`);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(between)) throw new Error(`unescaped & in ${between}`);
    position = match.index + match[0].length;
    const [, closing, name = '', attributeText = '', selfClosing] = match;
    if (closing) {
      if (stack.pop() !== name) throw new Error(`mismatched </${name}>`);
      continue;
    }
    const attributes = Object.fromEntries(
      [...attributeText.matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    elements.push({ name, attributes });
    if (!selfClosing) stack.push(name);
  }
  if (/[<>]/.test(xml.slice(position))) throw new Error('stray markup at the end');
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return elements;
}

describe('reportToCsv', () => {
  it('writes one row per class with name, train count, final and best error', () => {
    const rows = readCsv(reportToCsv(report));
    expect(rows[0]?.slice(0, 5)).toEqual(['class', 'name', 'trainCount', 'finalError', 'bestError']);
    expect(rows[0]?.slice(5)).toEqual([
      'testCount',
      'finalPrecision',
      'finalRecall',
      'finalF1',
      'bestOnTestError',
    ]);
    expect(rows).toHaveLength(11);
    rows.slice(1).forEach((row, c) => {
      expect(row.slice(0, 3)).toEqual([String(c), classNames[c], String(report.classes[c]?.trainCount)]);
      expect(Number(row[3])).toBeCloseTo(c / 10, 12);
      expect(Number(row[4])).toBeCloseTo(Math.floor(c / 2) / 10, 12);
    });
  });
});

describe('reportToMarkdown', () => {
  const markdown = reportToMarkdown(report);

  it('summarises final and best with their epochs and the selection split', () => {
    expect(markdown).toContain('| top-1 error | 45.00% | 20.00% | 12.00% |');
    expect(markdown).toContain('final (epoch 10)');
    expect(markdown).toContain('best on validation (epoch 7)');
    expect(markdown).toContain("best on test, the paper's choice (epoch 6)");
    expect(markdown).toMatch(/\| top-5 error \| 1\.00% \|/);
    expect(markdown).toMatch(/\| head third by training images \(3 classes, 215–600\) \| 10\.00% \|/);
    expect(markdown).toContain('| macro-F1 |');
    expect(markdown).toContain('| expected calibration error (15 bins) |');
    expect(markdown).toContain('chosen on the validation split');
    expect(markdown).toContain('LDAM (max margin 0.5, s = 30)');
    expect(markdown).toContain('drw after epoch 8 (class-balanced, β = 0.9999)');
  });

  it('has a per-class row with group and errors, escaping pipes', () => {
    expect(markdown).toContain('| 0 | t-shirt | 600 | many | 0.00% | 0.00% | 52.63% | 68.97% |');
    expect(markdown).toContain('| 8 | bag\\|tote | 10 | few | 80.00% | 40.00% |');
    const perClassRows = markdown
      .split('## Per class')[1]
      ?.split('\n')
      .filter((l) => /^\| \d+ \|/.test(l));
    expect(perClassRows).toHaveLength(10);
  });
});

describe('reportToSvg', async () => {
  const svg = await reportToSvg(report);
  const elements = parseXmlElements(svg);
  // Vega writes each mark's description as its aria-label, e.g. "dress: 129 training images".
  const marks = (role: string) =>
    elements.filter((e) => e.attributes['aria-roledescription'] === role && e.attributes['aria-label']);
  const unescapeXml = (text: string) =>
    text.replace(
      /&(lt|gt|quot|#39|amp);/g,
      (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e] ?? e,
    );
  const nameOf = (e: Element) => unescapeXml((e.attributes['aria-label'] ?? '').replace(/:[^:]*$/, ''));
  const translate = (e: Element) =>
    (/translate\(([-\d.]+),([-\d.]+)\)/.exec(e.attributes.transform ?? '') ?? []).slice(1).map(Number);

  it('is a well-formed standalone SVG document with escaped class names', () => {
    expect(elements[0]?.name).toBe('svg');
    expect(elements[0]?.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(svg).toContain('boot &lt;ankle&gt;');
    expect(svg).not.toContain('boot <ankle>');
  });

  it('draws one count bar and one final and one best mark per class', () => {
    expect(marks('bar').map(nameOf).sort()).toEqual([...classNames].sort());
    const points = marks('point');
    for (const series of ['final (epoch 10)', 'best (epoch 7, chosen on validation)'])
      expect(
        points
          .filter((p) => p.attributes['aria-label']?.includes(series))
          .map(nameOf)
          .sort(),
      ).toEqual([...classNames].sort());
  });

  it('orders classes head → tail and places higher errors higher up', () => {
    const bars = marks('bar');
    const left = (e: Element) => Number(/^M([-\d.]+),/.exec(e.attributes.d ?? '')?.[1]);
    const byPosition = [...bars].sort((a, b) => left(a) - left(b)).map(nameOf);
    const byCount = [...report.classes].sort((a, b) => b.trainCount - a.trainCount).map((c) => c.name);
    expect(byPosition).toEqual(byCount);
    const finals = marks('point').filter((p) => p.attributes['aria-label']?.includes('final'));
    const y = (name: string) => translate(finals.find((p) => nameOf(p) === name) as Element)[1] as number;
    // Sample errors rise with the class index: class 9 (90%) sits above class 1 (10%).
    expect(y(classNames[9] as string)).toBeLessThan(y(classNames[1] as string));
  });

  it('draws counts on a log axis: equal ratios are equal heights', () => {
    const height = (name: string) => {
      const bar = marks('bar').find((b) => nameOf(b) === name);
      return Number(/v([-\d.]+)h/.exec(bar?.attributes.d ?? '')?.[1]);
    };
    const counts = report.classes.map((c) => c.trainCount);
    const names = classNames as readonly string[];
    const perDecade =
      (height(names[0] as string) - height(names[9] as string)) /
      Math.log10((counts[0] as number) / (counts[9] as number));
    expect(perDecade).toBeGreaterThan(0);
    const mid =
      height(names[0] as string) - perDecade * Math.log10((counts[0] as number) / (counts[5] as number));
    expect(height(names[5] as string)).toBeCloseTo(mid, 1);
  });
});
