import { classesByTrainCount, meanOfPresent } from '../metrics/index.ts';
import type { Report } from './schema.ts';

// Per-class views that stay readable at any K: every class up to `fullListMaxClasses`, above that
// bins of classes ranked by training images and a list of the worst classes (8,142 rows help nobody).

export const fullListMaxClasses = 50;

export interface RankBin {
  /** 1-based ranks by training images (1 = most images), inclusive. */
  readonly firstRank: number;
  readonly lastRank: number;
  readonly minTrainCount: number;
  readonly maxTrainCount: number;
  /** Mean per-class error of the bin's classes (null when none has evaluation images). */
  readonly finalError: number | null;
  readonly bestError: number | null;
}

/** The classes ranked by training images (most first), in at most `maxBins` near-equal bins. */
export function rankBins(report: Report, maxBins = 20): RankBin[] {
  const ranked = classesByTrainCount(report.classes.map((c) => c.trainCount));
  const bins = Math.min(maxBins, ranked.length);
  return Array.from({ length: bins }, (_, b) => {
    const from = Math.round((b * ranked.length) / bins);
    const to = Math.round(((b + 1) * ranked.length) / bins);
    const members = ranked.slice(from, to);
    const counts = members.map((c) => report.classes[c]?.trainCount ?? 0);
    return {
      firstRank: from + 1,
      lastRank: to,
      minTrainCount: Math.min(...counts),
      maxTrainCount: Math.max(...counts),
      finalError: meanOfPresent(members.map((c) => report.final.perClassError[c] ?? null)),
      bestError: meanOfPresent(members.map((c) => report.best.perClassError[c] ?? null)),
    };
  });
}

/** Class indices by final error, worst first (ties: fewer training images first); classes without test images skipped. */
export function worstClasses(report: Report, limit = 20): number[] {
  return report.classes
    .filter((c) => report.final.perClassError[c.index] !== null)
    .sort(
      (a, b) =>
        (report.final.perClassError[b.index] as number) - (report.final.perClassError[a.index] as number) ||
        a.trainCount - b.trainCount ||
        a.index - b.index,
    )
    .slice(0, limit)
    .map((c) => c.index);
}
