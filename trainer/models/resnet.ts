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
export function batchNorm(name: string): tf.layers.Layer {
  return new BatchNorm({ momentum: 0.9, epsilon: 1e-5, name });
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
  y = batchNorm(`${name}_bn1`).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU({ name: `${name}_relu1` }).apply(y) as tf.SymbolicTensor;
  y = conv3x3(y, filters, 1, `${name}_conv2`);
  y = batchNorm(`${name}_bn2`).apply(y) as tf.SymbolicTensor;
  const inChannels = x.shape[x.shape.length - 1];
  const shortcut =
    stride === 1 && inChannels === filters
      ? x
      : (new ChannelPadShortcut({ outChannels: filters, name: `${name}_shortcut` }).apply(
          x,
        ) as tf.SymbolicTensor);
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, shortcut]) as tf.SymbolicTensor;
  return tf.layers.reLU({ name: `${name}_relu2` }).apply(sum) as tf.SymbolicTensor;
}

/** CIFAR ResNet trunk: conv 16 → 3 stages of n blocks (16/32/64) → global average pool. */
export function resnetFeatures(input: tf.SymbolicTensor, arch: ResnetArch): tf.SymbolicTensor {
  let x = conv3x3(input, stageWidths[0], 1, 'stem_conv');
  x = batchNorm('stem_bn').apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ name: 'stem_relu' }).apply(x) as tf.SymbolicTensor;
  stageWidths.forEach((width, stage) => {
    for (let block = 0; block < resnetBlocksPerStage[arch]; block++) {
      const stride = stage > 0 && block === 0 ? 2 : 1;
      x = basicBlock(x, width, stride, `stage${stage + 1}_block${block + 1}`);
    }
  });
  return tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tf.SymbolicTensor;
}
