import type * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../backend.ts';
import { estimateTrainingPeakBytes } from './estimate.ts';
import { currentHostBudgetBytes } from './host.ts';

/** The wasm heap is one wasm32 space of 4 GiB that never shrinks; `Aborted()` past it kills the backend. */
const wasmHeapLimitBytes = 4 * 2 ** 30;
/** What a training step may use of it: a quarter stays free for allocator fragmentation. */
export const wasmTrainingBudgetBytes = (wasmHeapLimitBytes * 3) / 4;

export interface MicroBatchPlan {
  /** Examples per forward/backward pass (the last pass may take fewer). */
  readonly microBatchSize: number;
  readonly microBatches: number;
  /** True when a batch is split and the model normalises by batch: statistics are per micro-batch. */
  readonly batchNormPerMicroBatch: boolean;
  /** Estimated peak bytes of one micro-batch step, resident tensors included. */
  readonly estimatedPeakBytes: number;
  readonly budgetBytes: number;
}

export interface PlanOptions {
  readonly model: tf.LayersModel;
  readonly batchSize: number;
  /** One example's shape. */
  readonly inputShape: readonly number[];
  /** Active backend: only wasm has a hard heap limit by default. */
  readonly backend: BackendName;
  /** Bytes a step may use; default 3 GiB on wasm, 3/4 of host (or cgroup) memory on onednn, else unlimited. */
  readonly budgetBytes?: number;
  /** Tensor bytes already resident (datasets, other models): pass tf.memory().numBytes. */
  readonly residentBytes?: number;
}

/** Even a single example would not fit: train with a smaller model or input, or another backend. */
export class MemoryBudgetError extends Error {
  readonly requiredBytes: number;
  readonly budgetBytes: number;
  constructor(requiredBytes: number, budgetBytes: number) {
    super(
      `one training example needs ~${mib(requiredBytes)} MiB but only ${mib(budgetBytes)} MiB of the ` +
        'wasm heap is available: use a smaller model or input size, free resident tensors, or a GPU backend',
    );
    this.name = 'MemoryBudgetError';
    this.requiredBytes = requiredBytes;
    this.budgetBytes = budgetBytes;
  }
}

/** Splits a batch into the fewest equal micro-batches whose step fits the memory budget. */
export function planMicroBatches(options: PlanOptions): MicroBatchPlan {
  const { model, batchSize, inputShape } = options;
  const budgetBytes = options.budgetBytes ?? defaultBudgetBytes(options.backend);
  const available = budgetBytes - (options.residentBytes ?? 0);
  const peakAt = (size: number) => estimateTrainingPeakBytes(model, size, inputShape);
  if (peakAt(1) > available) throw new MemoryBudgetError(peakAt(1), available);
  let largest = batchSize;
  if (peakAt(batchSize) > available) {
    let low = 1;
    let high = batchSize;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (peakAt(middle) <= available) low = middle;
      else high = middle - 1;
    }
    largest = low;
  }
  const microBatches = Math.ceil(batchSize / largest);
  const microBatchSize = Math.ceil(batchSize / microBatches);
  return {
    microBatchSize,
    microBatches,
    batchNormPerMicroBatch: microBatches > 1 && usesBatchNorm(model),
    estimatedPeakBytes: peakAt(microBatchSize) + (options.residentBytes ?? 0),
    budgetBytes,
  };
}

/** The wasm heap's hard limit; on onednn the host's memory; the others manage their own. */
export function defaultBudgetBytes(backend: BackendName): number {
  if (backend === 'wasm') return wasmTrainingBudgetBytes;
  if (backend === 'onednn') return currentHostBudgetBytes();
  return Number.POSITIVE_INFINITY;
}

/** tfjs-layers' own and the models' shared layer (trainer/models/batch-norm.ts). */
const batchNormClasses = new Set(['BatchNormalization', 'LdamBatchNorm']);

export function usesBatchNorm(model: tf.LayersModel): boolean {
  return model.layers.some((layer) => batchNormClasses.has(layer.getClassName()));
}

function mib(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}
