import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../trainer/cli/exit-status.ts';
import { listenForStop } from '../../../trainer/cli/signals.ts';
import { DataError } from '../../../trainer/data/index.ts';
import { DivergedError } from '../../../trainer/loop/index.ts';
import { cancelledExitCode } from '../../../trainer/process/exit-codes.ts';
import { SpecValidationError } from '../../../trainer/spec/index.ts';

describe('listenForStop', () => {
  it('SIGTERM aborts as a preemption and the first signal wins', async () => {
    const source = new EventEmitter();
    const stop = listenForStop(source);
    expect(stop.signal.aborted).toBe(false);
    source.emit('SIGTERM');
    source.emit('SIGINT');
    expect(stop.signal.aborted).toBe(true);
    expect(stop.reason()).toBe('preempted');
    await expect(stop.requested).resolves.toBe('preempted');
    stop.dispose();
    expect(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT')).toBe(0);
  });

  it('SIGINT aborts as a cancellation', () => {
    const source = new EventEmitter();
    const stop = listenForStop(source);
    source.emit('SIGINT');
    expect(stop.reason()).toBe('cancelled');
    stop.dispose();
  });
});

describe('exitCodeOf', () => {
  it('maps each error class to the process contract', () => {
    expect(exitCodeOf(new SpecValidationError([{ path: 'x', rule: 'bad' }]))).toBe(2);
    expect(exitCodeOf(new DataError('dataset.source', 'missing'))).toBe(3);
    expect(exitCodeOf(new DivergedError(1, 2, Number.NaN))).toBe(4);
    expect(exitCodeOf(new Error('other'))).toBe(1);
    expect(cancelledExitCode).toBe(130);
  });
});
