/** Maps a value to a pixel coordinate. */
export type Scale = (value: number) => number;

/** value ∈ [lo, hi] → [from, to], linearly. */
export function linearScale(lo: number, hi: number, from: number, to: number): Scale {
  return (value) => from + ((value - lo) / (hi - lo)) * (to - from);
}

/** value ∈ [lo, hi] → [from, to], linear in log10(value). */
export function logScale(lo: number, hi: number, from: number, to: number): Scale {
  const inner = linearScale(Math.log10(lo), Math.log10(hi), from, to);
  return (value) => inner(Math.log10(value));
}

/**
 * Decade bounds for positive counts: the top is the first power of ten ≥ max, the bottom the power
 * of ten strictly below min, so the smallest bar keeps a visible height.
 */
export function decadeDomain(values: readonly number[]): { lo: number; hi: number } {
  const min = Math.min(...values);
  const max = Math.max(...values);
  const lo = 10 ** (Math.ceil(Math.log10(min)) - 1);
  const hi = Math.max(10 ** Math.ceil(Math.log10(max)), lo * 10);
  return { lo, hi };
}

/** Powers of ten from lo to hi inclusive. */
export function decadeTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.round(Math.log10(lo)); 10 ** e <= hi * (1 + 1e-9); e++) ticks.push(10 ** e);
  return ticks;
}

/** Short labels for counts: 1, 10, 100, 1k, 10k, 100k, 1M. */
export function countLabel(value: number): string {
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return String(value);
}

// The five characters XML reserves.
export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

/** A number with at most 2 decimals, for coordinates. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
