// The runs table: the caller's jobs newest first, filtered by status, one API page at a time.
import { ok } from '../../client/client.ts';
import { api, errorText } from './api.ts';
import { duration, errorBox, h, percent } from './dom.ts';
import { type JobView, methodOf, runSeconds } from './job-labels.ts';

const statuses = ['', 'queued', 'starting', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'];
const pageSize = 20;
const refreshMs = 2000;

export function runsPage(root: HTMLElement, query: URLSearchParams): () => void {
  const status = query.get('status') ?? '';
  const cursor = query.get('cursor') ?? undefined;
  const error = errorBox();
  const filter = h(
    'select',
    {
      id: 'status-filter',
      onchange: (event) => {
        const value = (event.target as HTMLSelectElement).value;
        location.hash = value === '' ? '#/' : `#/?status=${value}`;
      },
    },
    ...statuses.map((s) =>
      h('option', { value: s, ...(s === status ? { selected: true } : {}) }, s || 'all'),
    ),
  );
  const body = h('tbody');
  const compare = h('button', { type: 'button', id: 'compare-selected', disabled: true }, 'Compare selected');
  const pager = h('nav', { 'aria-label': 'pages' });
  root.replaceChildren(
    h('h1', {}, 'Runs'),
    h('p', {}, h('label', { for: 'status-filter' }, 'Status '), filter, ' ', compare),
    error.element,
    h(
      'table',
      { class: 'runs' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...[
            '',
            'job',
            'status',
            'dataset',
            'model',
            'method',
            'epoch',
            'balanced error',
            'top-1 error',
            'duration',
          ].map((t) => h('th', { scope: 'col' }, t || h('span', { class: 'sr-only' }, 'select'))),
        ),
      ),
      body,
    ),
    pager,
  );
  const selected = new Set<string>();
  compare.addEventListener('click', () => {
    location.hash = `#/compare?jobs=${[...selected].join(',')}`;
  });
  const state = { status, cursor, selected, compare };
  // Statuses and epochs move while the page is open: the rows are read again a few seconds after
  // the last read finished (never overlapping, so a slow server is not sent a growing backlog).
  let timer: ReturnType<typeof setTimeout> | undefined;
  let left = false;
  const refresh = async () => {
    await load(body, pager, error, state);
    if (!left) timer = setTimeout(() => void refresh(), refreshMs);
  };
  void refresh();
  return () => {
    left = true;
    clearTimeout(timer);
  };
}

async function load(
  body: HTMLElement,
  pager: HTMLElement,
  error: ReturnType<typeof errorBox>,
  state: { status: string; cursor: string | undefined; selected: Set<string>; compare: HTMLElement },
): Promise<void> {
  try {
    const client = api();
    const query = {
      limit: pageSize,
      ...(state.status === '' ? {} : { status: state.status as 'running' }),
      ...(state.cursor === undefined ? {} : { cursor: state.cursor }),
    };
    const page = await ok(client.GET('/v1/jobs', { params: { query } }));
    // One read per listed job: the table costs O(page size) requests, whatever the history.
    const views = await Promise.all(
      page.jobs.map((j) => ok(client.GET('/v1/jobs/{id}', { params: { path: { id: j.id } } }))),
    );
    body.replaceChildren(...views.map((job) => row(job, state)));
    if (views.length === 0) body.replaceChildren(h('tr', {}, h('td', { colspan: '10' }, 'No jobs yet.')));
    const next = page.nextCursor;
    const base = state.status === '' ? '' : `status=${state.status}&`;
    pager.replaceChildren(
      state.cursor === undefined
        ? ''
        : h('a', { href: `#/${base ? `?${base.slice(0, -1)}` : ''}` }, 'Newest'),
      ' ',
      next === null
        ? ''
        : h('a', { href: `#/?${base}cursor=${encodeURIComponent(next)}`, id: 'older' }, 'Older →'),
    );
  } catch (e) {
    error.show(errorText(e));
  }
}

function row(job: JobView, state: { selected: Set<string>; compare: HTMLElement }): HTMLElement {
  const metrics = job.progress.metrics;
  const seconds = runSeconds(job);
  const box = h('input', {
    type: 'checkbox',
    ...(state.selected.has(job.id) ? { checked: true } : {}),
    'aria-label': `select ${job.name ?? job.id}`,
    onchange: (event) => {
      if ((event.target as HTMLInputElement).checked) state.selected.add(job.id);
      else state.selected.delete(job.id);
      (state.compare as HTMLButtonElement).disabled = state.selected.size < 2;
    },
  });
  return h(
    'tr',
    { 'data-job': job.id, 'data-status': job.status },
    h('td', {}, box),
    h('td', {}, h('a', { href: `#/jobs/${job.id}` }, job.name ?? job.id)),
    h('td', {}, h('span', { class: `status ${job.status}` }, job.status)),
    h('td', {}, job.spec.dataset.name),
    h('td', {}, job.spec.model.arch),
    h('td', {}, methodOf(job.spec)),
    h('td', {}, `${job.progress.epoch}/${job.progress.epochs}`),
    h('td', {}, percent(metrics.test_balanced_error)),
    h('td', {}, percent(metrics.test_top1_error)),
    h('td', {}, seconds === undefined ? '–' : duration(seconds)),
  );
}
