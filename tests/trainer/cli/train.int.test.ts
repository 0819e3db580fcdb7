import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogText } from '../../../trainer/logs/read.ts';
import { parseReport } from '../../../trainer/reports/index.ts';
import { LocalDirStore } from '../../../trainer/store/local-dir-store.ts';
import { jsonLines, runLdam, syntheticSpec, trainerEvents } from './child.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ldam-train-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeSpec(name: string, spec: unknown): Promise<string> {
  const path = join(dir, `${name}.json`);
  await writeFile(path, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return path;
}

/** `ldam train --spec <name>.json --out <out> ...more`, the spec written first. */
async function trainSpec(
  name: string,
  spec: unknown,
  out: string,
  more: readonly string[] = [],
  options: Parameters<typeof runLdam>[1] = {},
) {
  return runLdam(['train', '--spec', await writeSpec(name, spec), '--out', out, ...more], options);
}

const checkpointDirs = async (out: string, jobId: string): Promise<string[]> => {
  const path = join(out, 'runs', jobId, 'checkpoints');
  return existsSync(path) ? (await readdir(path)).filter((f) => f.startsWith('epoch-')).sort() : [];
};

describe('ldam train (child process)', () => {
  it('succeeds with exit 0: report, events from running to succeeded, checkpoints pruned to keepLast, shipped logs', async () => {
    const out = join(dir, 'ok');
    const spec = await writeSpec('ok', syntheticSpec());
    const result = await runLdam(['train', '--spec', spec, '--out', out, '--job', 'job-ok'], {
      env: { LDAM_SHIP_LOGS: 'true' },
    });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    const lines = jsonLines(result.stdout);
    // What a four-epoch run prints (non-TTY), and ships as its stdout log.
    const kinds = ['start', 'micro-batches', 'epoch', 'epoch', 'epoch', 'epoch', 'end'];
    expect(lines.map((l) => l.kind)).toEqual(kinds);
    expect(lines[1]).toMatchObject({ microBatches: 1, microBatchSize: 16, batchNormPerMicroBatch: false });
    expect(lines.at(-1)).toMatchObject({ status: 'succeeded', exitCode: 0 });

    const run = join(out, 'runs', 'job-ok');
    const report = parseReport(JSON.parse(await readFile(join(run, 'reports', 'report.json'), 'utf8')));
    expect(report.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(report.final.perClassError).toHaveLength(4);
    expect(report.spec.model.classifier).toBe('cosine');
    for (const file of ['per-class.csv', 'per-class.svg', 'report.md'])
      expect(existsSync(join(run, 'reports', file))).toBe(true);
    expect(JSON.parse(await readFile(join(run, 'run.json'), 'utf8'))).toMatchObject({ backend: 'wasm' });
    expect(JSON.parse(await readFile(join(run, 'spec.json'), 'utf8'))).toMatchObject({ version: 1, seed: 0 });
    const log = await trainerEvents(out, 'job-ok');
    // Every 2nd epoch and each new best were checkpointed; pruning kept the last 2 and the best.
    const saved = log.filter((e) => e.kind === 'note' && String(e.message).startsWith('checkpoint at epoch'));
    const savedEpochs = saved.map((e) => (e.data as { epoch: number }).epoch);
    expect(savedEpochs).toEqual(expect.arrayContaining([1, 2, 4]));
    const kept = new Set([...savedEpochs.slice(-2), report.best.epoch]);
    const epochDir = (e: number): string => `epoch-${String(e).padStart(4, '0')}`;
    expect(await checkpointDirs(out, 'job-ok')).toEqual([...kept].sort((a, b) => a - b).map(epochDir));
    const statuses = log.filter((e) => e.kind === 'status').map((e) => e.status);
    expect(statuses).toEqual(['running', 'succeeded']);
    const losses = log.filter((e) => e.kind === 'metric' && e.key === 'train_loss');
    expect(losses.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    expect(log.some((e) => e.kind === 'metric' && e.key === 'test_class_error/3')).toBe(true);
    expect(log.some((e) => e.kind === 'note' && e.message === 'backend wasm')).toBe(true);
    // Every shipped chunk: under load the shipper may flush stdout in more than one.
    const shipped = await readLogText(new LocalDirStore(out), 'job-ok', 'stdout');
    expect(jsonLines(shipped).map((l) => l.kind)).toEqual(kinds);

    const evaluated = await runLdam(['evaluate', '--checkpoint', run]);
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/balanced error\s+\d+\.\d\d%/);
    expect(evaluated.stdout.split('\n').filter((l) => /^\s+\d\s/.test(l))).toHaveLength(4);
  });

  it('exits 2 on an invalid spec and names every failing field on stderr', async () => {
    const spec = syntheticSpec({ optimizer: { lr: -1, batchSize: 0 }, surprise: true });
    const result = await trainSpec('invalid', spec, join(dir, 'invalid'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/optimizer\.lr/);
    expect(result.stderr).toMatch(/optimizer\.batchSize/);
    expect(result.stderr).toMatch(/surprise/);
    const malformed = await trainSpec('malformed', '{"version": 1,', join(dir, 'invalid'));
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/malformed JSON/);
  });

  it('exits 2 when a job id already holds a different spec, and keeps the stored one', async () => {
    const out = join(dir, 'respec');
    const trainAs = (name: string, spec: unknown) => trainSpec(name, spec, out, ['--job', 'job-respec']);
    const ran = await trainAs('respec-a', syntheticSpec({ schedule: { epochs: 2 } }));
    expect(ran.code).toBe(0);
    const stored = await readFile(join(out, 'runs', 'job-respec', 'spec.json'), 'utf8');
    const refused = await trainAs('respec-b', syntheticSpec({ schedule: { epochs: 3 } }));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already has a different spec\.json/);
    expect(await readFile(join(out, 'runs', 'job-respec', 'spec.json'), 'utf8')).toBe(stored);
  });

  it('exits 3 when the data source does not exist', async () => {
    const spec = syntheticSpec({
      dataset: { name: 'custom', format: 'idx', numClasses: 4, source: join(dir, 'no-such-dataset') },
    });
    const out = join(dir, 'data');
    const result = await trainSpec('data', spec, out, ['--job', 'job-data'], {
      env: { LDAM_DATA_ROOTS: dir },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/DataError/);
    const failed = (await trainerEvents(out, 'job-data')).find(
      (e) => e.kind === 'status' && e.status === 'failed',
    );
    expect(failed).toMatchObject({ exitCode: 3 });
  });

  it('exits 4 when the loss diverges (LDAM with a linear classifier at lr 10)', async () => {
    const spec = syntheticSpec({
      model: { arch: 'mlp', hidden: [16], classifier: 'linear' },
      optimizer: { lr: 10, batchSize: 16, momentum: 0.9 },
      schedule: { epochs: 4, warmupEpochs: 0, decay: [] },
    });
    const result = await trainSpec('diverge', spec, join(dir, 'diverge'));
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/diverged/);
  });
});

