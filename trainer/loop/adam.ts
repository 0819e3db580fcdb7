import * as tf from '@tensorflow/tfjs';
import type { OptimizerBuffer, OptimizerState, TrainingOptimizer } from './optimizer.ts';

export interface AdamSettings {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** L2 coefficient added to the gradient (coupled, as torch.optim.Adam does; not AdamW). */
  readonly weightDecay: number;
}

// The step count is saved as two float32 values (high and low 2^20 parts), exact to 2^44 steps.
const stepBufferName = 'adam/step';
const split = 2 ** 20;

/**
 * Adam as torch.optim.Adam computes it (Kingma & Ba 2015, alg. 1; amsgrad off): g ← g + wd·w;
 * m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²; t ← t + 1;
 * w ← w − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε).
 */
export function createAdam(settings: AdamSettings): TrainingOptimizer {
  let moments: { m: tf.Variable; v: tf.Variable }[] = [];
  let step = 0;
  const { beta1, beta2, epsilon, weightDecay } = settings;

  const ensureMoments = (variables: readonly tf.Variable[]): void => {
    if (moments.length === variables.length) return;
    moments = variables.map((w) => ({
      m: tf.variable(tf.zerosLike(w), false),
      v: tf.variable(tf.zerosLike(w), false),
    }));
  };

  return {
    apply(variables, grads, lr) {
      ensureMoments(variables);
      step += 1;
      // Bias corrections in float64 on the host, as PyTorch computes them in Python floats.
      const stepSize = lr / (1 - beta1 ** step);
      const correction2 = Math.sqrt(1 - beta2 ** step);
      variables.forEach((w, i) => {
        const grad = grads[w.name];
        const slot = moments[i];
        if (grad === undefined || slot === undefined) return;
        const g = weightDecay > 0 ? tf.add(grad, tf.mul(w, weightDecay)) : grad;
        const m = tf.add(tf.mul(slot.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(slot.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        slot.m.assign(m);
        slot.v.assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), correction2), epsilon);
        w.assign(tf.sub(w, tf.mul(tf.div(m, denom), stepSize)));
      });
    },

    async exportState() {
      if (moments.length === 0) return { buffers: [] };
      const buffers: OptimizerBuffer[] = [];
      for (const [i, { m, v }] of moments.entries()) {
        buffers.push({ name: `adam/m/${i}`, shape: [...m.shape], values: (await m.data()) as Float32Array });
        buffers.push({ name: `adam/v/${i}`, shape: [...v.shape], values: (await v.data()) as Float32Array });
      }
      const counter = Float32Array.of(Math.floor(step / split), step % split);
      return { buffers: [...buffers, { name: stepBufferName, shape: [2], values: counter }] };
    },

    importState(state: OptimizerState, variables) {
      if (state.buffers.length === 0) return;
      const counter = state.buffers.at(-1);
      if (counter?.name !== stepBufferName || state.buffers.length !== 2 * variables.length + 1)
        throw new Error(
          `optimizer state has ${state.buffers.length} buffers; Adam needs 2 per variable (${variables.length}) and its step count`,
        );
      const restore = (saved: OptimizerBuffer | undefined, w: tf.Variable): tf.Variable => {
        if (saved === undefined || saved.shape.join('x') !== w.shape.join('x'))
          throw new Error(`Adam moment has shape [${saved?.shape}], variable ${w.name} [${w.shape}]`);
        return tf.tidy(() => tf.variable(tf.tensor(saved.values, [...saved.shape]), false));
      };
      this.dispose();
      moments = variables.map((w, i) => ({
        m: restore(state.buffers[2 * i], w),
        v: restore(state.buffers[2 * i + 1], w),
      }));
      step = (counter.values[0] ?? 0) * split + (counter.values[1] ?? 0);
    },

    dispose() {
      tf.dispose(moments.flatMap(({ m, v }) => [m, v]));
      moments = [];
    },
  };
}
