import { z } from 'zod';
import { freeText } from './free-text.ts';
import { imageDatasetIssues, imageDatasetNames, imageSchema, loaderModes } from './image-data.ts';
import { hingeLossSchema, ldamLossSchema, testImbalanceSchema } from './paper-variants.ts';
import { stage2Schema } from './stage2.ts';
import { bilstmSchema, labelsSchema, textRuleIssues, textSchema } from './text.ts';

// The experiment spec, version 1. Defaults are the paper's CIFAR recipe (Cao et al. 2019, §4 and
// appendix); fields whose default depends on another field stay optional here and are filled by
// `resolveExperiment` (resolve.ts), so the stored spec is exactly what the user asked for plus
// plain defaults.

const int = (min: number, max: number) => z.int().min(min).max(max);
const seedField = int(0, 2 ** 31 - 1);
/** iNaturalist 2018 has 8,142 classes; room for larger label sets. */
export const maxClasses = 10_000;

export const datasetNames = [
  'fashion-mnist',
  'mnist',
  'cifar10',
  'cifar100',
  ...imageDatasetNames,
  'synthetic',
  'custom',
  'imdb',
] as const;
export const datasetFormats = ['idx', 'cifar-bin', 'image-folder', 'image-manifest', 'jsonl'] as const;

export const imbalanceSchema = z.strictObject({
  type: z.enum(['exp', 'step', 'none']).default('exp'),
  /** ρ = n_max / n_min; ignored when type is 'none'. */
  ratio: z.number().min(1).max(10_000).default(100),
  /** step only: the named classes keep ⌊n_max/ρ⌋, the others n_max (default: the second half). */
  minority: z.array(z.string().min(1).max(200)).min(1).max(1000).optional(),
});

export const syntheticSchema = z.strictObject({
  /** Shape of one example: [features] for vectors, [height, width, channels] for images. */
  shape: z.array(int(1, 4096)).min(1).max(3).default([32]),
  /** Distance between class means, in units of the noise's standard deviation. */
  separation: z.number().min(0).max(100).default(3),
  testPerClass: int(1, 100_000).default(200),
});

export const datasetSchema = z
  .strictObject({
    name: z.enum(datasetNames),
    format: z.enum(datasetFormats).optional(),
    numClasses: int(2, maxClasses).optional(),
    /** Local directory, s3://bucket/prefix or https://…; must lie under an allowed root. */
    source: z.string().min(1).max(2048).optional(),
    imbalance: imbalanceSchema.default({ type: 'exp', ratio: 100 }),
    /** Absent: the balanced test set (paper-variants.ts). */
    testImbalance: testImbalanceSchema.optional(),
    /** Seed of which training images are kept (independent of the training seed). */
    seed: seedField.default(0),
    /** Caps n_max, the training images per class before imbalance (CI-sized runs). */
    maxPerClass: int(1, 1_000_000).optional(),
    /** Caps the balanced test set per class (keeps it balanced). */
    testPerClass: int(1, 1_000_000).optional(),
    /** Balanced validation split drawn from the training pool before sub-sampling. */
    validationPerClass: int(1, 100_000).optional(),
    synthetic: syntheticSchema.optional(),
    /** Decoding, crops and normalisation of image datasets read file by file. */
    image: imageSchema.optional(),
    /** Hold decoded images in memory or stream them from disk / S3 (auto: by size). */
    loader: z.enum(loaderModes).optional(),
    /** Tokenisation and vocabulary of text datasets (text.ts). */
    text: textSchema.optional(),
    /** JSONL datasets: the labels in class order (class 0 first). */
    labels: labelsSchema.optional(),
  })
  .superRefine((d, ctx) => {
    for (const { path, message } of imageDatasetIssues(d)) ctx.addIssue({ code: 'custom', path, message });
    if (d.name === 'custom') {
      if (d.format === undefined)
        ctx.addIssue({ code: 'custom', path: ['format'], message: "required when name is 'custom'" });
      if (d.numClasses === undefined && d.format !== 'jsonl')
        ctx.addIssue({ code: 'custom', path: ['numClasses'], message: "required when name is 'custom'" });
      if (d.source === undefined)
        ctx.addIssue({ code: 'custom', path: ['source'], message: "required when name is 'custom'" });
    } else if (d.format !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['format'], message: "only allowed when name is 'custom'" });
    }
    if (d.name === 'synthetic') {
      if (d.source !== undefined)
        ctx.addIssue({ code: 'custom', path: ['source'], message: 'synthetic data has no source' });
    } else if (d.synthetic !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['synthetic'],
        message: "only allowed when name is 'synthetic'",
      });
    }
    const fixed = fixedClassCounts[d.name];
    if (fixed !== undefined && d.numClasses !== undefined && d.numClasses !== fixed)
      ctx.addIssue({ code: 'custom', path: ['numClasses'], message: `${d.name} has ${fixed} classes` });
  });

