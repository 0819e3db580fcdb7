import type { RandomSource } from '../random/rng.ts';

export interface AugmentSettings {
  /** Pad-and-random-crop padding in pixels; 0 turns cropping off. */
  readonly padding: number;
  readonly flip: boolean;
}

export interface AugmentSpecLike {
  readonly crop: boolean;
  readonly padding?: number | undefined;
  readonly flip: boolean;
}

/** The recipe's padding: 4 px for 32×32 (Cao et al. 2019), 2 px for 28×28, else an eighth of the side. */
export function defaultPadding(height: number, width: number): number {
  const side = Math.min(height, width);
  if (side === 32) return 4;
  if (side === 28) return 2;
  return Math.max(1, Math.floor(side / 8));
}

/** What augmentation a spec asks for on inputs of this shape; null for vectors or when all is off. */
export function resolveAugmentation(
  spec: AugmentSpecLike,
  inputShape: readonly number[],
): AugmentSettings | null {
  const [height, width] = inputShape;
  if (inputShape.length !== 3 || height === undefined || width === undefined) return null;
  const padding = spec.crop ? (spec.padding ?? defaultPadding(height, width)) : 0;
  if (padding === 0 && !spec.flip) return null;
  return { padding, flip: spec.flip };
}

/**
 * Per image: zero-pad by `padding`, crop back to the original size at a random offset, then flip
 * horizontally with probability ½ (torchvision RandomCrop(padding) then RandomHorizontalFlip).
 * Values are already normalised, so padding with 0 pads with the dataset mean. Draws, per image,
 * the row offset, column offset (when cropping) and the flip (when flipping) from `rng`, in that order.
 * Writes into `out` when given (reused across batches), else into a new array.
 */
export function augmentBatch(
  batch: Float32Array,
  shape: readonly [number, number, number, number],
  settings: AugmentSettings,
  rng: RandomSource,
  out: Float32Array = new Float32Array(batch.length),
): Float32Array {
  const [count, height, width, channels] = shape;
  const { padding } = settings;
  const imageSize = height * width * channels;
  const rowSize = width * channels;
  if (out.length < count * imageSize)
    throw new RangeError(`out holds ${out.length} values, needs ${count * imageSize}`);
  out.fill(0, 0, count * imageSize);
  for (let n = 0; n < count; n++) {
    const dy = padding > 0 ? rng.int(2 * padding + 1) - padding : 0;
    const dx = padding > 0 ? rng.int(2 * padding + 1) - padding : 0;
    const flip = settings.flip && rng.next() < 0.5;
    const base = n * imageSize;
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      if (sy < 0 || sy >= height) continue;
      for (let x = 0; x < width; x++) {
        const sx = (flip ? width - 1 - x : x) + dx;
        if (sx < 0 || sx >= width) continue;
        const from = base + sy * rowSize + sx * channels;
        const to = base + y * rowSize + x * channels;
        for (let c = 0; c < channels; c++) out[to + c] = batch[from + c] ?? 0;
      }
    }
  }
  return out;
}
