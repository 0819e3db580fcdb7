import * as tf from '@tensorflow/tfjs';
import { featureDimension, firstInputShape } from './input-shape.ts';

export interface CosineClassifierArgs {
  readonly units: number;
  readonly name?: string;
  readonly trainable?: boolean;
}

// Below this norm a vector is treated as having norm eps, as torch.nn.functional.normalize does.
const normEpsilon = 1e-12;

function normalise(x: tf.Tensor, axis: number): tf.Tensor {
  const squaredNorm = tf.sum(tf.square(x), axis, true);
  return tf.mul(x, tf.rsqrt(tf.maximum(squaredNorm, normEpsilon * normEpsilon)));
}

/**
 * Normalised linear classifier: z_j = ⟨x/‖x‖, w_j/‖w_j‖⟩, no bias, so logits are cosines in
 * [−1, 1] (Cao et al. 2019, §3.2, the classifier LDAM's margins are defined on).
 */
export class CosineClassifier extends tf.layers.Layer {
  static readonly className = 'CosineClassifier';
  readonly units: number;
  private kernel: tf.LayerVariable | undefined;

  constructor(args: CosineClassifierArgs) {
    super(args);
    this.units = args.units;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const features = featureDimension(inputShape, 'CosineClassifier');
    this.kernel = this.addWeight(
      'kernel',
      [features, this.units],
      'float32',
      tf.initializers.glorotUniform({}),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = firstInputShape(inputShape);
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      if (x === undefined || this.kernel === undefined)
        throw new Error('CosineClassifier called before build');
      return tf.matMul(normalise(x, 1), normalise(this.kernel.read(), 0));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

tf.serialization.registerClass(CosineClassifier);