/** Classes of the named datasets; `custom` and `synthetic` take `numClasses` (synthetic: 10 by default). */
export const fixedClassCounts: Partial<Record<(typeof datasetNames)[number], number>> = {
  'fashion-mnist': 10,
  mnist: 10,
  cifar10: 10,
  cifar100: 100,
  imdb: 2,
};

export const architectures = [
  'resnet8',
  'resnet20',
  'resnet32',
  'resnet44',
  'resnet56',
  'resnet18',
  'resnet50',
  'mlp',
  'bilstm',
] as const;

export const modelSchema = z.strictObject({
  arch: z.enum(architectures).default('resnet32'),
  /** Default: cosine for the ldam loss, linear otherwise (resolve.ts). */
  classifier: z.enum(['linear', 'cosine']).optional(),
  /** Hidden layer widths of the mlp. */
  hidden: z.array(int(1, 8192)).min(1).max(8).default([256, 256]),
  /** Sizes of the bilstm (text.ts). */
  bilstm: bilstmSchema.optional(),
});

export const lossSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ce') }),
  z.strictObject({ type: z.literal('focal'), gamma: z.number().min(0).max(10).default(1) }),
  ldamLossSchema,
  z.strictObject({ type: z.literal('logit-adjusted'), tau: z.number().min(0).max(10).default(1) }),
  hingeLossSchema,
]);

export const rebalanceSchema = z.strictObject({
  rule: z.enum(['none', 'reweight', 'resample', 'drw', 'drs']).default('drw'),
  weighting: z.enum(['class-balanced', 'inverse-frequency']).default('class-balanced'),
  beta: z.number().min(0).lt(1).default(0.9999),
  /** drw/drs switch on after this many completed epochs; default: the first LR decay's afterEpoch. */
  afterEpoch: int(0, 10_000).optional(),
});

export const adamFields = ['beta1', 'beta2', 'epsilon'] as const;

export const optimizerSchema = z
  .strictObject({
    type: z.enum(['sgd', 'adam']).default('sgd'),
    lr: z.number().gt(0).max(10).default(0.1),
    /** SGD's momentum; Adam does not use it. */
    momentum: z.number().min(0).lt(1).default(0.9),
    /** L2 added to the gradient, as PyTorch's SGD and Adam do. */
    weightDecay: z.number().min(0).max(1).default(2e-4),
    batchSize: int(1, 4096).default(128),
    /** Adam only (PyTorch's defaults when absent: 0.9, 0.999, 1e-8). */
    beta1: z.number().min(0).lt(1).optional(),
    beta2: z.number().min(0).lt(1).optional(),
    epsilon: z.number().gt(0).max(1).optional(),
  })
  .superRefine((o, ctx) => {
    if (o.type === 'adam') return;
    for (const field of adamFields)
      if (o[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: "only allowed when type is 'adam'" });
  });

export const decayStepSchema = z.strictObject({
  /** LR becomes lr·factor from epoch afterEpoch + 1 on (epochs count from 1). */
  afterEpoch: int(1, 10_000),
  factor: z.number().gt(0).max(1),
});

export const scheduleSchema = z
  .strictObject({
    epochs: int(1, 10_000).default(200),
    /** Linear warm-up length; default 2.5% of epochs (5 of 200). */
    warmupEpochs: int(0, 10_000).optional(),
    /** Default: ×0.01 after 80% and ×0.0001 after 90% of epochs (160 and 180 of 200). */
    decay: z.array(decayStepSchema).max(16).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.warmupEpochs !== undefined && s.warmupEpochs > s.epochs)
      ctx.addIssue({ code: 'custom', path: ['warmupEpochs'], message: 'must not exceed epochs' });
    s.decay?.forEach((step, i) => {
      if (step.afterEpoch > s.epochs)
        ctx.addIssue({ code: 'custom', path: ['decay', i, 'afterEpoch'], message: 'must not exceed epochs' });
      const previous = s.decay?.[i - 1];
      if (previous !== undefined && step.afterEpoch <= previous.afterEpoch)
        ctx.addIssue({ code: 'custom', path: ['decay', i, 'afterEpoch'], message: 'must be increasing' });
    });
  });

