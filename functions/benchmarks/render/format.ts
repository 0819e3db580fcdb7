import type { GroupResult } from '../aggregate.ts';
import type { Summary } from '../stats.ts';

// Number and cell formatting shared by the Markdown, CSV and live-table renderers.

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** `22.97 ± 0.31`, or `22.97` for a single seed, or `—`. */
export function formatSummary(summary: Summary | null, digits = 2): string {
  if (summary === null) return '—';
  return summary.std === null
    ? summary.mean.toFixed(digits)
    : `${summary.mean.toFixed(digits)} ± ${summary.std.toFixed(digits)}`;
}

/** A table entry: the value, plus failed/running counts so a failed cell is never silently dropped. */
export function formatGroupValue(group: GroupResult, value: Summary | null, withPaper = true): string {
  const { total, succeeded, failed, active } = group.counts;
  if (total === 0) return '—';
  const parts: string[] = [];
  if (succeeded === 0) parts.push(failed > 0 ? `failed ${failed}/${total}` : 'running');
  else {
    parts.push(formatSummary(value));
    if (failed > 0) parts.push(`[${failed}/${total} failed]`);
  }
  if (succeeded > 0 && active > 0) parts.push(`[${active} running]`);
  if (withPaper && group.paperError !== undefined)
    parts.push(`(paper ${group.paperError === null ? 'n/a' : group.paperError.toFixed(2)})`);
  return parts.join(' ');
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(2)} h`;
}
