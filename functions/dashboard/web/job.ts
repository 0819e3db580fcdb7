// A job's page: live curves from the event stream, per-class chart and groups from the report,
// confusion matrix, log tail, artifacts, cancel and retry.

import { confusionChartSpec } from '../../../trainer/reports/charts/confusion.ts';
import { type CurvePoint, curvesSpec } from '../../../trainer/reports/charts/curves.ts';
import { perClassChartSpec } from '../../../trainer/reports/charts/per-class.ts';
import type { Report } from '../../../trainer/reports/schema.ts';
import { ok } from '../../client/client.ts';
import { api, errorText, followEvents } from './api.ts';
import { drawChart } from './chart.ts';
import { errorBox, h, percent } from './dom.ts';
import { type JobView, methodOf } from './job-labels.ts';

const logLines = 40;

/** The page's sections, attached to `root` in reading order. */
function jobPageLayout(root: HTMLElement) {
  const parts = {
    error: errorBox(),
    header: h('div', { class: 'job-header' }),
    curves: h('figure', { id: 'curves', 'aria-label': 'training curves' }),
    report: h('section', { id: 'report', 'aria-label': 'per-class report' }),
    logs: h('pre', { id: 'logs', tabindex: '0', 'aria-label': 'log tail' }),
    artifacts: h('ul', { id: 'artifacts' }),
    live: h('p', { id: 'stream-state', 'aria-live': 'polite' }),
  };
  root.replaceChildren(
    parts.header,
    parts.error.element,
    h('h2', {}, 'Curves'),
    parts.live,
    parts.curves,
    parts.report,
    h('h2', {}, 'Log tail'),
    parts.logs,
    h('h2', {}, 'Artifacts'),
    parts.artifacts,
  );
  return parts;
}

export function jobPage(root: HTMLElement, id: string): () => void {
  const { error, header, curves, report, logs, artifacts, live } = jobPageLayout(root);
  const points: CurvePoint[] = [];
  const run = h('span');
  let redraw: ReturnType<typeof setTimeout> | undefined;
  const drawCurves = () => {
    redraw ??= setTimeout(() => {
      redraw = undefined;
      const count = points.length;
      void drawChart(curves, curvesSpec(points)).then(() => {
        curves.dataset.points = String(count);
      });
    }, 150);
  };
  // Drawn once: every replayed status event refreshes the header, and redrawing the report each
  // time replaced a finished chart with an empty one (0 marks) while the next one rendered.
  let reportDrawn: Promise<void> | undefined;
  const refresh = async () => {
    try {
      const job = await ok(api().GET('/v1/jobs/{id}', { params: { path: { id } } }));
      run.textContent = job.name ?? job.id;
      renderHeader(header, job, error, refresh);
      await Promise.all([renderLogs(logs, id), renderArtifacts(artifacts, id)]);
      if (job.status === 'succeeded') {
        reportDrawn ??= renderReport(report, id).catch((e: unknown) => {
          reportDrawn = undefined;
          throw e;
        });
        await reportDrawn;
      }
    } catch (e) {
      error.show(errorText(e));
    }
  };
  void refresh();
  const stop = followEvents(id, {
    onEvent: (kind, data) => {
      const event = data as { key?: string; epoch?: number; value?: number | null };
      if (kind === 'metric' && event.key !== undefined && !event.key.includes('/')) {
        if (typeof event.value === 'number' && event.epoch !== undefined) {
          points.push({
            run: run.textContent || id,
            metric: event.key,
            epoch: event.epoch,
            value: event.value,
          });
          drawCurves();
        }
      } else if (kind === 'status') void refresh();
    },
    onEnd: () => {
      live.textContent = 'stream ended';
      void refresh();
    },
    onState: (state) => {
      live.textContent = state === 'open' ? 'live' : 'reconnecting…';
    },
  });
  return () => {
    stop();
    if (redraw !== undefined) clearTimeout(redraw);
  };
}

function renderHeader(
  header: HTMLElement,
  job: JobView,
  error: ReturnType<typeof errorBox>,
  refresh: () => Promise<void>,
): void {
  const act = (action: 'cancel' | 'retry') => async () => {
    error.clear();
    try {
      const path = { params: { path: { id: job.id } } };
      await ok(
        action === 'cancel'
          ? api().POST('/v1/jobs/{id}/cancel', path)
          : api().POST('/v1/jobs/{id}/retry', path),
      );
      await refresh();
    } catch (e) {
      error.show(errorText(e));
    }
  };
  header.replaceChildren(
    h('h1', {}, job.name ?? job.id),
    h(
      'p',
      {},
      h('span', { class: `status ${job.status}`, id: 'job-status' }, job.status),
      ` attempt ${job.attempt} · ${job.spec.dataset.name} · ${job.spec.model.arch} · ${methodOf(job.spec)} · epoch ${job.progress.epoch}/${job.progress.epochs}`,
      job.failureReason === undefined ? '' : ` · ${job.failureReason}`,
    ),
    h(
      'p',
      {},
      h('button', { type: 'button', id: 'cancel', onclick: act('cancel') }, 'Cancel'),
      ' ',
      h('button', { type: 'button', id: 'retry', onclick: act('retry') }, 'Retry'),
      ' ',
      h('a', { href: `#/compare?jobs=${job.id}` }, 'Compare…'),
    ),
  );
}

async function renderLogs(pre: HTMLElement, id: string): Promise<void> {
  const text = await ok(api().GET('/v1/jobs/{id}/logs', { params: { path: { id } }, parseAs: 'text' }));
  pre.textContent = (text ?? '').trimEnd().split('\n').slice(-logLines).join('\n') || '(no log yet)';
}

async function renderArtifacts(list: HTMLElement, id: string): Promise<void> {
  const { artifacts } = await ok(api().GET('/v1/jobs/{id}/artifacts', { params: { path: { id } } }));
  list.replaceChildren(
    ...artifacts.map((a) => h('li', {}, h('a', { href: a.url, download: true }, a.name), ` ${a.size} bytes`)),
  );
}

export async function fetchReport(id: string): Promise<Report> {
  return (await ok(api().GET('/v1/jobs/{id}/report', { params: { path: { id } } }))) as Report;
}

async function renderReport(section: HTMLElement, id: string): Promise<void> {
  const report = await fetchReport(id);
  const chart = h('figure', { id: 'per-class', 'aria-label': 'per-class error' });
  const groups = report.final.groups;
  const confusion = h('figure', { id: 'confusion', 'aria-label': 'confusion matrix' });
  // Above the dense limit the report keeps only the top confusions; the chart lists those.
  const hasConfusion = report.final.confusion !== null || report.final.topConfusions.length > 0;
  section.replaceChildren(
    h('h2', {}, 'Per class'),
    chart,
    h(
      'table',
      { class: 'groups' },
      h('caption', {}, `${report.final.split} error by class group (final epoch ${report.final.epoch})`),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['top-1', 'balanced', 'many', 'medium', 'few'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        h(
          'tr',
          {},
          h('td', {}, percent(report.final.top1Error)),
          h('td', {}, percent(report.final.balancedError)),
          ...[groups.many, groups.medium, groups.few].map((g) =>
            h('td', {}, `${percent(g.error)} (${g.classes} classes)`),
          ),
        ),
      ),
    ),
    hasConfusion ? h('h2', {}, 'Confusion') : '',
    hasConfusion ? confusion : '',
  );
  await drawChart(chart, perClassChartSpec(report));
  if (hasConfusion) await drawChart(confusion, confusionChartSpec(report));
}