export const augmentSchema = z.strictObject({
  crop: z.boolean().default(true),
  /** Pad-and-crop padding; default 4 px for 32×32 inputs, 2 px for 28×28. */
  padding: int(0, 64).optional(),
  flip: z.boolean().default(true),
});

export const evalSchema = z.strictObject({
  everyEpochs: int(1, 10_000).default(1),
});

export const checkpointSchema = z.strictObject({
  everyEpochs: int(1, 10_000).default(5),
  keepLast: int(1, 100).default(3),
  /** Also checkpoint each new best epoch and keep it past keepLast (absent = true). */
  keepBest: z.boolean().optional(),
});

export const resourcesSchema = z.strictObject({
  // The trainer drives one GPU (tfjs-node-gpu); a second would be billed and left idle.
  gpus: z
    .int()
    .min(0)
    .max(1, 'at most 1: the trainer uses one GPU (multi-GPU training is not implemented)')
    .default(1),
  cpus: int(1, 96).default(4),
  // 14, not 16: a 16 GiB g4dn/g5.xlarge keeps ~1.5 GiB for ECS, so 16 would force the 2xlarge.
  memoryGiB: int(1, 768).default(14),
  timeoutMinutes: int(1, 10_080).default(1440),
  queueTimeoutMinutes: int(1, 10_080).default(60),
  /** Attempts a job may take when its task is lost (server crash): attempt n+1 starts only while n < this. */
  maxAttempts: int(1, 20).default(3),
});

export const experimentSpecSchema = z
  .strictObject({
    version: z.literal(1),
    name: freeText(200).optional(),
    dataset: datasetSchema,
    model: modelSchema.default({ arch: 'resnet32', hidden: [256, 256] }),
    loss: lossSchema.default({ type: 'ldam', maxMargin: 0.5, scale: 30 }),
    rebalance: rebalanceSchema.default({ rule: 'drw', weighting: 'class-balanced', beta: 0.9999 }),
    optimizer: optimizerSchema.default({
      type: 'sgd',
      lr: 0.1,
      momentum: 0.9,
      weightDecay: 2e-4,
      batchSize: 128,
    }),
    schedule: scheduleSchema.default({ epochs: 200 }),
    /** Default (resolve.ts): crop and flip for images, nothing for text. */
    augment: augmentSchema.optional(),
    eval: evalSchema.default({ everyEpochs: 1 }),
    checkpoint: checkpointSchema.default({ everyEpochs: 5, keepLast: 3 }),
    resources: resourcesSchema.default({
      gpus: 1,
      cpus: 4,
      memoryGiB: 14,
      timeoutMinutes: 1440,
      queueTimeoutMinutes: 60,
      maxAttempts: 3,
    }),
    /** Seed of initialisation, shuffling and augmentation. */
    seed: seedField.default(0),
    /** Classifier re-training from a finished job's frozen features (stage2.ts). */
    stage2: stage2Schema.optional(),
  })
  .superRefine((spec, ctx) => {
    const after = spec.rebalance.afterEpoch;
    if (after !== undefined && after > spec.schedule.epochs)
      ctx.addIssue({
        code: 'custom',
        path: ['rebalance', 'afterEpoch'],
        message: 'must not exceed schedule.epochs',
      });
    const shape = spec.dataset.synthetic?.shape;
    for (const issue of textRuleIssues(spec)) ctx.addIssue({ code: 'custom', ...issue });
    if (
      spec.model.arch !== 'mlp' &&
      spec.model.arch !== 'bilstm' &&
      shape !== undefined &&
      shape.length !== 3
    )
      ctx.addIssue({
        code: 'custom',
        path: ['model', 'arch'],
        message: 'resnets need image inputs: set dataset.synthetic.shape to [height, width, channels]',
      });
  });

/** What the user may send (defaults not yet applied). */
export type ExperimentSpecInput = z.input<typeof experimentSpecSchema>;
/** A validated spec with plain defaults applied: what is stored as spec.json. */
export type ExperimentSpec = z.output<typeof experimentSpecSchema>;
export type DatasetSpec = ExperimentSpec['dataset'];
export type ModelSpec = ExperimentSpec['model'];
export type LossSpec = ExperimentSpec['loss'];
export type RebalanceSpec = ExperimentSpec['rebalance'];
export type OptimizerSpec = ExperimentSpec['optimizer'];
export type ScheduleSpec = ExperimentSpec['schedule'];
export type ImbalanceSpec = ExperimentSpec['dataset']['imbalance'];
