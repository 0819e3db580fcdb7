import type { RandomSource } from '../../random/rng.ts';
import type { RgbImage } from './decode.ts';

/** The source rectangle a crop samples (may extend past the image: outside is the mean, 0). */
export interface CropRegion {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly flip: boolean;
}

export interface TrainCrop {
  /** 'centre' when augment.crop is off. */
  readonly kind: 'random' | 'random-resized' | 'centre';
  /** Zero padding around the image before a 'random' crop. */
  readonly padding: number;
  readonly flip: boolean;
}

/** torchvision's RandomCrop(size, padding): a size×size window of the padded image, uniform offset. */
function randomCrop(image: RgbImage, size: number, padding: number, rng: RandomSource): [number, number] {
  const x = rng.int(Math.max(1, image.width + 2 * padding - size + 1)) - padding;
  const y = rng.int(Math.max(1, image.height + 2 * padding - size + 1)) - padding;
  return [x, y];
}

// torchvision's RandomResizedCrop defaults: scale (0.08, 1), ratio (3/4, 4/3), 10 attempts.
function randomResizedRegion(image: RgbImage, rng: RandomSource): [number, number, number, number] {
  const { width, height } = image;
  const area = width * height;
  const logRatio = [Math.log(3 / 4), Math.log(4 / 3)] as const;
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * (0.08 + rng.next() * 0.92);
    const aspect = Math.exp(logRatio[0] + rng.next() * (logRatio[1] - logRatio[0]));
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height)
      return [rng.int(width - w + 1), rng.int(height - h + 1), w, h];
  }
  // Fallback: the whole image, centre-cropped to the allowed aspect range.
  const ratio = width / height;
  const w = ratio < 3 / 4 ? width : ratio > 4 / 3 ? Math.round(height * (4 / 3)) : width;
  const h = ratio < 3 / 4 ? Math.round(width / (3 / 4)) : height;
  return [Math.floor((width - w) / 2), Math.floor((height - h) / 2), w, h];
}

/** A training crop's region; draws the offsets (or the resized crop) then the flip from `rng`. */
export function trainRegion(image: RgbImage, size: number, crop: TrainCrop, rng: RandomSource): CropRegion {
  if (crop.kind === 'random-resized') {
    const [x, y, width, height] = randomResizedRegion(image, rng);
    return { x, y, width, height, flip: crop.flip && rng.next() < 0.5 };
  }
  if (crop.kind === 'centre') return { ...centreRegion(image, size), flip: crop.flip && rng.next() < 0.5 };
  const [x, y] = randomCrop(image, size, crop.padding, rng);
  return { x, y, width: size, height: size, flip: crop.flip && rng.next() < 0.5 };
}

/** torchvision's CenterCrop(size): offsets round((side − size) / 2); smaller images are padded. */
export function centreRegion(image: RgbImage, size: number): CropRegion {
  return {
    x: Math.round((image.width - size) / 2),
    y: Math.round((image.height - size) / 2),
    width: size,
    height: size,
    flip: false,
  };
}

export interface Normalisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * Writes the region, resized to size×size (bilinear, half-pixel centres as PyTorch's
 * align_corners=False) and flipped when asked, as (x/255 − mean_c)/std_c into `out` at `offset`.
 * Samples outside the image are 0 after normalisation (padding with the mean).
 */
export function renderRegion(
  image: RgbImage,
  region: CropRegion,
  size: number,
  norm: Normalisation,
  out: Float32Array,
  offset: number,
): void {
  const scale = [0, 1, 2].map((c) => 1 / (255 * (norm.std[c] ?? 1)));
  const shift = [0, 1, 2].map((c) => (norm.mean[c] ?? 0) / (norm.std[c] ?? 1));
  const sx = region.width / size;
  const sy = region.height / size;
  const exact = region.width === size && region.height === size;
  const { width, height, pixels } = image;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const ox = region.flip ? size - 1 - x : x;
      const to = offset + (y * size + x) * 3;
      if (exact) {
        const px = region.x + ox;
        const py = region.y + y;
        const inside = px >= 0 && px < width && py >= 0 && py < height;
        const from = (py * width + px) * 3;
        for (let c = 0; c < 3; c++)
          out[to + c] = inside ? (pixels[from + c] ?? 0) * (scale[c] ?? 0) - (shift[c] ?? 0) : 0;
        continue;
      }
      const fx = Math.min(Math.max(region.x + (ox + 0.5) * sx - 0.5, 0), width - 1);
      const fy = Math.min(Math.max(region.y + (y + 0.5) * sy - 0.5, 0), height - 1);
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, width - 1);
      const y1 = Math.min(y0 + 1, height - 1);
      const ax = fx - x0;
      const ay = fy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => pixels[(yy * width + xx) * 3 + c] ?? 0;
        const top = p(y0, x0) * (1 - ax) + p(y0, x1) * ax;
        const bottom = p(y1, x0) * (1 - ax) + p(y1, x1) * ax;
        out[to + c] = (top * (1 - ay) + bottom * ay) * (scale[c] ?? 0) - (shift[c] ?? 0);
      }
    }
  }
}
