// Training throughput (images per second, forward + backward + update, batch 128) per architecture
// and runner kind, for the cost guard. Planning numbers, not promises: replace them with the
// benchmark grid's measurements when those exist for the deployment's hardware.
//
// Sources:
// - cpu (local runner, tfjs wasm on a 2-core Zen 4, one thread): measured with `npm run bench:engine`
//   (README, "Engine"): MLP 784-256-256-10 2451 img/s (stock kernels), ResNet-32 ~29 img/s
//   (replaced conv kernels). The other ResNets scale ResNet-32 by conv-layer count (6n+1 convs of
//   the same widths: resnet8 7, resnet20 19, resnet32 31, resnet44 43, resnet56 55).
// - gpu (docker / aws-batch, one GPU with tfjs-node-gpu): not measurable here (no GPU); a
//   conservative planning figure of ~1/3 of PyTorch's ResNet-32 CIFAR training speed on a T4
//   (~4,500 img/s), scaled the same way, and a memory-bound MLP figure.
import type { ModelSpec } from '../../trainer/spec/index.ts';

export type DeviceKind = 'cpu' | 'gpu';
type Arch = ModelSpec['arch'];
type ImagenetArch = 'resnet18' | 'resnet50';

// ImageNet ResNets at 224 px. gpu: tfjs-node-gpu fp32 at about half of PyTorch's ~400 img/s
// ResNet-50 training rate on one V100/A10G (a planning figure: no GPU here to measure it); resnet18
// by forward multiply-adds (1.8 vs 4.1 G, He et al. 2016, table 1). cpu: ResNet-32's 29 img/s
// scaled by multiply-adds (0.073 G on 32×32 against 4.1 G and 1.8 G at 224 px).
const imagenetImagesPerSecondAt224: Record<ImagenetArch, Record<DeviceKind, number>> = {
  resnet18: { cpu: 1.2, gpu: 450 },
  resnet50: { cpu: 0.5, gpu: 200 },
};
const pixels224 = 224 * 224;
// Small images use a GPU less well than their pixel count suggests: cap the speed-up.
const maxSmallImageSpeedup = 8;

const resnet32Convs = 31;
const convsOf: Record<Exclude<Arch, 'mlp' | 'bilstm' | ImagenetArch>, number> = {
  resnet8: 7,
  resnet20: 19,
  resnet32: 31,
  resnet44: 43,
  resnet56: 55,
};
const resnet32ImagesPerSecond: Record<DeviceKind, number> = { cpu: 29, gpu: 1500 };

// The BiLSTM (2×128 units, 200 tokens, batch 64): cpu measured by `npm run bench:imdb-epoch` (37 CPU
// s a step on wasm, one core); gpu an estimate (no GPU here): ~15,000 small ops a step (200 steps ×
// 2 layers × ~37 ops forward and backward) at ~30 µs of dispatch each is ~0.5 s a step.
const bilstmReviewsPerSecond: Record<DeviceKind, number> = { cpu: 1.7, gpu: 130 };

/** The reference MLP's multiply-adds per example (784-256-256-10), the unit MLP speeds scale by. */
const referenceMlpMacs = 784 * 256 + 256 * 256 + 256 * 10;
const referenceMlpImagesPerSecond: Record<DeviceKind, number> = { cpu: 2451, gpu: 50_000 };

/** Multiply-adds per example of an MLP with the given input size, hidden widths and classes. */
export function mlpMacs(inputSize: number, hidden: readonly number[], numClasses: number): number {
  const widths = [inputSize, ...hidden, numClasses];
  let macs = 0;
  for (let i = 1; i < widths.length; i++) macs += (widths[i - 1] ?? 0) * (widths[i] ?? 0);
  return macs;
}

/** Images per second for one training step's worth of work, per architecture and device. */
export function trainingImagesPerSecond(
  model: Pick<ModelSpec, 'arch' | 'hidden'>,
  device: DeviceKind,
  input: { readonly size: number; readonly pixels: number; readonly numClasses: number },
): number {
  if (model.arch === 'mlp') {
    const macs = mlpMacs(input.size, model.hidden, input.numClasses);
    return referenceMlpImagesPerSecond[device] * (referenceMlpMacs / Math.max(1, macs));
  }
  if (model.arch === 'bilstm') return bilstmReviewsPerSecond[device];
  if (model.arch === 'resnet18' || model.arch === 'resnet50') {
    const speedup = Math.min(maxSmallImageSpeedup, pixels224 / Math.max(1, input.pixels));
    return imagenetImagesPerSecondAt224[model.arch][device] * speedup;
  }
  // ResNets were measured on 32×32 inputs; a conv net's work grows with the pixel count.
  const pixelScale = Math.min(16, 1024 / Math.max(1, input.pixels));
  return resnet32ImagesPerSecond[device] * (resnet32Convs / convsOf[model.arch]) * pixelScale;
}
