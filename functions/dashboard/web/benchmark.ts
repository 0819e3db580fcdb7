// A benchmark as the paper's Table 2: methods as rows, settings as columns, mean ± std of the
// best top-1 error over seeds, failed cells counted, the paper's value beside, links to cell jobs.
import { ok } from '../../client/client.ts';
import { api, errorText } from './api.ts';
import { errorBox, h } from './dom.ts';

const fixed = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : value.toFixed(2);

export function benchmarkPage(root: HTMLElement, id: string): void {
  const error = errorBox();
  const table = h('table', { class: 'benchmark', id: 'benchmark-table' });
  const cells = h('ul', { class: 'cells' });
  root.replaceChildren(h('h1', {}, `Benchmark ${id}`), error.element, table, h('h2', {}, 'Cells'), cells);
  void (async () => {
    try {
      const results = await ok(
        api().GET('/v1/benchmarks/{id}/results', { params: { path: { id }, query: { format: 'json' } } }),
      );
      const r = results as Exclude<typeof results, string>;
      const head = h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'method'),
        ...r.settings.map((s) => h('th', { scope: 'col' }, s.label)),
      );
      const rows = r.methods.map((m) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, m.label),
          ...r.settings.map((s) => {
            const g = r.groups.find((x) => x.method === m.name && x.setting === s.index);
            const best = g?.bestError;
            const std = best?.std === null || best?.std === undefined ? '' : ` ± ${fixed(best.std)}`;
            return h(
              'td',
              {},
              best === null || best === undefined ? '–' : `${fixed(best.mean)}${std}`,
              g !== undefined && g.counts.failed > 0
                ? h('span', { class: 'failed' }, ` (${g.counts.failed} failed)`)
                : '',
              g?.paperError === undefined ? '' : h('small', {}, ` paper ${fixed(g.paperError)}`),
            );
          }),
        ),
      );
      table.replaceChildren(
        h('caption', {}, `${r.name ?? r.benchmarkId}: best top-1 error (%), mean ± std over seeds`),
        h('thead', {}, head),
        h('tbody', {}, ...rows),
      );
      cells.replaceChildren(
        ...r.cells.map((c) =>
          h(
            'li',
            {},
            c.jobId === null ? c.id : h('a', { href: `#/jobs/${c.jobId}` }, c.id),
            ` ${c.state}${c.reason === undefined ? '' : `: ${c.reason}`}`,
          ),
        ),
      );
    } catch (e) {
      error.show(errorText(e));
    }
  })();
}
