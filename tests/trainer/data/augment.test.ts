import { describe, expect, it } from 'vitest';
import { augmentBatch, defaultPadding, resolveAugmentation } from '../../../trainer/data/augment.ts';
import { createRng } from '../../../trainer/random/rng.ts';

/** count images of h×w×c whose value encodes (image, y, x, channel), all non-zero. */
function batch(count: number, h: number, w: number, c: number): Float32Array {
  return Float32Array.from({ length: count * h * w * c }, (_, i) => i + 1);
}

describe('resolveAugmentation', () => {
  it('uses the recipe paddings: 4 px at 32×32, 2 px at 28×28', () => {
    expect(defaultPadding(32, 32)).toBe(4);
    expect(defaultPadding(28, 28)).toBe(2);
    expect(resolveAugmentation({ crop: true, flip: true }, [28, 28, 1])).toEqual({ padding: 2, flip: true });
    expect(resolveAugmentation({ crop: true, padding: 3, flip: false }, [32, 32, 3])).toEqual({
      padding: 3,
      flip: false,
    });
  });

  it('skips vector data and a spec with everything off', () => {
    expect(resolveAugmentation({ crop: true, flip: true }, [784])).toBeNull();
    expect(resolveAugmentation({ crop: false, flip: false }, [32, 32, 3])).toBeNull();
  });
});

describe('augmentBatch', () => {
  const shape = [8, 6, 5, 2] as const;
  const input = batch(...shape);

  it('keeps the shape and does not modify its input', () => {
    const copy = input.slice();
    const out = augmentBatch(input, shape, { padding: 2, flip: true }, createRng(1));
    expect(out.length).toBe(input.length);
    expect(Array.from(input)).toEqual(Array.from(copy));
  });

  it('is determined by the RNG state, which it advances', () => {
    const settings = { padding: 2, flip: true };
    const rng = createRng(5);
    const first = augmentBatch(input, shape, settings, rng);
    const state = rng.getState();
    const second = augmentBatch(input, shape, settings, rng);
    expect(Array.from(augmentBatch(input, shape, settings, createRng(5)))).toEqual(Array.from(first));
    expect(Array.from(second)).not.toEqual(Array.from(first));
    const resumed = createRng(0);
    resumed.setState(state);
    expect(Array.from(augmentBatch(input, shape, settings, resumed))).toEqual(Array.from(second));
  });

  it('shifts pixels by the crop offset and pads with zeros', () => {
    const [, h, w, c] = shape;
    const out = augmentBatch(input, shape, { padding: 2, flip: false }, createRng(2));
    const shifts: string[] = [];
    for (let n = 0; n < shape[0]; n++) {
      const image = out.subarray(n * h * w * c, (n + 1) * h * w * c);
      const source = input.subarray(n * h * w * c, (n + 1) * h * w * c);
      // Find the shift that explains the output: every pixel equals the input at (y+dy, x+dx), or 0 outside.
      const explained: [number, number][] = [];
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          let ok = true;
          for (let y = 0; y < h && ok; y++)
            for (let x = 0; x < w && ok; x++)
              for (let ch = 0; ch < c && ok; ch++) {
                const sy = y + dy;
                const sx = x + dx;
                const want = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : source[(sy * w + sx) * c + ch];
                ok = image[(y * w + x) * c + ch] === want;
              }
          if (ok) explained.push([dy, dx]);
        }
      expect(explained.length).toBe(1);
      const [dy = 0, dx = 0] = explained[0] ?? [];
      shifts.push(`${dy},${dx}`);
    }
    // Vertical and horizontal offsets both vary across the batch.
    expect(new Set(shifts.map((s) => s.split(',')[0])).size).toBeGreaterThan(1);
    expect(new Set(shifts.map((s) => s.split(',')[1])).size).toBeGreaterThan(1);
  });

  it('writes into a reused buffer exactly what it would return fresh', () => {
    const settings = { padding: 2, flip: true };
    const buffer = new Float32Array(input.length).fill(-1);
    const reused = augmentBatch(input, shape, settings, createRng(4), buffer);
    expect(reused).toBe(buffer);
    expect(Array.from(buffer)).toEqual(Array.from(augmentBatch(input, shape, settings, createRng(4))));
  });

  it('mirrors rows when it flips', () => {
    const one = [1, 3, 4, 1] as const;
    const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++)
      seen.add(augmentBatch(image, one, { padding: 0, flip: true }, createRng(seed)).join(','));
    expect(seen).toEqual(new Set(['1,2,3,4,5,6,7,8,9,10,11,12', '4,3,2,1,8,7,6,5,12,11,10,9']));
  });
});
