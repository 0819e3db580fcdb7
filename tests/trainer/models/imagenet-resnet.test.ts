import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../trainer/engine/backend.ts';
import { buildModel } from '../../../trainer/models/index.ts';

function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce(
    (sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1),
    0,
  );
}

const build = (
  arch: 'resnet18' | 'resnet50',
  numClasses: number,
  classifier: 'linear' | 'cosine',
  side = 224,
) =>
  // Shapes and counts only: the seeded Kaiming draw (seconds per model) is skipped.
  buildModel(
    { arch, hidden: [] },
    { inputShape: [side, side, 3], numClasses, classifier, seededInit: false },
  );

beforeAll(async () => {
  await selectBackend('wasm', {});
});

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('ImageNet-style ResNets', { timeout: 180_000 }, () => {
  // torchvision's resnet18/resnet50 with the fc layer resized: 11,689,512 and 25,557,032 at 1,000 classes.
  it('resnet50 (1,000 classes, linear) has 25,557,032 parameters and halves 224 px five times', () => {
    const model = build('resnet50', 1000, 'linear');
    expect(trainableParams(model)).toBe(25_557_032);
    expect(model.getLayer('stem_bn').outputShape).toEqual([null, 112, 112, 64]);
    expect(model.getLayer('stem_pool').outputShape).toEqual([null, 56, 56, 64]);
    expect(model.getLayer('stage1_block3_c_bn').outputShape).toEqual([null, 56, 56, 256]);
    expect(model.getLayer('stage2_block1_c_bn').outputShape).toEqual([null, 28, 28, 512]);
    expect(model.getLayer('stage4_block3_c_bn').outputShape).toEqual([null, 7, 7, 2048]);
    expect(model.outputs[0]?.shape).toEqual([null, 1000]);
    // Blocks end in their last BN layer (ReLU and the shortcut's add folded in). Only the first
    // block of each stage projects its shortcut (1×1 conv + BN).
    const projections = model.layers.filter((l) => l.name.endsWith('_down_conv')).map((l) => l.name);
    expect(projections).toEqual([
      'stage1_block1_down_conv',
      'stage2_block1_down_conv',
      'stage3_block1_down_conv',
      'stage4_block1_down_conv',
    ]);
    model.dispose();
  });

  it('resnet18 (200 classes, linear) has 11,279,112 parameters, identity shortcuts in stage 1, 512 features', () => {
    const model = build('resnet18', 200, 'linear', 64);
    expect(trainableParams(model)).toBe(11_279_112);
    expect(model.layers.some((l) => l.name === 'stage1_block1_down_conv')).toBe(false);
    expect(model.getLayer('stage4_block2_b_bn').outputShape).toEqual([null, 2, 2, 512]);
    expect(model.getLayer('pool').outputShape).toEqual([null, 512]);
    model.dispose();
  });

  it.each([
    ['resnet50', 8142, 'linear', 40_190_990],
    ['resnet18', 200, 'cosine', 11_278_912],
    ['resnet50', 1000, 'cosine', 25_556_032],
  ] as const)('%s with %i classes and a %s head has %i trainable parameters', (arch, k, head, count) => {
    const model = build(arch, k, head, 64);
    expect(trainableParams(model)).toBe(count);
    expect(model.outputs[0]?.shape).toEqual([null, k]);
    model.dispose();
  });
});
