// The convolution geometries every conv implementation (the wasm backprop kernels, the onednn
// primitives) is checked on against stock cpu: 1×1, odd sizes, tfjs's asymmetric "same" padding,
// explicit and uneven pads, non-square filters and strides, the ResNets' own layers.

export type ConvPad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

export interface ConvCase {
  readonly x: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: ConvPad;
  /** tfjs has no gradient for dilations > 1: gradient suites skip these. */
  readonly dilation?: number;
}

export const convCases: readonly ConvCase[] = [
  { x: [1, 7, 7, 3], filter: [1, 1, 3, 5], strides: 1, pad: 'valid' },
  { x: [1, 5, 6, 12], filter: [1, 1, 12, 20], strides: 2, pad: 'valid' },
  { x: [2, 9, 9, 5], filter: [3, 3, 5, 7], strides: 1, pad: 'same' },
  // tfjs's asymmetric "same" at stride 2: 0 rows before, 1 after.
  { x: [2, 8, 10, 5], filter: [3, 3, 5, 6], strides: 2, pad: 'same' },
  { x: [3, 9, 7, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'valid' },
  { x: [3, 10, 10, 4], filter: [5, 5, 4, 2], strides: 3, pad: 'same' },
  { x: [3, 11, 11, 4], filter: [5, 5, 4, 9], strides: 3, pad: 'valid' },
  { x: [1, 13, 13, 3], filter: [7, 7, 3, 10], strides: 2, pad: 'same' },
  {
    x: [2, 6, 6, 11],
    filter: [3, 3, 11, 4],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [2, 1],
      [0, 0],
    ],
  },
  {
    x: [2, 10, 10, 3],
    filter: [3, 3, 3, 4],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [2, 0],
      [0, 0],
    ],
  },
  { x: [3, 12, 9, 5], filter: [3, 5, 5, 7], strides: [1, 2], pad: 'same' },
  {
    x: [1, 13, 13, 2],
    filter: [5, 3, 2, 3],
    strides: [3, 1],
    pad: [
      [0, 0],
      [2, 2],
      [0, 1],
      [0, 0],
    ],
  },
  // The CIFAR ResNet's layers: stride 2 (explicit zero padding, then a valid convolution), and 16 → 16.
  { x: [1, 18, 18, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'valid' },
  { x: [1, 10, 10, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  { x: [1, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same', dilation: 2 },
];

export const convLabel = (c: ConvCase): string =>
  `x ${c.x.join('×')}, filter ${c.filter.join('×')}, strides ${c.strides}, pad ${JSON.stringify(c.pad)}` +
  (c.dilation ? `, dilation ${c.dilation}` : '');

/** The cases whose gradients tfjs defines (no dilation). */
export const convGradientCases = convCases.filter((c) => (c.dilation ?? 1) === 1);
