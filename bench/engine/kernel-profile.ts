import * as tf from '@tensorflow/tfjs';

// Per-kernel time of a computation: every kernel of the backend is wrapped for the duration, and
// nested kernel calls are subtracted from their caller (exclusive time). CPU time by default
// (the benchmark machine is shared); wall time for multi-threaded backends, whose CPU time
// counts every thread.

export interface KernelTime {
  readonly kernel: string;
  readonly cpuMs: number;
  readonly calls: number;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Runs `compute` once with every `backendName` kernel timed; returns kernels by time, largest first. */
export async function profileKernels(
  backendName: string,
  compute: () => Promise<void>,
  clock: () => number = cpuMs,
): Promise<KernelTime[]> {
  const originals = tf.getKernelsForBackend(backendName);
  const totals = new Map<string, { cpuMs: number; calls: number }>();
  const childTime: number[] = [];
  for (const config of originals) {
    const wrapped: tf.KernelFunc = (args) => {
      const start = clock();
      childTime.push(0);
      try {
        return config.kernelFunc(args);
      } finally {
        const elapsed = clock() - start;
        const nested = childTime.pop() ?? 0;
        const total = totals.get(config.kernelName) ?? { cpuMs: 0, calls: 0 };
        total.cpuMs += elapsed - nested;
        total.calls += 1;
        totals.set(config.kernelName, total);
        if (childTime.length > 0)
          childTime[childTime.length - 1] = (childTime[childTime.length - 1] ?? 0) + elapsed;
      }
    };
    replaceKernel({ ...config, kernelFunc: wrapped });
  }
  try {
    await compute();
  } finally {
    for (const config of originals) replaceKernel(config);
  }
  return [...totals.entries()]
    .map(([kernel, t]) => ({ kernel, cpuMs: t.cpuMs, calls: t.calls }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

function replaceKernel(config: tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

/** A plain-text table of the largest kernels with their share of `stepCpuMs`. */
export function formatKernelTimes(times: readonly KernelTime[], stepCpuMs: number, limit = 20): string {
  const kernelTotal = times.reduce((n, t) => n + t.cpuMs, 0);
  const rows = times
    .slice(0, limit)
    .map(
      (t) =>
        `${t.kernel.padEnd(24)} ${t.cpuMs.toFixed(1).padStart(9)} ms ${String(t.calls).padStart(6)} calls ${pct(t.cpuMs, stepCpuMs)}`,
    );
  rows.push(
    `${'(all kernels)'.padEnd(24)} ${kernelTotal.toFixed(1).padStart(9)} ms ${''.padStart(12)} ${pct(kernelTotal, stepCpuMs)}`,
  );
  rows.push(
    `${'(outside kernels)'.padEnd(24)} ${(stepCpuMs - kernelTotal).toFixed(1).padStart(9)} ms ${''.padStart(12)} ${pct(stepCpuMs - kernelTotal, stepCpuMs)}`,
  );
  return rows.join('\n');
}

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
}
