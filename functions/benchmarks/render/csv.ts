import type { BenchmarkResults } from '../aggregate.ts';

// One CSV row per cell (RFC 4180 quoting): every measured number, its state, and what it cost.

const columns = [
  'cell',
  'method',
  'setting',
  'seed',
  'job_id',
  'state',
  'reason',
  'final_error',
  'best_error',
  'best_epoch',
  'final_epoch',
  'balanced_error',
  'many_error',
  'medium_error',
  'few_error',
  'head_error',
  'middle_error',
  'tail_error',
  'final_top5_error',
  'best_top5_error',
  'macro_f1',
  'ece',
  'validation_best_error',
  'validation_best_epoch',
  'wall_seconds',
  'backend',
  'device',
  'devices',
  'device_seconds',
  'cost',
] as const;

function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderCsv(results: BenchmarkResults): string {
  const settingLabel = new Map(results.settings.map((s) => [s.index, s.label]));
  const price = results.pricePerDeviceHour;
  const lines = results.cells.map((c) => {
    const m = c.metrics;
    const cost =
      c.cost === undefined || price === undefined ? undefined : (c.cost.deviceSeconds / 3600) * price;
    return [
      c.id,
      c.method,
      settingLabel.get(c.setting) ?? String(c.setting),
      c.seed,
      c.jobId,
      c.state,
      c.reason,
      m?.finalError,
      m?.bestError,
      m?.bestEpoch,
      m?.finalEpoch,
      m?.balancedError,
      m?.manyError,
      m?.mediumError,
      m?.fewError,
      m?.headError,
      m?.middleError,
      m?.tailError,
      m?.finalTop5Error,
      m?.bestTop5Error,
      m?.macroF1,
      m?.ece,
      m?.validationBestError,
      m?.validationBestEpoch,
      c.cost?.wallSeconds,
      c.cost?.backend,
      c.cost?.device,
      c.cost?.devices,
      c.cost?.deviceSeconds,
      cost,
    ]
      .map(field)
      .join(',');
  });
  return `${[columns.join(','), ...lines].join('\r\n')}\r\n`;
}
