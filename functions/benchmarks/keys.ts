// Store keys of a benchmark: `benchmarks/<id>/spec.json` and `benchmarks/<id>/cells.json`, built
// from validated ids only.
import { randomBytes } from 'node:crypto';
import { InvalidKeyError } from '../../trainer/store/keys.ts';

const benchmarkIdPattern = /^b-[0-9a-z]{9}-[0-9a-z]{8}$/;

export function isValidBenchmarkId(id: string): boolean {
  return benchmarkIdPattern.test(id);
}

/** A time-sortable benchmark id, `b-<ms since epoch, base36>-<8 random base36 chars>`. */
export function newBenchmarkId(now: number = Date.now()): string {
  const time = Math.floor(now).toString(36).padStart(9, '0');
  let random = '';
  for (const b of randomBytes(8)) random += (b % 36).toString(36);
  return `b-${time}-${random}`;
}

export const benchmarksPrefix = 'benchmarks/';

function benchmarkKey(id: string, file: string): string {
  if (!isValidBenchmarkId(id))
    throw new InvalidKeyError(id, 'a benchmark id looks like b-<9 chars>-<8 chars>');
  return `${benchmarksPrefix}${id}/${file}`;
}

export const benchmarkSpecKey = (id: string): string => benchmarkKey(id, 'spec.json');
export const benchmarkCellsKey = (id: string): string => benchmarkKey(id, 'cells.json');
