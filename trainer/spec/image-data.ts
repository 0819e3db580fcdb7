import { z } from 'zod';

// The spec's part for image datasets read file by file (Tiny ImageNet, iNaturalist 2018, JSONL
// manifests): how images are decoded, cropped and normalised, and whether they are held in memory
// or streamed. Composed into `dataset` by experiment.ts.

export const imageDatasetNames = ['tiny-imagenet', 'inaturalist2018'] as const;
export type ImageDatasetName = (typeof imageDatasetNames)[number];

/** The published datasets' class counts; a spec may name fewer for a subset (the data must agree). */
export const nominalClassCounts: Record<ImageDatasetName, number> = {
  'tiny-imagenet': 200,
  inaturalist2018: 8142,
};

/** `auto` holds decoded images in memory when they fit the loader budget, else streams them. */
export const loaderModes = ['auto', 'memory', 'stream'] as const;
export type LoaderMode = (typeof loaderModes)[number];

/** ImageNet's per-channel mean and std in [0, 1] units (torchvision's, which the paper's code uses). */
export const imagenetMean = [0.485, 0.456, 0.406] as const;
export const imagenetStd = [0.229, 0.224, 0.225] as const;

export const imageSchema = z.strictObject({
  /** Side of the square network input. Default: 64 for tiny-imagenet, 224 otherwise. */
  size: z.int().min(8).max(1024).optional(),
  /** Shorter side after decoding, before any crop. Default: none for tiny-imagenet, 256 otherwise. */
  resize: z.int().min(8).max(4096).optional(),
  /** Training crop: pad by augment.padding then a random size×size crop, or torchvision's RandomResizedCrop. */
  trainCrop: z.enum(['random', 'random-resized']).default('random'),
  mean: z
    .array(z.number().min(0).max(1))
    .length(3)
    .default([...imagenetMean]),
  std: z
    .array(z.number().gt(0).max(1))
    .length(3)
    .default([...imagenetStd]),
});
export type ImageSpec = z.output<typeof imageSchema>;

export interface ImageDatasetFields {
  readonly name: string;
  readonly format?: string | undefined;
  readonly image?: unknown;
  readonly loader?: LoaderMode | undefined;
  readonly source?: string | undefined;
  readonly imbalance?: { readonly type: string } | undefined;
}

export function isImageDataset(d: Pick<ImageDatasetFields, 'name' | 'format'>): boolean {
  return (imageDatasetNames as readonly string[]).includes(d.name) || d.format === 'image-manifest';
}

/** Cross-field rules of the image part of `dataset`, each with its path and message. */
export function imageDatasetIssues(d: ImageDatasetFields): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const image = isImageDataset(d);
  if (!image && d.image !== undefined)
    issues.push({
      path: ['image'],
      message: 'only for tiny-imagenet, inaturalist2018 and image-manifest data',
    });
  if (!image && d.loader !== undefined && d.loader !== 'memory')
    issues.push({ path: ['loader'], message: `'${d.loader}' needs an image dataset read file by file` });
  if (image && d.source === undefined)
    issues.push({ path: ['source'], message: `required for the '${d.name}' dataset` });
  if (d.name === 'inaturalist2018' && d.imbalance !== undefined && d.imbalance.type !== 'none')
    issues.push({
      path: ['imbalance', 'type'],
      message:
        'must be \'none\' (set dataset.imbalance to { "type": "none" }): iNaturalist 2018 is trained on its natural long-tailed distribution',
    });
  return issues;
}
