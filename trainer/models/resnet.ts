import * as tf from '@tensorflow/tfjs';
import { BatchNorm } from './batch-norm.ts';
import { ChannelPadShortcut } from './channel-pad-shortcut.ts';

/** Blocks per stage of the CIFAR ResNets of depth 6n + 2 (He et al. 2016, §4.2). */
export const resnetBlocksPerStage = {
  resnet8: 1,
  resnet20: 3,
  resnet32: 5,
  resnet44: 7,
  resnet56: 9,
} as const;
export type ResnetArch = keyof typeof resnetBlocksPerStage;

const stageWidths = [16, 32, 64] as const;

// PyTorch BatchNorm2d defaults: momentum 0.1 (= 0.9 in Keras convention) and epsilon 1e-5.
// `relu`: the ReLU after it in the same layer (one native kernel each way on onednn).
export function batchNorm(name: string, relu = false): tf.layers.Layer {
  return new BatchNorm({ momentum: 0.9, epsilon: 1e-5, relu, name });
}

/** 3×3 conv without bias; stride 2 pads one pixel on every side first, as PyTorch's padding=1 does. */
function conv3x3(x: tf.SymbolicTensor, filters: number, stride: 1 | 2, name: string): tf.SymbolicTensor {
  const input =
    stride === 2
      ? (tf.layers.zeroPadding2d({ padding: 1, name: `${name}_pad` }).apply(x) as tf.SymbolicTensor)
      : x;
  return tf.layers
    .conv2d({
      filters,
      kernelSize: 3,
      strides: stride,
      padding: stride === 2 ? 'valid' : 'same',
      useBias: false,
      name,
    })
    .apply(input) as tf.SymbolicTensor;
}

function basicBlock(x: tf.SymbolicTensor, filters: number, stride: 1 | 2, name: string): tf.SymbolicTensor {
  let y = conv3x3(x, filters, stride, `${name}_conv1`);
  y = batchNorm(`${name}_bn1`, true).apply(y) as tf.SymbolicTensor;
  y = conv3x3(y, filters, 1, `${name}_conv2`);
  const inChannels = x.shape[x.shape.length - 1];
  const shortcut =
    stride === 1 && inChannels === filters
      ? x
      : (new ChannelPadShortcut({ outChannels: filters, name: `${name}_shortcut` }).apply(
          x,
        ) as tf.SymbolicTensor);
  // relu(bn2(y) + shortcut) as one layer: on onednn one kernel each way, and neither the
  // normalised y nor the sum is kept for the backward pass (only the block's output).
  return batchNorm(`${name}_bn2`, true).apply([y, shortcut]) as tf.SymbolicTensor;
}

/** CIFAR ResNet trunk: conv 16 → 3 stages of n blocks (16/32/64) → global average pool. */
export function resnetFeatures(input: tf.SymbolicTensor, arch: ResnetArch): tf.SymbolicTensor {
  let x = conv3x3(input, stageWidths[0], 1, 'stem_conv');
  x = batchNorm('stem_bn', true).apply(x) as tf.SymbolicTensor;
  stageWidths.forEach((width, stage) => {
    for (let block = 0; block < resnetBlocksPerStage[arch]; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      x = basicBlock(x, width, stride, `stage${stage + 1}_block${block + 1}`);
    }
  });
  return tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
}
