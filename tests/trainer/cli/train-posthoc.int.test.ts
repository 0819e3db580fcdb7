import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReport, type Report } from '../../../trainer/reports/index.ts';
import { decodeLogits, type StoredLogits } from '../../../trainer/store/logits-artifact.ts';
import { runLdam } from './child.ts';

// The post-hoc rows of report.json come from the logits the trainer stored, not from another pass:
// each row is scored again here from the stored files with the papers' formulas, independently of
// the trainer's code, and must give the report's numbers.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-posthoc-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = {
  version: 1,
  dataset: {
    name: 'synthetic',
    numClasses: 4,
    maxPerClass: 150,
    imbalance: { type: 'exp', ratio: 50 },
    validationPerClass: 15,
    synthetic: { shape: [8], separation: 2.5, testPerClass: 40 },
  },
  model: { arch: 'mlp', hidden: [16], classifier: 'linear' },
  loss: { type: 'ce' },
  optimizer: { lr: 0.2, batchSize: 16 },
  schedule: { epochs: 6, warmupEpochs: 0, decay: [] },
  checkpoint: { everyEpochs: 2, keepLast: 1 },
};

/** Balanced error of argmax_j f(z)_j, f applied per logit in float32 as the trainer does. */
function balancedError(stored: StoredLogits, f: (z: number, j: number) => number): number {
  const k = stored.numClasses;
  const seen = new Array<number>(k).fill(0);
  const wrong = new Array<number>(k).fill(0);
  stored.labels.forEach((y, i) => {
    let best = 0;
    let bestValue = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = Math.fround(f(stored.logits[i * k + j] as number, j));
      if (v > bestValue) [best, bestValue] = [j, v];
    }
    seen[y] = (seen[y] ?? 0) + 1;
    if (best !== y) wrong[y] = (wrong[y] ?? 0) + 1;
  });
  const rates = seen.flatMap((n, j) => (n > 0 ? [(wrong[j] ?? 0) / n] : []));
  return rates.reduce((a, b) => a + b, 0) / rates.length;
}

/** z_j − τ·log π_j (Menon et al. 2021, eq. 9) or (z_j − b_j)/‖w_j‖^τ (Kang et al. 2020, §4). */
function adjusted(method: string, tau: number, stored: StoredLogits, prior: number[]) {
  if (method === 'posthoc-la')
    return (z: number, j: number) => z + Math.fround(-tau * Math.log(prior[j] as number));
  const head = stored.head;
  if (head === null) throw new Error('τ-norm needs the stored head');
  return (z: number, j: number) => {
    const a = Math.fround(Math.sqrt(head.squaredNorms[j] as number) ** -tau);
    return z * a + Math.fround(-a * (head.bias?.[j] ?? 0));
  };
}

describe('post-hoc rows from the stored logits (child process)', () => {
  let report: Report;
  let run: string;
  const stored = async (point: string, split: string): Promise<StoredLogits> =>
    decodeLogits(new Uint8Array(await readFile(join(run, 'logits', `${point}-${split}.bin`))));

  beforeAll(async () => {
    const out = join(dir, 'out');
    await writeFile(join(dir, 'spec.json'), JSON.stringify(spec));
    const result = await runLdam([
      'train',
      '--spec',
      join(dir, 'spec.json'),
      '--out',
      out,
      '--job',
      'job-ph',
    ]);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    run = join(out, 'runs', 'job-ph');
    report = parseReport(JSON.parse(await readFile(join(run, 'reports', 'report.json'), 'utf8')));
  });

  it('stores the test and validation logits of the final and the best epoch, with the epoch and the head', async () => {
    for (const point of ['final', 'best'])
      for (const split of ['test', 'validation'])
        expect(existsSync(join(run, 'logits', `${point}-${split}.bin`))).toBe(true);
    const finalTest = await stored('final', 'test');
    expect(finalTest).toMatchObject({ point: 'final', split: 'test', epoch: 6, numClasses: 4 });
    expect(finalTest.labels).toHaveLength(160);
    expect(finalTest.head?.squaredNorms).toHaveLength(4);
    // They are the final epoch's logits: their argmax gives the report's final errors.
    expect(balancedError(finalTest, (z) => z)).toBeCloseTo(report.final.balancedError, 12);
    const bestTest = await stored('best', 'test');
    // This seeded run's best epoch (on validation) is not its last, so the two points differ.
    expect(bestTest.epoch).toBe(report.best.epoch);
    expect(bestTest.epoch).toBeLessThan(6);
    expect(balancedError(bestTest, (z) => z)).toBeCloseTo(report.best.balancedError, 12);
  });

  it('each post-hoc row is the stored logits adjusted with the τ that is best on the stored validation logits', async () => {
    const counts = report.classes.map((c) => c.trainCount);
    const total = counts.reduce((a, b) => a + b, 0);
    const prior = counts.map((n) => n / total);
    const grid = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];
    expect(report.posthoc).toHaveLength(4);
    for (const row of report.posthoc) {
      expect(row).toMatchObject({ applicable: true, tauChosenOn: 'validation' });
      const test = await stored(row.at, 'test');
      const validation = await stored(row.at, 'validation');
      expect(row.epoch).toBe(test.epoch);
      const onValidation = grid.map((tau) =>
        balancedError(validation, adjusted(row.method, tau, validation, prior)),
      );
      const chosen = grid[onValidation.indexOf(Math.min(...onValidation))];
      expect({ method: row.method, at: row.at, tau: row.tau }).toEqual({
        method: row.method,
        at: row.at,
        tau: chosen,
      });
      const tau = row.tau ?? Number.NaN;
      expect(row.validation?.balancedError).toBeCloseTo(Math.min(...onValidation), 12);
      expect(row.test?.balancedError).toBeCloseTo(
        balancedError(test, adjusted(row.method, tau, test, prior)),
        12,
      );
    }
  });
});
