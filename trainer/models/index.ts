export type { BatchNormArgs } from './batch-norm.ts';
export { BatchNorm, batchNorm } from './batch-norm.ts';
export {
  batchNormGradKernelName,
  batchNormTraining,
  batchNormTrainingKernelName,
  hasNativeBatchNorm,
} from './batch-norm-kernels.ts';
export type { BuildModelOptions, ClassifierKind, ModelShapeSpec } from './build.ts';
export { buildModel } from './build.ts';
export { ChannelPadShortcut } from './channel-pad-shortcut.ts';
export { CosineClassifier } from './cosine-classifier.ts';
export { classifierLayerName, freezeFeatures, withStage1Features } from './frozen-features.ts';
export type { ImagenetResnetArch } from './imagenet-resnet.ts';
export { imagenetResnets, isImagenetResnet } from './imagenet-resnet.ts';
export { initialiseKaimingNormal, kaimingNormalValues } from './kaiming-init.ts';
export type { ResnetArch } from './resnet.ts';
export { resnetBlocksPerStage } from './resnet.ts';
