import * as tf from '@tensorflow/tfjs';
import { featureDimension, firstInputShape } from './input-shape.ts';

// One bidirectional LSTM layer over right-padded token sequences, both directions in one batched
// recurrence. Gates are PyTorch's (torch.nn.LSTM, order i, f, g, o): i, f, o = σ(·), g = tanh(·),
// c' = f⊙c + i⊙g, h' = o⊙tanh(c'). The backward direction reads each sequence reversed within its
// own length, so padding trails in both directions: a real position never depends on padding, no
// step needs a mask, and the padded positions' outputs (ignored by the masked pooling) are junk.

export interface BiLstmArgs {
  readonly units: number;
  readonly name?: string;
}

/** Per example and position: the position that reverses the sequence within its length (ids > 0). */
export function reversalIndices(ids: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const [batch, steps] = ids.shape;
    const lengths = tf.sum(tf.cast(tf.notEqual(ids, 0), 'int32'), 1, true);
    const t = tf.range(0, steps, 1, 'int32').reshape([1, steps]);
    // Integer scalars: a JS number would promote the arithmetic to float32.
    const within = tf.sub(tf.sub(lengths, tf.scalar(1, 'int32')), t);
    const position = tf.where(tf.less(t, lengths), within, tf.mul(t, tf.onesLike(within)));
    const rowStart = tf.mul(tf.range(0, batch, 1, 'int32').reshape([batch, 1]), tf.scalar(steps, 'int32'));
    return tf.add(position, rowStart).reshape([batch * steps]) as tf.Tensor1D;
  });
}

function reorder(x: tf.Tensor3D, flatIndices: tf.Tensor1D): tf.Tensor3D {
  const [batch, steps, width] = x.shape;
  return tf.gather(x.reshape([batch * steps, width]), flatIndices).reshape([batch, steps, width]);
}

export class BiLstm extends tf.layers.Layer {
  static readonly className = 'BiLstm';
  readonly units: number;
  private kernel: tf.LayerVariable | undefined;
  private recurrentKernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: BiLstmArgs) {
    super(args);
    this.units = args.units;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const features = featureDimension(inputShape, 'BiLstm');
    const gates = 4 * this.units;
    const init = tf.initializers.zeros();
    // Values are set by initialiseBilstm (seeded); [forward, backward] on the first axis.
    this.kernel = this.addWeight('kernel', [2, features, gates], 'float32', init);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [2, this.units, gates], 'float32', init);
    this.bias = this.addWeight('bias', [2, 1, gates], 'float32', init);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = firstInputShape(inputShape);
    return [shape[0] ?? null, shape[1] ?? null, 2 * this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = inputs as [tf.Tensor3D, tf.Tensor2D];
      if (this.kernel === undefined || this.recurrentKernel === undefined || this.bias === undefined)
        throw new Error('BiLstm called before build');
      const [batch, steps, features] = x.shape;
      const gates = 4 * this.units;
      const reverse = reversalIndices(ids);
      const [wf, wb] = tf.unstack(this.kernel.read()) as [tf.Tensor2D, tf.Tensor2D];
      const [bf, bb] = tf.unstack(this.bias.read());
      const project = (seq: tf.Tensor3D, w: tf.Tensor2D, b: tf.Tensor) =>
        tf
          .add(tf.matMul(seq.reshape([batch * steps, features]), w), b as tf.Tensor)
          .reshape([batch, steps, gates]);
      // Input projections of every step at once: [steps, 2, batch, gates].
      const projected = tf.transpose(
        tf.stack([project(x, wf, bf as tf.Tensor), project(reorder(x, reverse), wb, bb as tf.Tensor)]),
        [2, 0, 1, 3],
      );
      const recurrent = this.recurrentKernel.read();
      let h: tf.Tensor = tf.zeros([2, batch, this.units]);
      let c: tf.Tensor = tf.zeros([2, batch, this.units]);
      const outputs: tf.Tensor[] = [];
      for (const xt of tf.unstack(projected)) {
        const z = tf.add(xt, tf.matMul(h as tf.Tensor3D, recurrent as tf.Tensor3D));
        const [i, f, g, o] = tf.split(z, 4, 2) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
        h = tf.mul(tf.sigmoid(o), tf.tanh(c));
        outputs.push(h);
      }
      // [2, batch, steps, units]: forward as is, backward put back at the original positions.
      const [hf, hbReversed] = tf.unstack(tf.transpose(tf.stack(outputs), [1, 2, 0, 3])) as [
        tf.Tensor3D,
        tf.Tensor3D,
      ];
      return tf.concat([hf, reorder(hbReversed, reverse)], 2);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units };
  }
}

tf.serialization.registerClass(BiLstm);

/** Mean over the real (non-padding) positions: [features, ids] → [batch, width]. */
export class MaskedMeanPool extends tf.layers.Layer {
  static readonly className = 'MaskedMeanPool';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = firstInputShape(inputShape);
    return [shape[0] ?? null, shape[2] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, ids] = inputs as [tf.Tensor3D, tf.Tensor2D];
      const mask = tf.cast(tf.notEqual(ids, 0), 'float32');
      const count = tf.maximum(tf.sum(mask, 1, true), 1);
      return tf.div(tf.sum(tf.mul(x, mask.expandDims(2)), 1), count);
    });
  }
}

tf.serialization.registerClass(MaskedMeanPool);
