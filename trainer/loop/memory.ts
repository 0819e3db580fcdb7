import * as tf from '@tensorflow/tfjs';
import { type BackendName, type MicroBatchPlan, planMicroBatches } from '../engine/index.ts';

export interface MemoryOptions {
  /** The active backend (selectBackend's): only wasm has a budget by default. */
  readonly backend: BackendName;
  /** Bytes a training step may use; default the engine's (3 GiB on wasm, 3/4 of host memory on onednn). */
  readonly budgetBytes?: number;
}

/**
 * How a batch is split so a training step fits the memory budget, planned before any step;
 * throws the engine's MemoryBudgetError when even one example would not fit.
 */
export function planTrainingMemory(
  model: tf.LayersModel,
  batchSize: number,
  inputShape: readonly number[],
  options: MemoryOptions,
): MicroBatchPlan {
  return planMicroBatches({
    model,
    batchSize,
    inputShape,
    backend: options.backend,
    ...(options.budgetBytes === undefined ? {} : { budgetBytes: options.budgetBytes }),
    residentBytes: residentBytesBesides(model),
  });
}

/** The active tfjs backend as the planner knows it (wasm has a hard heap limit, onednn the host's). */
export function activeBackendName(): BackendName {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'tensorflow' || name === 'onednn' ? name : 'cpu';
}

/** Tensor bytes resident besides the model's float32 weights, which the estimate counts itself. */
function residentBytesBesides(model: tf.LayersModel): number {
  const weightBytes = model.weights.reduce(
    (n, w) => n + 4 * w.shape.reduce<number>((m, d) => m * (d ?? 1), 1),
    0,
  );
  return Math.max(0, tf.memory().numBytes - weightBytes);
}
