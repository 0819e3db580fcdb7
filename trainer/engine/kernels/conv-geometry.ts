// Geometry of the two convolution gradients recast as forward convolutions (standard convolution
// algebra, e.g. Dumoulin & Visin 2016, "A guide to convolution arithmetic", §4).

/** Padding before/after one spatial axis; negative means crop that many rows or columns. */
export interface AxisPadding {
  readonly before: number;
  readonly after: number;
}

/**
 * Weight gradient along one axis: a stride-1 convolution, dilated by `stride`, of the input with
 * the output gradient as filter. Its output must have `filterSize` positions, so the input is
 * padded by `padBefore` and by whatever makes (in + pads − dilatedGradient) + 1 = filterSize.
 */
export function filterGradientPadding(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  padBefore: number,
): AxisPadding {
  const needed = filterSize - 1 + (outSize - 1) * stride + 1;
  return { before: padBefore, after: needed - padBefore - inSize };
}

/**
 * Input gradient along one axis: a stride-1 convolution of the output gradient upsampled by
 * `stride` (length outSize·stride, zeros between and after) with the flipped filter, giving
 * `inSize` positions.
 */
export function inputGradientPadding(
  inSize: number,
  outSize: number,
  filterSize: number,
  stride: number,
  padBefore: number,
): AxisPadding {
  const before = filterSize - 1 - padBefore;
  const upsampled = outSize * stride;
  return { before, after: inSize + filterSize - 1 - before - upsampled };
}

/** Splits a possibly negative padding into a crop (start, length) and a non-negative padding. */
export function splitCrop(
  size: number,
  padding: AxisPadding,
): { start: number; length: number; padding: AxisPadding } {
  const start = Math.max(0, -padding.before);
  const end = size - Math.max(0, -padding.after);
  return {
    start,
    length: end - start,
    padding: { before: Math.max(0, padding.before), after: Math.max(0, padding.after) },
  };
}
