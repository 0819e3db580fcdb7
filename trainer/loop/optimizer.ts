import type * as tf from '@tensorflow/tfjs';

/** One saved optimizer tensor (momentum, Adam moment, …), in the order the optimizer keeps them. */
export interface OptimizerBuffer {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** Everything needed to resume an optimizer exactly: no buffers yet = no step taken. */
export interface OptimizerState {
  readonly buffers: readonly OptimizerBuffer[];
}

/** What the loop drives: SGD (sgd.ts) or Adam (adam.ts). */
export interface TrainingOptimizer {
  /** Updates the variables in place from their gradients; call inside tf.tidy. */
  apply(variables: readonly tf.Variable[], grads: tf.NamedTensorMap, lr: number): void;
  exportState(): Promise<OptimizerState>;
  importState(state: OptimizerState, variables: readonly tf.Variable[]): void;
  dispose(): void;
}
