import type sharpModule from 'sharp';
import { DataError } from '../errors.ts';

/** An RGB image as HWC bytes. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** height × width × 3 bytes. */
  readonly pixels: Uint8Array;
}

let loaded: Promise<typeof sharpModule> | undefined;

// Loaded on the first decode: the API's Lambda bundle imports the data modules but never decodes,
// and sharp's native binary cannot be bundled.
function loadSharp(): Promise<typeof sharpModule> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    // One libvips thread per decode: the pipeline runs several decodes at once (its concurrency),
    // which spreads better over the cores than libvips' own threads inside one small image.
    sharp.concurrency(1);
    // The pipeline bounds what is held; libvips' operation cache would keep decoded images besides.
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

/**
 * Decodes a JPEG or PNG (grayscale, CMYK and alpha included) to sRGB bytes with libvips, and with
 * `shorterSide` resizes so the shorter side has that length (libvips' default Lanczos3, an
 * antialiased resize like PIL's in torchvision). Throws DataError naming `file`.
 */
export async function decodeRgb(bytes: Uint8Array, file: string, shorterSide?: number): Promise<RgbImage> {
  const sharp = await loadSharp();
  try {
    let image = sharp(bytes, { failOn: 'error' }).toColourspace('srgb').removeAlpha();
    // 'outside' scales the shorter side to shorterSide and keeps the aspect ratio. Orientation is
    // not applied (torchvision's PIL loader ignores EXIF orientation too).
    if (shorterSide !== undefined)
      image = image.resize({ width: shorterSide, height: shorterSide, fit: 'outside' });
    const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(file, `is not a readable JPEG or PNG (${(error as Error).message})`, {
      cause: error,
    });
  }
}
