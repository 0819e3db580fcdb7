import * as tf from '@tensorflow/tfjs';
import { firstInputShape } from './input-shape.ts';

export interface ChannelPadShortcutArgs {
  /** Channels of the output; the extra ones are zeros split evenly before and after. */
  readonly outChannels: number;
  readonly name?: string;
}

/**
 * The parameter-free CIFAR ResNet shortcut ("option A", He et al. 2016, §4.2): keep every second
 * row and column (x[:, ::2, ::2, :]) and zero-pad the channels. Built from reshape + slice, since
 * tfjs has no gradient for strided slices.
 */
export class ChannelPadShortcut extends tf.layers.Layer {
  static readonly className = 'ChannelPadShortcut';
  readonly outChannels: number;

  constructor(args: ChannelPadShortcutArgs) {
    super(args);
    this.outChannels = args.outChannels;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [batch, height, width] = firstInputShape(inputShape);
    const half = (d: number | null | undefined) => (d == null ? null : Math.ceil(d / 2));
    return [batch ?? null, half(height), half(width), this.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const [n, h, w, c] = x.shape;
      const padRows = h % 2;
      const padCols = w % 2;
      const even =
        padRows + padCols > 0
          ? tf.pad(x, [
              [0, 0],
              [0, padRows],
              [0, padCols],
              [0, 0],
            ])
          : x;
      const rows = (h + padRows) / 2;
      const cols = (w + padCols) / 2;
      const grid = tf.reshape(even, [n, rows, 2, cols, 2, c]);
      const sampled = tf.reshape(tf.slice(grid, [0, 0, 0, 0, 0, 0], [n, rows, 1, cols, 1, c]), [
        n,
        rows,
        cols,
        c,
      ]);
      const extra = this.outChannels - c;
      if (extra < 0) throw new Error(`ChannelPadShortcut cannot shrink ${c} channels to ${this.outChannels}`);
      const before = Math.floor(extra / 2);
      return tf.pad(sampled, [
        [0, 0],
        [0, 0],
        [0, 0],
        [before, extra - before],
      ]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outChannels: this.outChannels };
  }
}

tf.serialization.registerClass(ChannelPadShortcut);
