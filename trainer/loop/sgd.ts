import * as tf from '@tensorflow/tfjs';
import type { OptimizerBuffer, OptimizerState, TrainingOptimizer } from './optimizer.ts';

export interface SgdSettings {
  readonly momentum: number;
  /** L2 coefficient added to the gradient (coupled weight decay, as torch.optim.SGD does it). */
  readonly weightDecay: number;
}

/** One momentum buffer, in the order of the variables the optimizer updates. */
export type MomentumBuffer = OptimizerBuffer;
/** Everything needed to resume the optimizer exactly: no buffers yet = no step taken. */
export type SgdState = OptimizerState;
export type SgdOptimizer = TrainingOptimizer;

/**
 * SGD with momentum and L2 weight decay, PyTorch's update (torch.optim.SGD, dampening 0, no
 * Nesterov): g ← g + wd·w; v ← μ·v + g; w ← w − lr·v. tfjs's MomentumOptimizer has no weight decay.
 */
export function createSgd(settings: SgdSettings): SgdOptimizer {
  let buffers: tf.Variable[] = [];

  const ensureBuffers = (variables: readonly tf.Variable[]): void => {
    if (buffers.length === variables.length) return;
    // v starts at zero, so the first step gives v = g, as PyTorch's first step does.
    buffers = variables.map((v) => tf.variable(tf.zerosLike(v), false));
  };

  return {
    apply(variables, grads, lr) {
      ensureBuffers(variables);
      variables.forEach((w, i) => {
        const grad = grads[w.name];
        const buffer = buffers[i];
        if (grad === undefined || buffer === undefined) return;
        const g = settings.weightDecay > 0 ? tf.add(grad, tf.mul(w, settings.weightDecay)) : grad;
        const v = settings.momentum > 0 ? tf.add(tf.mul(buffer, settings.momentum), g) : g;
        buffer.assign(v);
        w.assign(tf.sub(w, tf.mul(v, lr)));
      });
    },

    async exportState() {
      const values = await Promise.all(buffers.map((b) => b.data() as Promise<Float32Array>));
      return {
        buffers: buffers.map((b, i) => ({
          name: b.name,
          shape: [...b.shape],
          values: values[i] ?? new Float32Array(),
        })),
      };
    },

    importState(state, variables) {
      if (state.buffers.length === 0) return;
      if (state.buffers.length !== variables.length)
        throw new Error(
          `optimizer state has ${state.buffers.length} buffers, the model ${variables.length} variables`,
        );
      tf.dispose(buffers);
      buffers = variables.map((w, i) => {
        const saved = state.buffers[i] as MomentumBuffer;
        if (saved.shape.join('x') !== w.shape.join('x'))
          throw new Error(`momentum buffer ${i} has shape [${saved.shape}], variable ${w.name} [${w.shape}]`);
        return tf.tidy(() => tf.variable(tf.tensor(saved.values, [...saved.shape]), false));
      });
    },

    dispose() {
      tf.dispose(buffers);
      buffers = [];
    },
  };
}
