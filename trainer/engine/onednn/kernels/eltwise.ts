import type { KernelConfig } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';
import { onednn } from '../addon.ts';
import { allFloat32, input, nativeKernel } from './shared.ts';

/** The ReLU gradient as one kernel (tfjs composes Step, Cast and Multiply): dx = x > 0 ? dy : 0. */
export const reluGradKernelName = 'LdamReluGrad';

export const reluKernel = nativeKernel(tf.Relu, (inputs, backend) => {
  const x = input(inputs, 'x');
  if (!allFloat32(backend, x)) return undefined;
  const y = backend.buffer(x.shape);
  onednn().relu(backend.valuesOf(x), y);
  return backend.output(y, x.shape);
});

export const reluGradKernel = nativeKernel(reluGradKernelName, (inputs, backend) => {
  const dy = input(inputs, 'dy');
  const x = input(inputs, 'x');
  // No stock kernel to hand off to: operands stored otherwise are read as float32 (a copy).
  const dx = backend.buffer(x.shape);
  onednn().reluGrad(backend.float32ValuesOf(dy), backend.float32ValuesOf(x), dx);
  return backend.output(dx, x.shape);
});

const binaryOps = [
  { name: tf.Add, op: 0, commutative: true },
  { name: tf.Sub, op: 1, commutative: false },
  { name: tf.Multiply, op: 2, commutative: true },
  { name: tf.RealDiv, op: 3, commutative: false },
  { name: tf.Maximum, op: 4, commutative: true },
  { name: tf.Minimum, op: 5, commutative: true },
] as const;

/** `small` padded with leading 1s to `rank` (NumPy broadcasting aligns trailing axes). */
function padded(shape: readonly number[], rank: number): number[] {
  return [...Array.from({ length: rank - shape.length }, () => 1), ...shape];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Native when the output has the shape of one operand and the other broadcasts into it (the
 * bias, scalar and same-shape cases of a training step); a two-sided broadcast stays on cpu.
 */
function binaryKernel(name: string, op: number, commutative: boolean): KernelConfig {
  return nativeKernel(name, (inputs, backend) => {
    let a = input(inputs, 'a');
    let b = input(inputs, 'b');
    if (!allFloat32(backend, a, b)) return undefined;
    const out = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (!sameShape(out, a.shape)) {
      if (!commutative || !sameShape(out, b.shape)) return undefined;
      [a, b] = [b, a];
    }
    const rank = Math.max(1, out.length);
    if (rank > 6) return undefined;
    const y = backend.buffer(out);
    onednn().binary(
      op,
      padded(a.shape, rank),
      backend.valuesOf(a),
      padded(b.shape, rank),
      backend.valuesOf(b),
      y,
    );
    return backend.output(y, out);
  });
}

export const eltwiseKernels: readonly KernelConfig[] = [
  reluKernel,
  reluGradKernel,
  ...binaryOps.map((b) => binaryKernel(b.name, b.op, b.commutative)),
];
