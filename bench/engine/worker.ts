import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { selectBackend } from '../../trainer/engine/backend.ts';
import { accumulateGradients } from '../../trainer/engine/gradients.ts';
import { planMicroBatches } from '../../trainer/engine/memory/plan.ts';
import { buildModel } from '../../trainer/models/index.ts';
import { formatKernelTimes, profileKernels } from './kernel-profile.ts';

// One benchmark row in its own process (the wasm heap never shrinks, so peaks must not mix):
// training steps of a product model, warm-up excluded, median over runs.

export const benchModels = {
  mlp: { arch: 'mlp', inputShape: [784] },
  resnet8: { arch: 'resnet8', inputShape: [28, 28, 1] },
  resnet32: { arch: 'resnet32', inputShape: [32, 32, 3] },
} as const;
export type BenchModel = keyof typeof benchModels;

export interface WorkerRequest {
  readonly model: BenchModel;
  readonly backend: string;
  readonly batch: number;
  readonly runs: number;
  readonly stepsPerRun: number;
  readonly profile: boolean;
  /** Step memory budget: the batch is split into micro-batches as the training loop would. */
  readonly budgetBytes?: number;
  /** Compute threads (onednn; PyTorch gets the same). */
  readonly threads?: number;
}

export interface WorkerResult {
  readonly model: BenchModel;
  readonly backend: string;
  readonly device: string;
  readonly batch: number;
  readonly imagesPerSec: number;
  /** Throughput per CPU-second of this process: less sensitive to other load on a shared machine. */
  readonly imagesPerCpuSec: number;
  readonly peakMemoryMB: number;
  readonly microBatches: number;
  readonly threads?: number;
  readonly kernelProfile?: string;
}

export async function runWorker(request: WorkerRequest): Promise<WorkerResult> {
  const selected = await selectBackend(
    request.backend,
    request.threads === undefined ? {} : { LDAM_THREADS: String(request.threads) },
  );
  const spec = benchModels[request.model];
  const model = buildModel(
    { arch: spec.arch, hidden: [256, 256] },
    { inputShape: spec.inputShape, numClasses: 10, classifier: 'linear' },
  );
  const optimizer = tf.train.momentum(0.01, 0.9);
  const x = tf.randomNormal([request.batch, ...spec.inputShape]);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: request.batch }, (_, i) => (i * 7) % 10),
      'int32',
    ),
    10,
  );
  const plan = planMicroBatches({
    model,
    batchSize: request.batch,
    inputShape: spec.inputShape,
    backend: selected.backend,
    budgetBytes: request.budgetBytes ?? Number.POSITIVE_INFINITY,
  });
  const lossOf = (xs: tf.Tensor, ys: tf.Tensor) =>
    tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar;
  const step = async () => {
    const { loss, grads } = accumulateGradients(lossOf, x, labels, plan.microBatchSize);
    optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
    await loss.data();
    tf.dispose([loss, ...Object.values(grads)]);
  };
  await step();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < request.runs; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    for (let s = 0; s < request.stepsPerRun; s++) await step();
    const used = process.cpuUsage(cpuStart);
    wall.push((performance.now() - start) / 1000 / request.stepsPerRun);
    cpu.push((used.user + used.system) / 1e6 / request.stepsPerRun);
  }
  let kernelProfile: string | undefined;
  if (request.profile) {
    // Multi-threaded onednn: wall time (its CPU time counts every thread).
    const wallClock = selected.backend === 'onednn';
    const cpuStart = process.cpuUsage();
    const wallStart = performance.now();
    const times = await profileKernels(
      selected.backend,
      step,
      wallClock ? () => performance.now() : undefined,
    );
    const used = process.cpuUsage(cpuStart);
    kernelProfile = formatKernelTimes(
      times,
      wallClock ? performance.now() - wallStart : (used.user + used.system) / 1000,
    );
  }
  return {
    model: request.model,
    backend: selected.backend,
    device: selected.device,
    batch: request.batch,
    imagesPerSec: request.batch / median(wall),
    imagesPerCpuSec: request.batch / median(cpu),
    peakMemoryMB: peakMemoryBytes(selected.backend) / 2 ** 20,
    microBatches: plan.microBatches,
    ...(selected.threads === undefined ? {} : { threads: selected.threads }),
    ...(kernelProfile === undefined ? {} : { kernelProfile }),
  };
}

/** wasm: the heap (it only grows, so its size is the peak); otherwise the process's peak RSS. */
function peakMemoryBytes(backend: string): number {
  if (backend === 'wasm')
    return ((tf.backend() as BackendWasm).wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.buffer.byteLength;
  return process.resourceUsage().maxRSS * 1024;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
