import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from './batch-norm-kernels.ts';

export interface BatchNormArgs {
  /** Keras convention: moving = momentum · moving + (1 − momentum) · batch. */
  readonly momentum?: number;
  readonly epsilon?: number;
  /**
   * A ReLU after the normalisation, in the same op (native: one kernel each way). Applied to
   * [x, residual] the layer is then a ResNet block's end, max(BN(x) + residual, 0).
   */
  readonly relu?: boolean;
  readonly name?: string;
}

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/**
 * The batch-normalisation layer of every model (channels last). Training normalises with the
 * batch's statistics through `batchNormTraining` (a backend's fused kernel where registered, stock
 * ops elsewhere) and updates the moving averages as tfjs-layers' BatchNormalization does;
 * inference uses the moving statistics. Weights: gamma, beta, moving_mean, moving_variance, in
 * tfjs's order and names, so checkpoints of either layer load into the other.
 */
export class BatchNorm extends tf.layers.Layer {
  static readonly className = 'LdamBatchNorm';
  readonly momentum: number;
  readonly epsilon: number;
  readonly relu: boolean;
  #gamma: LayerVariable | undefined;
  #beta: LayerVariable | undefined;
  #movingMean: LayerVariable | undefined;
  #movingVariance: LayerVariable | undefined;

  constructor(args: BatchNormArgs = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    this.relu = args.relu ?? false;
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error(`${this.name}: the channel axis must be known`);
    this.#gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
    this.#beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    this.#movingMean = this.addWeight(
      'moving_mean',
      [channels],
      'float32',
      tf.initializers.zeros(),
      undefined,
      false,
    );
    this.#movingVariance = this.addWeight(
      'moving_variance',
      [channels],
      'float32',
      tf.initializers.ones(),
      undefined,
      false,
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const [x, residual] = (Array.isArray(inputs) ? inputs : [inputs]) as [tf.Tensor, tf.Tensor?];
    if (residual !== undefined && !this.relu) throw new Error(`${this.name}: a residual input needs relu`);
    const [gamma, beta, movingMean, movingVariance] = this.#variables();
    // A frozen layer (cRT's features) normalises with its stored statistics and leaves them alone.
    if (kwargs.training !== true || !this.trainable) {
      return tf.tidy(() => {
        const y = tf.batchNorm(
          x,
          movingMean.read(),
          movingVariance.read(),
          beta.read(),
          gamma.read(),
          this.epsilon,
        );
        if (!this.relu) return y;
        return tf.relu(residual === undefined ? y : tf.add(y, residual));
      });
    }
    const { y, mean, variance } = batchNormTraining(
      x,
      gamma.read() as tf.Tensor1D,
      beta.read() as tf.Tensor1D,
      this.epsilon,
      { relu: this.relu, ...(residual === undefined ? {} : { residual }) },
    );
    this.#updateMoving(movingMean, mean);
    this.#updateMoving(movingVariance, variance);
    tf.dispose([mean, variance]);
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, relu: this.relu };
  }

  #variables(): [LayerVariable, LayerVariable, LayerVariable, LayerVariable] {
    if (!this.#gamma || !this.#beta || !this.#movingMean || !this.#movingVariance) {
      throw new Error(`${this.name} is not built`);
    }
    return [this.#gamma, this.#beta, this.#movingMean, this.#movingVariance];
  }

  // As tfjs-layers: moving ← moving − (moving − batch)(1 − momentum).
  #updateMoving(variable: LayerVariable, batch: tf.Tensor): void {
    tf.tidy(() => {
      const current = variable.read();
      variable.write(tf.sub(current, tf.mul(tf.sub(current, batch), 1 - this.momentum)));
    });
  }
}

tf.serialization.registerClass(BatchNorm);

/** The shared batch-norm layer (PyTorch BatchNorm2d defaults are momentum 0.9 here, epsilon 1e-5). */
export function batchNorm(args: BatchNormArgs): BatchNorm {
  return new BatchNorm(args);
}
