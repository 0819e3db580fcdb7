import { describe, expect, it } from 'vitest';
import {
  filterGradientPadding,
  inputGradientPadding,
  splitCrop,
} from '../../../../trainer/engine/kernels/conv-geometry.ts';

describe('conv gradient geometry', () => {
  it('pads the input of the weight-gradient conv so it yields filterSize positions', () => {
    // 32 → 32 with a 3-tap 'same' conv: one pixel each side, as the forward conv.
    expect(filterGradientPadding(32, 32, 3, 1, 1)).toEqual({ before: 1, after: 1 });
    // ResNet stride 2 on a 34-pixel pre-padded input: the last row is never read, so crop it.
    expect(filterGradientPadding(34, 16, 3, 2, 0)).toEqual({ before: 0, after: -1 });
  });

  it('pads the upsampled output gradient so the input gradient has inSize positions', () => {
    expect(inputGradientPadding(32, 32, 3, 1, 1)).toEqual({ before: 1, after: 1 });
    // 34 ← 16 at stride 2: upsampled length 32, full correlation needs 2 before, 2 after.
    expect(inputGradientPadding(34, 16, 3, 2, 0)).toEqual({ before: 2, after: 2 });
  });

  it('turns negative padding into a crop', () => {
    expect(splitCrop(10, { before: -2, after: -1 })).toEqual({
      start: 2,
      length: 7,
      padding: { before: 0, after: 0 },
    });
    expect(splitCrop(10, { before: 1, after: -3 })).toEqual({
      start: 0,
      length: 7,
      padding: { before: 1, after: 0 },
    });
  });
});
