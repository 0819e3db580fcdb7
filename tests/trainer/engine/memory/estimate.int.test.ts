import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The estimate against the real wasm heap after training steps, one fresh process per probe.

const probe = join(dirname(fileURLToPath(import.meta.url)), 'heap-probe.ts');
const tsx = join(dirname(fileURLToPath(import.meta.url)), '../../../../node_modules/.bin/tsx');

async function measure(arch: string, batch: number, shape: string) {
  const { stdout } = await promisify(execFile)(tsx, [probe, arch, String(batch), shape], {
    maxBuffer: 1 << 20,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as {
    initialHeapBytes: number;
    heapBytes: number;
    estimatedBytes: number;
  };
}

describe('estimateTrainingPeakBytes against the wasm heap', () => {
  it.each([
    ['resnet8', 32, '28,28,1'],
    ['resnet20', 24, '32,32,3'],
  ] as const)('%s at batch %i: above the heap used, by less than 1.5×', async (arch, batch, shape) => {
    const { initialHeapBytes, heapBytes, estimatedBytes } = await measure(arch, batch, shape);
    const used = heapBytes - initialHeapBytes;
    expect(used).toBeGreaterThan(0);
    expect(estimatedBytes).toBeGreaterThanOrEqual(used);
    expect(estimatedBytes).toBeLessThanOrEqual(1.5 * used);
  });
});
