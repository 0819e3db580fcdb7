import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel } from './call.ts';
import { type AxisPadding, splitCrop } from './conv-geometry.ts';

export type ExplicitPadding4D = [[number, number], [number, number], [number, number], [number, number]];

/**
 * Applies the negative parts of `rows`/`cols` padding to an NHWC tensor as a crop (stock Slice)
 * and returns the non-negative rest as explicit conv padding. `owned` says whether `info` is a
 * new intermediate the caller must release.
 */
export function cropForPadding(
  backend: BackendWasm,
  x: TensorInfo,
  rows: AxisPadding,
  cols: AxisPadding,
): { info: TensorInfo; owned: boolean; pad: ExplicitPadding4D } {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const r = splitCrop(h, rows);
  const q = splitCrop(w, cols);
  const pad: ExplicitPadding4D = [
    [0, 0],
    [r.padding.before, r.padding.after],
    [q.padding.before, q.padding.after],
    [0, 0],
  ];
  if (r.start === 0 && r.length === h && q.start === 0 && q.length === w)
    return { info: x, owned: false, pad };
  const info = callKernel(
    'Slice',
    backend,
    { x },
    { begin: [0, r.start, q.start, 0], size: [n, r.length, q.length, c] },
  );
  return { info, owned: true, pad };
}
