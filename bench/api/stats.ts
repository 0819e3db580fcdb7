// Latency percentiles (nearest rank) and the table row the API benchmark prints per request kind.

export interface Sample {
  readonly ms: number;
  readonly calls: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly callsMean: number;
  readonly callsMax: number;
}

export function summarise(samples: readonly Sample[]): Summary {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const calls = samples.map((s) => s.calls);
  return {
    n: samples.length,
    p50: percentile(ms, 50),
    p90: percentile(ms, 90),
    p99: percentile(ms, 99),
    max: ms.at(-1) ?? Number.NaN,
    callsMean: calls.reduce((a, b) => a + b, 0) / Math.max(1, calls.length),
    callsMax: Math.max(0, ...calls),
  };
}

export function formatRow(stored: number, kind: string, s: Summary): string {
  const f = (v: number) => v.toFixed(1).padStart(7);
  return `${String(stored).padStart(6)} | ${kind.padEnd(13)} | ${String(s.n).padStart(4)} | ${f(s.p50)} | ${f(s.p90)} | ${f(s.p99)} | ${f(s.max)} | ${s.callsMean.toFixed(1).padStart(5)} | ${String(s.callsMax).padStart(4)}`;
}

export const tableHeader =
  'stored | request       |    n |  p50 ms |  p90 ms |  p99 ms |  max ms | calls | max\n' +
  '------ | ------------- | ---- | ------- | ------- | ------- | ------- | ----- | ----';
