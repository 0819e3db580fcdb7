import { describe, expect, it } from 'vitest';
import { simplifyPermutation, transposeInto } from '../../../../trainer/engine/kernels/permute.ts';

describe('simplifyPermutation', () => {
  it('merges axes that stay adjacent and drops size-1 axes', () => {
    expect(simplifyPermutation([128, 32, 32, 16], [3, 1, 2, 0])).toEqual({
      shape: [128, 1024, 16],
      perm: [2, 1, 0],
    });
    expect(simplifyPermutation([4, 1, 5, 6], [0, 2, 3, 1])).toEqual({ shape: [120], perm: [0] });
    expect(simplifyPermutation([2, 3, 4], [1, 2, 0])).toEqual({ shape: [2, 12], perm: [1, 0] });
  });
});

describe('transposeInto', () => {
  it('matches an index-by-index transpose for a tiled 3-D case larger than one tile', () => {
    const shape = [3, 150, 140];
    const src = Float32Array.from({ length: 3 * 150 * 140 }, (_, i) => i);
    const dst = new Float32Array(src.length);
    transposeInto(src, shape, [2, 0, 1], dst);
    let mismatches = 0;
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 150; b++)
        for (let c = 0; c < 140; c++)
          if (dst[(c * 3 + a) * 150 + b] !== src[(a * 150 + b) * 140 + c]) mismatches++;
    expect(mismatches).toBe(0);
  });
});
