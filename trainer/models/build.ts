import * as tf from '@tensorflow/tfjs';
import { type BilstmSpec, defaultBilstmSpec, type ModelSpec } from '../spec/index.ts';
import { bilstmFeatures, initialiseBilstm } from './bilstm.ts';
import { CosineClassifier } from './cosine-classifier.ts';
import { imagenetResnetFeatures, isImagenetResnet } from './imagenet-resnet.ts';
import { initialiseKaimingNormal } from './kaiming-init.ts';
import { mlpFeatures } from './mlp.ts';
import { resnetFeatures } from './resnet.ts';

export type ClassifierKind = 'linear' | 'cosine';

export interface BuildModelOptions {
  /** One example's shape: [features] or [height, width, channels]. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly classifier: ClassifierKind;
  /** Seed of the Kaiming-normal initialisation (default 0). */
  readonly seed?: number;
  /** bilstm: the vocabulary's size (embedding rows). */
  readonly vocabSize?: number;
  /**
   * false: skip the seeded draw (40 M normals take seconds for a ResNet-50) and keep the layers'
   * own initial values, for a model whose shape alone is wanted. Default true.
   */
  readonly seededInit?: boolean;
}

/** The parts of the model spec the builder reads (the classifier kind comes resolved in the options). */
export type ModelShapeSpec = Pick<ModelSpec, 'arch'> & {
  readonly hidden: readonly number[];
  readonly bilstm?: BilstmSpec | undefined;
};

/** Builds the spec's network with a linear or cosine head; outputs logits (no softmax). */
export function buildModel(modelSpec: ModelShapeSpec, options: BuildModelOptions): tf.LayersModel {
  const { inputShape, numClasses, classifier } = options;
  const text = modelSpec.arch === 'bilstm';
  const input = tf.input({ shape: [...inputShape], name: text ? 'tokens' : 'image' });
  let features: tf.SymbolicTensor;
  if (modelSpec.arch === 'bilstm') {
    if (inputShape.length !== 1 || options.vocabSize === undefined)
      throw new Error(
        `bilstm needs [maxLength] token inputs and a vocabulary size, got [${inputShape.join(', ')}]`,
      );
    features = bilstmFeatures(input, modelSpec.bilstm ?? defaultBilstmSpec, options.vocabSize);
  } else if (modelSpec.arch === 'mlp') {
    features = mlpFeatures(input, modelSpec.hidden);
  } else {
    if (inputShape.length !== 3)
      throw new Error(
        `${modelSpec.arch} needs [height, width, channels] inputs, got [${inputShape.join(', ')}]`,
      );
    features = isImagenetResnet(modelSpec.arch)
      ? imagenetResnetFeatures(input, modelSpec.arch)
      : resnetFeatures(input, modelSpec.arch);
  }
  const head =
    classifier === 'cosine'
      ? new CosineClassifier({ units: numClasses, name: 'classifier' })
      : // initialiseKaimingNormal re-draws the kernel: tfjs's own draw (16 M values at 8,142 classes) would be wasted.
        tf.layers.dense({ units: numClasses, kernelInitializer: 'zeros', name: 'classifier' });
  const logits = head.apply(features) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits, name: modelSpec.arch });
  if (options.seededInit === false) return model;
  initialiseKaimingNormal(model, options.seed ?? 0);
  if (text) initialiseBilstm(model, options.seed ?? 0);
  return model;
}