describe('ldam train signals (child process)', () => {
  // Long enough that a signal sent after the first epoch always lands mid-run.
  const longSpec = syntheticSpec({
    dataset: {
      name: 'synthetic',
      numClasses: 4,
      maxPerClass: 400,
      imbalance: { type: 'exp', ratio: 10 },
      synthetic: { shape: [8], separation: 3, testPerClass: 20 },
    },
    optimizer: { lr: 0.05, batchSize: 4 },
    schedule: { epochs: 12 },
    rebalance: { rule: 'drw', afterEpoch: 6 },
    // Only what the signal itself writes: no best-epoch checkpoint racing the signal after epoch 1.
    checkpoint: { everyEpochs: 100, keepLast: 2, keepBest: false },
  });

  let signalledAt = 0;
  const signalAfterFirstEpoch =
    (signal: NodeJS.Signals) => (line: string, child: { kill(s: NodeJS.Signals): boolean }) => {
      if (line.includes('"kind":"epoch"') && line.includes('"epoch":1,')) {
        signalledAt = Date.now();
        child.kill(signal);
      }
    };

  it('SIGTERM: checkpoints mid-run and exits 75; the next attempt resumes to exactly the uninterrupted losses', async () => {
    const out = join(dir, 'term');
    const spec = await writeSpec('term', longSpec);
    const first = await runLdam(['train', '--spec', spec, '--out', out, '--job', 'job-term'], {
      onLine: signalAfterFirstEpoch('SIGTERM'),
    });
    expect(first.code).toBe(75);
    // Well inside the default 25 s grace period (AWS Batch kills 30 s after SIGTERM).
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    const dirs = await checkpointDirs(out, 'job-term');
    expect(dirs).toHaveLength(1);
    expect(existsSync(join(out, 'runs', 'job-term', 'checkpoints', 'latest.json'))).toBe(true);
    expect(jsonLines(first.stdout).at(-1)).toMatchObject({ status: 'interrupted', exitCode: 75 });

    const second = await runLdam(['train', '--job', 'job-term', '--out', out]);
    expect(second.code).toBe(0);
    const log = await trainerEvents(out, 'job-term');
    expect(
      log.some((e) => e.kind === 'note' && String(e.message).startsWith('preempted: checkpoint at epoch')),
    ).toBe(true);
    expect(log.some((e) => e.kind === 'note' && String(e.message).startsWith('resumed from epoch'))).toBe(
      true,
    );
    const losses = log.filter((e) => e.kind === 'metric' && e.key === 'train_loss');
    expect(losses.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

    const reference = join(dir, 'term-reference');
    expect((await runLdam(['train', '--spec', spec, '--out', reference, '--job', 'job-ref'])).code).toBe(0);
    const referenceLosses = (await trainerEvents(reference, 'job-ref')).filter(
      (e) => e.kind === 'metric' && e.key === 'train_loss',
    );
    expect(losses.map((e) => e.value)).toEqual(referenceLosses.map((e) => e.value));
    const report = parseReport(
      JSON.parse(await readFile(join(out, 'runs', 'job-term', 'reports', 'report.json'), 'utf8')),
    );
    expect(report.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('SIGINT: stops without a checkpoint, records cancelled and exits 130', async () => {
    const out = join(dir, 'int');
    const result = await trainSpec('int', longSpec, out, ['--job', 'job-int'], {
      onLine: signalAfterFirstEpoch('SIGINT'),
    });
    expect(result.code).toBe(130);
    expect(await checkpointDirs(out, 'job-int')).toEqual([]);
    const statuses = (await trainerEvents(out, 'job-int')).filter((e) => e.kind === 'status');
    expect(statuses.at(-1)).toMatchObject({ status: 'cancelled', exitCode: 130 });
  });

  it('SIGINT before the first epoch ends leaves no checkpoint, with the best-epoch checkpoint on (default)', async () => {
    const out = join(dir, 'int-early');
    const spec = { ...longSpec, checkpoint: { everyEpochs: 100, keepLast: 2 } };
    const result = await runLdam(
      ['train', '--spec', await writeSpec('int-early', spec), '--out', out, '--job', 'job-int-early'],
      {
        // The last line before the first training step.
        onLine: (line, child) => {
          if (line.includes('"kind":"micro-batches"')) child.kill('SIGINT');
        },
      },
    );
    expect(result.code).toBe(130);
    expect(jsonLines(result.stdout).some((l) => l.kind === 'epoch')).toBe(false);
    expect(await checkpointDirs(out, 'job-int-early')).toEqual([]);
  });
});
