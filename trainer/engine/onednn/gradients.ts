import type { NamedTensorMap, Tensor } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { reluGradKernelName } from './kernels/eltwise.ts';

let registered = false;

/**
 * The Relu gradient as one native pass where the active backend has the kernel; elsewhere
 * tfjs-core's own formula, dy · step(x), unchanged. (Gradients are global in tfjs, kernels are per
 * backend: hence the check per call.)
 */
export function registerReluGradient(): void {
  if (registered) return;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      const grad = dy as Tensor;
      return {
        x: () =>
          tf.getKernel(reluGradKernelName, tf.getBackend()) !== undefined
            ? (tf
                .engine()
                .runKernel(reluGradKernelName, { dy: grad, x } as unknown as NamedTensorMap) as Tensor)
            : tf.mul(grad, tf.cast(tf.step(x), 'float32')),
      };
    },
  });
  registered = true;
}
