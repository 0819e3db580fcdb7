import type { BenchmarkResults } from '../aggregate.ts';
import type { BenchmarkView, CellView } from '../service.ts';
import { formatSummary } from './format.ts';

// The table `ldam bench run --follow` redraws: methods × settings, each entry the best-epoch error
// of the finished seeds and what the other seeds are doing.

function entryOf(
  cells: readonly CellView[],
  results: BenchmarkResults | undefined,
  method: string,
  setting: number,
): string {
  if (cells.length === 0) return '—';
  const group = results?.groups.find((g) => g.method === method && g.setting === setting);
  const parts: string[] = [];
  if (group !== undefined && group.bestError !== null) parts.push(formatSummary(group.bestError));
  const running = cells.filter((c) => c.state === 'running' || c.state === 'starting');
  for (const c of running) parts.push(`e${c.lastEpoch}/${c.epochs}`);
  const queued = cells.filter((c) => c.state === 'queued' || c.state === 'pending').length;
  if (queued > 0) parts.push(`${queued} waiting`);
  const failed = cells.filter((c) => ['failed', 'timed_out', 'not_submitted'].includes(c.state)).length;
  if (failed > 0) parts.push(`${failed} failed`);
  const cancelled = cells.filter((c) => c.state === 'cancelled').length;
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  const done = cells.filter((c) => c.state === 'succeeded').length;
  return `${parts.join(' ') || '…'} [${done}/${cells.length}]`;
}

function pad(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function renderLiveTable(view: BenchmarkView, results?: BenchmarkResults): string {
  const p = view.progress;
  const header = ['method', ...view.settings.map((s) => s.label)];
  const rows = view.methods.map((m) => [
    m.label,
    ...view.settings.map((s) =>
      entryOf(
        view.cells.filter((c) => c.method === m.name && c.setting === s.index),
        results,
        m.name,
        s.index,
      ),
    ),
  ]);
  const summary =
    `${view.name ?? view.id}: ${p.status} — ${p.succeeded} done, ${p.running} running, ` +
    `${p.pending} pending, ${p.failed} failed, ${p.cancelled} cancelled of ${p.total} (best-epoch top-1 error %)`;
  return `${summary}\n${pad([header, ...rows])}\n`;
}
