import { describe, expect, it } from 'vitest';
import { createProgressOutput, formatDuration, renderBar } from '../../../trainer/cli/progress.ts';

const step = { epoch: 2, epochs: 10, batch: 5, batches: 10, step: 15, lr: 0.1, loss: 0.5 };

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { out: { isTTY, columns: 100, write: (t: string) => writes.push(t) }, writes };
}

describe('progress output', () => {
  it('formats durations as mm:ss or h:mm:ss', () => {
    expect(formatDuration(65)).toBe('01:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('--:--');
  });

  it('draws epoch, batch, a half-filled bar, the loss and the ETA', () => {
    const bar = renderBar(step, 90, 100);
    expect(bar).toMatch(/^epoch 2\/10 batch 5\/10 \[#+\.+\] loss 0\.5000 eta 01:30$/);
    const inner = /\[(.*)\]/.exec(bar)?.[1] ?? '';
    expect(inner.split('#').length - 1).toBe(inner.length / 2);
    expect(renderBar({ ...step, loss: null }, 1, 100)).toMatch(/loss — /);
  });

  it('writes one JSON line per record and nothing per step when stdout is not a terminal', () => {
    const { out, writes } = sink(false);
    const progress = createProgressOutput(out, () => Date.parse('2026-01-01T00:00:00Z'));
    progress.step(step);
    progress.record('epoch', { epoch: 2, trainLoss: 0.5 });
    expect(writes).toEqual([
      '{"kind":"epoch","time":"2026-01-01T00:00:00.000Z","epoch":2,"trainLoss":0.5}\n',
    ]);
  });

  it('redraws the bar in place on a terminal and clears it before a record', () => {
    const { out, writes } = sink(true);
    let now = 0;
    const progress = createProgressOutput(out, () => now);
    now = 1000;
    progress.step(step);
    now = 1050;
    progress.step({ ...step, batch: 6, step: 16 });
    expect(writes).toHaveLength(1);
    expect(writes[0]?.startsWith('\r\x1b[2Kepoch 2/10 batch 5/10')).toBe(true);
    progress.record('epoch', { epoch: 2 });
    expect(writes.slice(1)).toEqual(['\r\x1b[2K', 'epoch epoch=2\n']);
  });
});
