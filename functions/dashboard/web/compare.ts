// Compare view: the selected jobs' curves overlaid, training vs balanced test error (the paper's
// Figure 3) and their per-class errors side by side.
import { type CurvePoint, curvesSpec } from '../../../trainer/reports/charts/curves.ts';
import { perClassCompareSpec } from '../../../trainer/reports/charts/per-class-compare.ts';
import { trainTestErrorSpec } from '../../../trainer/reports/charts/train-test-error.ts';
import type { Report } from '../../../trainer/reports/schema.ts';
import { ok } from '../../client/client.ts';
import { api, errorText } from './api.ts';
import { drawChart } from './chart.ts';
import { errorBox, h } from './dom.ts';
import { fetchReport } from './job.ts';
import { jobLabel } from './job-labels.ts';

/** Every metric point of a job, read through the JSON events pages (bounded). */
async function metricPoints(id: string, run: string): Promise<CurvePoint[]> {
  const points: CurvePoint[] = [];
  let after: string | undefined;
  for (let page = 0; page < 200; page++) {
    const query = after === undefined ? {} : { after };
    const read = await ok(api().GET('/v1/jobs/{id}/events', { params: { path: { id }, query } }));
    const events = (
      read as { events: { kind: string; key?: string; epoch?: number; value?: number | null }[] }
    ).events;
    for (const e of events)
      if (e.kind === 'metric' && e.key !== undefined && !e.key.includes('/') && typeof e.value === 'number')
        points.push({ run, metric: e.key, epoch: e.epoch ?? 0, value: e.value });
    const position = (read as { position: string }).position;
    if (events.length === 0 || position === after) break;
    after = position;
  }
  return points;
}

export function comparePage(root: HTMLElement, query: URLSearchParams): void {
  const ids = (query.get('jobs') ?? '').split(',').filter((id) => id !== '');
  const error = errorBox();
  const curves = h('figure', { id: 'compare-curves', 'aria-label': 'curves of the compared jobs' });
  const trainTest = h('figure', {
    id: 'compare-train-test',
    'aria-label': 'training error (dotted) against balanced test error (solid) per epoch',
  });
  const perClass = h('figure', {
    id: 'compare-per-class',
    'aria-label': 'per-class errors of the compared jobs',
  });
  root.replaceChildren(
    h('h1', {}, `Compare ${ids.length} jobs`),
    ids.length < 2 ? h('p', {}, 'Select two or more jobs in the runs table.') : '',
    error.element,
    curves,
    trainTest,
    perClass,
  );
  void (async () => {
    try {
      const jobs = await Promise.all(
        ids.map((id) => ok(api().GET('/v1/jobs/{id}', { params: { path: { id } } }))),
      );
      const labels = jobs.map(jobLabel);
      const points = (await Promise.all(jobs.map((j, i) => metricPoints(j.id, labels[i] ?? j.id)))).flat();
      curves.dataset.runs = String(new Set(points.map((p) => p.run)).size);
      await drawChart(curves, curvesSpec(points));
      await drawChart(trainTest, trainTestErrorSpec(points));
      const reports: { run: string; report: Report }[] = [];
      for (const [i, job] of jobs.entries())
        if (job.status === 'succeeded')
          reports.push({ run: labels[i] ?? job.id, report: await fetchReport(job.id) });
      if (reports.length > 0) await drawChart(perClass, perClassCompareSpec(reports));
    } catch (e) {
      error.show(errorText(e));
    }
  })();
}
