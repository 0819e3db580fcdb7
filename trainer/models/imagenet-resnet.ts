import * as tf from '@tensorflow/tfjs';
import { batchNorm } from './resnet.ts';

// ImageNet ResNets as torchvision defines them (He et al. 2016, table 1; torchvision's resnet.py):
// 7×7/2 stem, 3×3/2 max pool, four stages of widths 64–512 (bottlenecks ×4 wider), 1×1 projection
// shortcuts where the shape changes, stride on the 3×3 conv of a bottleneck ("v1.5").

export const imagenetResnets = {
  resnet18: { block: 'basic', blocks: [2, 2, 2, 2] },
  resnet50: { block: 'bottleneck', blocks: [3, 4, 6, 3] },
} as const;
export type ImagenetResnetArch = keyof typeof imagenetResnets;

const stageWidths = [64, 128, 256, 512] as const;
const bottleneckExpansion = 4;

type Sym = tf.SymbolicTensor;
const apply = (layer: tf.layers.Layer, x: Sym | Sym[]): Sym => layer.apply(x) as Sym;

/** A bias-free conv with PyTorch's symmetric padding (k − 1)/2, written as explicit zero padding. */
function conv(x: Sym, filters: number, kernelSize: number, stride: number, name: string): Sym {
  const pad = (kernelSize - 1) / 2;
  const input = pad > 0 ? apply(tf.layers.zeroPadding2d({ padding: pad, name: `${name}_pad` }), x) : x;
  return apply(
    tf.layers.conv2d({
      filters,
      kernelSize,
      strides: stride,
      padding: 'valid',
      useBias: false,
      // buildModel re-initialises every kernel (seeded Kaiming); tfjs's own random draw would be wasted.
      kernelInitializer: 'zeros',
      name,
    }),
    input,
  );
}

// conv → BN, with the ReLU in the BN layer (one native kernel each way on onednn); with
// `residual` (built after the conv, keeping the layers' order), relu(BN(conv) + residual), a
// block's end.
function convBn(
  x: Sym,
  filters: number,
  kernelSize: number,
  stride: number,
  name: string,
  relu: boolean,
  residual?: () => Sym,
): Sym {
  const y = conv(x, filters, kernelSize, stride, `${name}_conv`);
  return apply(batchNorm(`${name}_bn`, relu), residual === undefined ? y : [y, residual()]);
}

function shortcut(x: Sym, outChannels: number, stride: number, name: string): Sym {
  const inChannels = x.shape[x.shape.length - 1];
  if (stride === 1 && inChannels === outChannels) return x;
  return convBn(x, outChannels, 1, stride, `${name}_down`, false);
}

function basicBlock(x: Sym, width: number, stride: number, name: string): Sym {
  const y = convBn(x, width, 3, stride, `${name}_a`, true);
  return convBn(y, width, 3, 1, `${name}_b`, true, () => shortcut(x, width, stride, name));
}

function bottleneckBlock(x: Sym, width: number, stride: number, name: string): Sym {
  const out = width * bottleneckExpansion;
  let y = convBn(x, width, 1, 1, `${name}_a`, true);
  y = convBn(y, width, 3, stride, `${name}_b`, true);
  return convBn(y, out, 1, 1, `${name}_c`, true, () => shortcut(x, out, stride, name));
}

/** The trunk up to global average pooling (512 features for resnet18, 2048 for resnet50). */
export function imagenetResnetFeatures(input: Sym, arch: ImagenetResnetArch): Sym {
  const { block, blocks } = imagenetResnets[arch];
  let x = convBn(input, 64, 7, 2, 'stem', true);
  // Zero padding equals PyTorch's −∞ padding here: the inputs are ReLU outputs, never negative.
  x = apply(tf.layers.zeroPadding2d({ padding: 1, name: 'stem_pool_pad' }), x);
  x = apply(tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'stem_pool' }), x);
  stageWidths.forEach((width, stage) => {
    for (let b = 0; b < (blocks[stage] ?? 0); b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      const name = `stage${stage + 1}_block${b + 1}`;
      x = block === 'basic' ? basicBlock(x, width, stride, name) : bottleneckBlock(x, width, stride, name);
    }
  });
  return apply(tf.layers.globalAveragePooling2d({ name: 'pool' }), x);
}

export function isImagenetResnet(arch: string): arch is ImagenetResnetArch {
  return Object.hasOwn(imagenetResnets, arch);
}
